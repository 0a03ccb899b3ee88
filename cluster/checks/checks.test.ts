// The history checks of a cluster run on hand-written histories: each verdict can fail, and
// what wall-clock order does not settle is never blamed.
import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../history.ts";
import { checkHistory, isUndecided } from "./index.ts";

let n = 0;
const op = (node: string, op: string, args: unknown[], invoke: number, complete: number, type: HistoryEntry["type"] = "ok", value?: unknown): HistoryEntry => ({
  index: n++,
  node,
  op,
  args,
  invoke,
  complete,
  type,
  ...(value === undefined ? {} : { value }),
});
const verdicts = (h: HistoryEntry[], finals: Record<string, unknown>, crdt: "or-set" | "pn-counter" | "g-set" = "or-set", sequencer = false) =>
  Object.fromEntries(checkHistory({ crdt, history: h, finals, settled: { equal: true, afterMs: 0 }, expectChecks: {}, sequencer }).map((c) => [c.name, c.ok]));

describe("cluster history checks", () => {
  it("or-set: an add after every remove must survive; an add removed later on its own node must not; a concurrent one is left undecided", () => {
    const h = [op("a", "add", ["x"], 0, 5), op("b", "remove", ["x"], 10, 12), op("c", "add", ["x"], 20, 25), op("a", "add", ["y"], 0, 5), op("a", "remove", ["y"], 30, 31)];
    expect(verdicts(h, { a: ["x"], b: ["x"] })).toMatchObject({ convergence: true, "add-wins": true, durability: true });
    expect(verdicts(h, { a: [], b: [] })).toMatchObject({ "add-wins": false, durability: false });
    expect(verdicts(h, { a: ["x", "y"], b: ["x", "y"] })).toMatchObject({ "add-wins": false, durability: true });
    expect(verdicts(h, { a: ["x"], b: ["x", "y"] })).toMatchObject({ convergence: false });
    // A remove concurrent with the add (invoked after it, on another node) may or may not have seen it: either final set passes.
    const concurrent = [op("a", "add", ["z"], 0, 50), op("b", "remove", ["z"], 10, 20)];
    expect(verdicts(concurrent, { a: [] })).toMatchObject({ "add-wins": true, durability: true });
    expect(verdicts(concurrent, { a: ["z"] })).toMatchObject({ "add-wins": true, durability: true });
  });

  it("counters: the final count lies between the acknowledged and the possible", () => {
    const h = [op("a", "inc", [3], 0, 1), op("b", "inc", [2], 0, 1, "info"), op("b", "dec", [1], 2, 3), op("a", "inc", [5], 0, 0, "fail")];
    expect(verdicts(h, { a: 2, b: 2 }, "pn-counter")).toMatchObject({ "counter-total": true, durability: true });
    expect(verdicts(h, { a: 4, b: 4 }, "pn-counter")).toMatchObject({ "counter-total": true });
    expect(verdicts(h, { a: 5, b: 5 }, "pn-counter")).toMatchObject({ "counter-total": false });
    expect(verdicts(h, { a: 1, b: 1 }, "pn-counter")).toMatchObject({ "counter-total": false, durability: false });
  });

  it("sequencer: a number given twice, or a smaller number to a request made after a larger was answered, fails", () => {
    const good = [op("a", "next", ["inv"], 0, 10, "ok", 1), op("b", "next", ["inv"], 20, 30, "ok", 2), op("c", "next", ["inv"], 25, 40, "info")];
    expect(verdicts(good, { a: [] }, "g-set", true)).toMatchObject({ "sequencer-unique": true, "sequencer-monotonic": true });
    const twice = [op("a", "next", ["inv"], 0, 10, "ok", 1), op("b", "next", ["inv"], 5, 30, "ok", 1)];
    expect(verdicts(twice, { a: [] }, "g-set", true)).toMatchObject({ "sequencer-unique": false });
    const backwards = [op("a", "next", ["inv"], 0, 10, "ok", 2), op("b", "next", ["inv"], 20, 30, "ok", 1)];
    expect(verdicts(backwards, { a: [] }, "g-set", true)).toMatchObject({ "sequencer-unique": true, "sequencer-monotonic": false });
    // Overlapping requests may be answered in either order.
    const overlap = [op("a", "next", ["inv"], 0, 30, "ok", 2), op("b", "next", ["inv"], 5, 20, "ok", 1)];
    expect(verdicts(overlap, { a: [] }, "g-set", true)).toMatchObject({ "sequencer-monotonic": true });
  });
});

describe("expectations a history cannot decide", () => {
  it("an anomaly the scenario demands but a history cannot show is reported unmet, never as shown", () => {
    const [extra] = checkHistory({
      crdt: "g-set",
      history: [],
      finals: { a: [] },
      settled: { equal: true, afterMs: 0 },
      expectChecks: { "strong-convergence": false, convergence: true },
    }).filter((c) => c.name === "strong-convergence");
    expect(extra).toMatchObject({ ok: true, expected: false });
    expect(isUndecided(extra!)).toBe(true);
  });
});

