/**
 * Transactions over the network, with real node processes on loopback (127.0.0.1, port 0):
 * a writer's transactions set x and y to the same counter on one node while a reader on another
 * loops `getMany(x, y)` and never sees them differ — live, and while the reader's node catches
 * up through sync frames cut to one object (`--test-sync-objects-per-frame 1`), so it holds
 * (prepares) each transaction's first object until its sibling arrives. Every loop is bounded in
 * time; every node is stopped after each test.
 */
import { describe, expect, it } from "vitest";
import { waitFor } from "../node/_test/wait.ts";
import { nodeHarness } from "./_test/node-harness.ts";
import { startNode } from "./_test/node-process.ts";
import { cli } from "./spawn-cli.ts";

const { tempDir, client } = nodeHarness("mc-txn-");

const set = (id: string, v: string) => ({ collection: "customers", id, op: "set", args: ["email", v] });
const key = (id: string) => ({ collection: "customers", id });
const email = (v: unknown) => (v === null ? null : (v as { email: unknown }).email);

describe("transactions between node processes", () => {
  it("a reader on another node never sees x and y differ while a writer's transactions set both to the same counter", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    const b = await startNode(["--data", "b", "--peer", a.url], dir);
    const writer = await client(a.url);
    const reader = await client(b.url);
    let stop = false;
    let written = 0;
    const writing = (async () => {
      for (let n = 1; !stop && n < 100_000; n++) {
        await writer.txn([set("x", String(n)), set("y", String(n))]);
        written = n;
      }
    })();
    // At least 4 s of reads, and longer on a loaded box until enough went by (bounded at 30 s):
    // the counts asserted below are about what was read, not about the box's speed.
    const start = Date.now();
    let reads = 0;
    const seen = new Set<unknown>();
    while (Date.now() - start < 30_000 && (Date.now() - start < 4000 || reads <= 20 || seen.size <= 3)) {
      const [x, y] = (await reader.getMany([key("x"), key("y")])).map(email);
      expect(x, `read ${reads}: x and y differ`).toBe(y);
      seen.add(x);
      reads++;
    }
    stop = true;
    await writing;
    // The reader saw the transactions go by, not one state.
    expect(reads).toBeGreaterThan(20);
    expect(seen.size).toBeGreaterThan(3);
    await waitFor("b to show the last transaction", async () => {
      const [x, y] = (await reader.getMany([key("x"), key("y")])).map(email);
      return x === String(written) && y === x;
    });
  }, 60_000);

  it("the same while the reader's node catches up through sync frames of one object each (it holds a transaction's first object until the second arrives)", async () => {
    const dir = tempDir();
    // The knob is the sender's: a's answers to b's digests come one object a frame.
    const a = await startNode(["--data", "a", "--test-sync-objects-per-frame", "1"], dir);
    const writer = await client(a.url);
    const PAIRS = 300;
    const ids = Array.from({ length: PAIRS }, (_, i) => [`p${String(i).padStart(4, "0")}a`, `p${String(i).padStart(4, "0")}b`] as const);
    for (let round = 1; round <= 2; round++) await Promise.all(ids.map(([x, y]) => writer.txn([set(x, `${round}`), set(y, `${round}`)])));
    const b = await startNode(["--data", "b", "--peer", a.url], dir);
    const reader = await client(b.url);
    let stop = false;
    const writing = (async () => {
      for (let n = 3; !stop && n < 100_000; n++) {
        const [x, y] = ids[n % PAIRS]!;
        await writer.txn([set(x, String(n)), set(y, String(n))]);
      }
    })();
    // At least 4 s of reads, longer on a loaded box until a few went by (bounded at 30 s).
    const start = Date.now();
    let reads = 0;
    while (Date.now() - start < 30_000 && (Date.now() - start < 4000 || reads <= 5)) {
      const values = (await reader.getMany(ids.flat().map(key))).map(email);
      for (let i = 0; i < PAIRS; i++) expect(values[2 * i], `read ${reads}: ${ids[i]![0]} and ${ids[i]![1]} differ`).toBe(values[2 * i + 1]);
      reads++;
    }
    stop = true;
    await writing;
    expect(reads).toBeGreaterThan(5);
    // The prepare path ran: the node said it held part of a transaction.
    await waitFor("b to log that it held part of a transaction", () => b.stderr().includes("holding updates of partial transactions"), 10_000).catch((e: unknown) => {
      throw new Error(`${String(e)}; b logged:\n${b.stderr().slice(0, 3000)}`);
    });
    await waitFor("b to catch up", async () => {
      const [want, got] = await Promise.all([writer.getMany(ids.flat().map(key)), reader.getMany(ids.flat().map(key))]);
      return JSON.stringify(want) === JSON.stringify(got);
    });
  }, 60_000);

  it("client txn and get-many: answers as JSON lines; bad input is exit 2 with one line", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    const ok = await cli(["client", a.url, "txn", JSON.stringify([set("A", "a@x"), { collection: "customers", id: "B", op: "set", args: ["phone", "555"] }])], dir);
    expect([ok.stdout, ok.code]).toEqual(['{"ok":true}\n', 0]);
    const got = await cli(["client", a.url, "get-many", JSON.stringify([key("A"), key("B"), key("none")])], dir);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual([{ email: "a@x", phone: [], tags: [], views: 0 }, { email: null, phone: ["555"], tags: [], views: 0 }, null]);
    for (const args of [
      ["txn", "[]"],
      ["txn", "not json"],
      ["txn", JSON.stringify([{ collection: "customers", id: "A" }])],
      ["txn", JSON.stringify([set("A", "1"), { collection: "nope", id: "A", op: "set", args: ["email", "1"] }])],
      ["get-many", JSON.stringify([{ collection: "customers" }])],
    ]) {
      const r = await cli(["client", a.url, ...args], dir);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    // Nothing of the refused transaction was applied.
    const after = await cli(["client", a.url, "get", "customers", "A"], dir);
    expect(JSON.parse(after.stdout).email).toBe("a@x");
  }, 60_000);
});
