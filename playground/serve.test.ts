/** `npm run playground`'s static server: 127.0.0.1, the site's files and nothing else. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serveStatic } from "./serve.ts";

describe("the playground's static server", () => {
  const dir = mkdtempSync(join(tmpdir(), "mc-serve-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>p</title>");
  writeFileSync(join(dir, "app.js"), "void 0;");
  writeFileSync(join(tmpdir(), "mc-serve-secret.txt"), "no");
  const started = serveStatic(dir, 0);
  afterAll(async () => {
    const { server } = await started;
    await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the site's files on 127.0.0.1, with their types", async () => {
    const { url } = await started;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    expect([index.status, index.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    const js = await fetch(url + "app.js", { signal: AbortSignal.timeout(10_000) });
    expect([js.status, await js.text()]).toEqual([200, "void 0;"]);
  });

  it("answers 404 outside the site and for files it does not serve", async () => {
    const { url } = await started;
    for (const path of ["missing.js", "..%2Fmc-serve-secret.txt", "%2e%2e/mc-serve-secret.txt", "index.txt"]) {
      expect((await fetch(url + path, { signal: AbortSignal.timeout(10_000) })).status, path).toBe(404);
    }
  });
});
