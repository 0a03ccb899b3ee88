/**
 * Test helper shared by the node process tests: temp data directories and API clients that the
 * test file's afterEach closes and removes, together with every node process still running.
 * Call `nodeHarness(prefix)` once at the top of a test file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type Client, connect } from "../../node/index.ts";
import { stopAll } from "./node-process.ts";

export function nodeHarness(prefix: string): { tempDir(): string; client(url: string): Promise<Client> } {
  const dirs: string[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stopAll();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    tempDir() {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    async client(url) {
      const c = await connect(url);
      clients.push(c);
      return c;
    },
  };
}
