// read-atomic on hand-made cluster histories: a fractured read is found, and never blamed on an
// indeterminate write or on writes of different nodes that wall-clock time cannot order.
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../history.ts";
import { readAtomic } from "./read-atomic.ts";

let index = 0;
const w = (node: string, token: string, keys: string[], invoke: number, complete: number, type: HistoryEntry["type"] = "ok"): HistoryEntry => ({
  index: index++,
  node,
  op: "txn",
  args: [{ write: Object.fromEntries(keys.map((k) => [k, 1])), token }],
  invoke,
  complete,
  type,
});
const r = (values: Record<string, string | null>, t = 100): HistoryEntry => ({
  index: index++,
  node: "bob",
  op: "txn",
  args: [{ read: Object.keys(values) }],
  invoke: t,
  complete: t + 1,
  type: "ok",
  value: Object.fromEntries(Object.entries(values).map(([k, tok]) => [k, tok === null ? null : { txn: tok, value: 1 }])),
});

describe("read-atomic (cluster history)", () => {
  it("passes reads that show whole transactions, and a later one beside an earlier one's other key", () => {
    const h = [w("alice", "a/1", ["x", "y"], 0, 5), w("alice", "a/2", ["x"], 10, 15), r({ x: "a/1", y: "a/1" }), r({ x: "a/2", y: "a/1" })];
    expect(readAtomic(h, true)).toMatchObject({ ok: true });
  });
  it("fails a read showing one key of a transaction and nothing or an earlier write of the same node on the other", () => {
    const t1 = w("alice", "a/1", ["x", "y"], 0, 5);
    const t2 = w("alice", "a/2", ["x", "y"], 10, 15);
    expect(readAtomic([t1, t2, r({ x: "a/2", y: "a/1" })], true)).toMatchObject({ ok: false, detail: expect.stringMatching(/fractured: x = .* from a\/2 .* y = .* from a\/1/) });
    expect(readAtomic([t1, r({ x: null, y: "a/1" })], true)).toMatchObject({ ok: false, detail: expect.stringMatching(/x = nothing/) });
  });
  it("never blames an indeterminate earlier write, or writes of different nodes", () => {
    const info = w("alice", "a/1", ["x", "y"], 0, 5, "info");
    const t2 = w("alice", "a/2", ["x", "y"], 10, 15);
    expect(readAtomic([info, t2, r({ x: "a/2", y: "a/1" })], true)).toMatchObject({ ok: true });
    const other = w("carol", "c/1", ["x", "y"], 0, 5);
    expect(readAtomic([other, t2, r({ x: "a/2", y: "c/1" })], true)).toMatchObject({ ok: true });
  });
});
