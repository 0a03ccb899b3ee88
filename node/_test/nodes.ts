/**
 * Test helper: nodes in this process over temp data directories, each with its own log lines;
 * every node (and anything else registered) is closed, and every directory removed, after each
 * test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type Node, type NodeOptions, openNode } from "../node.ts";

export type TestNode = Node & { logs: string[] };

export function nodeHarness(defaults: Partial<NodeOptions> = {}): {
  tempDir(): string;
  node(options?: Partial<NodeOptions>): Promise<TestNode>;
  /** Closed after the test, with the nodes. */
  keep<T extends { close(): Promise<void> }>(x: T): T;
} {
  const open: { close(): Promise<void> }[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), "mc-node-test-"));
    dirs.push(d);
    return d;
  };
  const keep = <T extends { close(): Promise<void> }>(x: T): T => {
    open.push(x);
    return x;
  };
  return {
    tempDir,
    keep,
    async node(options = {}) {
      const logs: string[] = [];
      const n = await openNode({ dir: tempDir(), log: (l) => void logs.push(l), ...defaults, ...options });
      return Object.assign(keep(n), { logs });
    },
  };
}
