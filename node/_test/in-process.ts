/**
 * Test helper for nodes in this process on loopback: nodes over temp data directories (fast
 * digest rounds and redials), clients, and the nodes' log lines; whatever a test opened is
 * closed, and its directories removed, after each test. Call `inProcessNodes(...)` once at the
 * top of a test file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type Client, connect } from "../client.ts";
import { type Node, type NodeOptions, openNode } from "../node.ts";

export type InProcessNodes = {
  /** The log lines of every node of the current test. */
  logs: string[];
  tempDir(): string;
  /** A node over a new temp dir with `defaults` (or `options.dir`: a restart on the same data). */
  node(options?: Partial<NodeOptions>): Promise<Node>;
  client(url: string): Promise<Client>;
  /** Closes `x` after the test (a node opened by hand). */
  closeLater<T extends { close(): Promise<void> }>(x: T): T;
};

export function inProcessNodes(prefix: string, defaults: Partial<NodeOptions>): InProcessNodes {
  const open: { close(): Promise<void> }[] = [];
  const logs: string[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    logs.length = 0;
  });
  const closeLater = <T extends { close(): Promise<void> }>(x: T): T => {
    open.push(x);
    return x;
  };
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  return {
    logs,
    tempDir,
    closeLater,
    node: async (options = {}) =>
      closeLater(await openNode({ dir: tempDir(), digestMs: 200, backoff: { baseMs: 20, capMs: 200 }, log: (l) => void logs.push(l), ...defaults, ...options })),
    client: async (url) => closeLater(await connect(url)),
  };
}
