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