describe("no-lost-writes on acknowledged register writes", () => {
  const known = (vv: Record<string, number>) => ({ vv, cloud: [] as [string, number][] });
  const mvSet = (node: string, v: unknown, seq: number, vv: Record<string, number>, t: number): HistoryEntry => ({
    ...op(node, "set", [v], t, t + 1),
    ack: { dot: [node, seq], known: known({ ...vv, [node]: seq }), write: { value: v, dot: [node, seq] } },
  });
  const read = (node: string, present: HistoryEntry[], vv: Record<string, number>): HistoryEntry => ({
    ...op(
      node,
      "read",
      [],
      100,
      101,
      "ok",
      present.map((p) => p.args[0]),
    ),
    state: { present: present.map((p) => p.ack!.write!), known: known(vv) },
  });
  const nlw = (h: HistoryEntry[], crdt: "mv-register" | "lww-register" = "mv-register") =>
    checkHistory({ crdt, history: h, finals: {}, settled: { equal: true, afterMs: 0 }, expectChecks: {} }).find((c) => c.name === "no-lost-writes")!;

  it("mv: concurrent writes both shown, a later write that saw both alone: pass; a write neither shown nor seen by a shown one: lost", () => {
    const a1 = mvSet("a", 1, 1, {}, 0);
    const b1 = mvSet("b", 2, 1, {}, 0);
    expect(nlw([a1, b1, read("a", [a1, b1], { a: 1, b: 1 })]).ok).toBe(true);
    const a2 = mvSet("a", 3, 2, { b: 1 }, 10); // saw a1 (its own) and b1
    expect(nlw([a1, b1, a2, read("a", [a2], { a: 2, b: 1 }), read("b", [a2], { a: 2, b: 1 })]).ok).toBe(true);
    // b's final state lacks a2, and shows a1 and b1, which a2 had seen: a2 lost on b.
    const lost = nlw([a1, b1, a2, read("b", [a1, b1], { a: 1, b: 1 })]);
    expect(lost).toMatchObject({ ok: false, at: { node: "a" } });
    expect(lost.detail).toContain("happened after it");
    // A write nobody shows and no shown write had seen: lost, and the detail says whether it arrived.
    const gone = nlw([a1, b1, read("a", [a1], { a: 1, b: 1 })]);
    expect(gone.detail).toMatch(/b's write b:1 of 2 .* is lost — a applied it/);
  });

  it("mv: a dot acknowledged twice is a lost write; a value shown by an unacknowledged write leaves the rest undecided", () => {
    const a1 = mvSet("a", 1, 1, {}, 0);
    const again = mvSet("a", 2, 1, {}, 5);
    expect(nlw([a1, again, read("a", [again], { a: 1 })]).detail).toContain("two writes with the same dot a:1");
    const unknown: HistoryEntry = { ...op("b", "set", [9], 0, 50, "info") };
    const r: HistoryEntry = { ...op("a", "read", [], 100, 101, "ok", [9]), state: { present: [{ value: 9, dot: ["b", 1] }], known: known({ a: 1, b: 1 }) } };
    const c = nlw([a1, unknown, r]);
    expect(c.ok).toBe(true);
    expect(c.detail).toContain("1 left undecided");
  });

  it("lww: the larger timestamp supersedes a concurrent write; a causally later write shown beneath an earlier one is lost", () => {
    const w = (node: string, v: unknown, seq: number, vv: Record<string, number>, l: number, write = true): HistoryEntry => ({
      ...op(node, "set", [v], l, l + 1),
      ack: { dot: [node, seq], known: known({ ...vv, [node]: seq }), write: write ? { value: v, ts: { l, c: 0 }, writer: node } : null },
    });
    const lr = (node: string, shown: HistoryEntry): HistoryEntry => ({
      ...op(node, "read", [], 100, 101, "ok", shown.args[0]),
      state: { present: [shown.ack!.write!], known: known({ a: 1, b: 1 }) },
    });
    const a1 = w("a", "x", 1, {}, 10);
    const b1 = w("b", "y", 1, {}, 20);
    expect(nlw([a1, b1, lr("a", b1)], "lww-register").ok).toBe(true);
    expect(nlw([a1, b1, lr("a", a1)], "lww-register")).toMatchObject({ ok: false });
    // Physical clocks behind: b saw a1, wrote after it with a smaller stamp (a void write); a1 shows.
    const void1 = w("b", "y", 1, { a: 1 }, 5, false);
    expect(nlw([a1, void1, lr("a", a1)], "lww-register").detail).toMatch(/happened after it .* no effect/);
  });
});
