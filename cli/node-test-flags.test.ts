/**
 * The node's testing flags as cluster mode uses them, on real processes (127.0.0.1, port 0,
 * bounded waits, every node stopped after the test): --test-clock-file sets the clock the LWW
 * fields are stamped with (a node an hour ahead wins a later write made elsewhere) and is re-read
 * on SIGUSR2; a clock file that holds no integer is bad input, one line, exit 2.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { waitFor } from "../node/_test/wait.ts";
import { nodeHarness } from "./_test/node-harness.ts";
import { startNode } from "./_test/node-process.ts";
import { cli } from "./spawn-cli.ts";

const { tempDir } = nodeHarness("mc-node-flags-");

describe("memoconductor node --test-clock-file", () => {
  it("stamps LWW writes with the offset clock: the node an hour ahead wins over a later write made apart from it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clock"), "3600000\n");
    const ahead = await startNode(["--data", "ahead", "--test-clock-file", "clock"], dir);
    const now = await startNode(["--data", "now"], dir);
    const set = (n: { url: string }, v: string) => cli(["client", n.url, "update", "customers", "A", "set", JSON.stringify(["email", v])], dir);
    expect((await set(ahead, "from-ahead")).code).toBe(0);
    expect((await set(now, "from-now")).code).toBe(0); // later in real time, earlier on the clocks
    await startNode(["--data", "hub", "--peer", ahead.url, "--peer", now.url], dir);
    await waitFor("both nodes to keep the write of the node ahead", async () => {
      const got = await Promise.all([ahead, now].map((n) => cli(["client", n.url, "get", "customers", "A"], dir)));
      return got.every((g) => g.stdout.includes('"email":"from-ahead"'));
    });
    // SIGUSR2 re-reads the file: a file that no longer holds an integer is logged, and the offset kept.
    writeFileSync(join(dir, "clock"), "soon\n");
    ahead.child.kill("SIGUSR2");
    await waitFor("the node to log the unreadable clock file", () =>
      /clock offset kept at 3600000 ms: .*clock: expected an integer clock offset in ms, got "soon"/.test(ahead.stderr()),
    );
    expect((await set(ahead, "still-served")).code).toBe(0);
  });

  it("a clock file without an integer is bad input: one line, exit 2", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "clock"), "ten\n");
    const r = await cli(["node", "--data", "a", "--test-clock-file", "clock"], dir);
    expect([r.code, r.stderr]).toEqual([2, 'memoconductor node: clock: expected an integer clock offset in ms, got "ten"\n']);
  });
});
