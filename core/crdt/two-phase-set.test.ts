import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { DecodeError, OpError } from "../errors.ts";
import { JSON_ELEMENTS } from "./_internals/json-elements.fixture.ts";
import { twoPhaseSet, type TwoPhaseSetState } from "./two-phase-set.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const hex = (s: TwoPhaseSetState) => Buffer.from(twoPhaseSet.codec!.encode(s)).toString("hex");
const run = (s: TwoPhaseSetState, op: string, x: unknown, replica = "a") => twoPhaseSet.update(s, { op, args: [x] }, ctx(replica));

describe("2p-set", () => {
  lawTests(twoPhaseSet);
  lawTests({
    ...twoPhaseSet,
    name: "2p-set (structured JSON elements)",
    ops: [
      { op: "add", args: [{ pick: JSON_ELEMENTS }], weight: 2 },
      { op: "remove", args: [{ pick: JSON_ELEMENTS }] },
    ],
  });

  it("value is added minus removed; merge unions both halves (the example of 'Conflict-free Replicated Data Types')", () => {
    let x = twoPhaseSet.init("a");
    for (const e of [123, 234]) x = run(x, "add", e).state;
    x = run(x, "remove", 123).state;
    expect(twoPhaseSet.value(x)).toEqual([234]);
    let y = twoPhaseSet.init("b");
    for (const e of [123, 345]) y = run(y, "add", e, "b").state;
    expect(twoPhaseSet.value(twoPhaseSet.merge(twoPhaseSet.clone!(x), y))).toEqual([234, 345]);
    expect(twoPhaseSet.value(twoPhaseSet.merge(y, x))).toEqual([234, 345]);
  });

  it("cannot re-add a removed element: the add is accepted, has no effect, and sends an empty delta", () => {
    let s = run(twoPhaseSet.init("a"), "add", "milk").state;
    s = run(s, "remove", "milk").state;
    const { state, delta } = run(s, "add", "milk");
    expect(twoPhaseSet.value(state)).toEqual([]);
    expect(delta.live.size + delta.tombstones.size).toBe(0);
    // Nor can another replica bring it back, before or after hearing of the removal.
    const b = run(twoPhaseSet.init("b"), "add", "milk", "b").state;
    expect(twoPhaseSet.value(twoPhaseSet.merge(twoPhaseSet.clone!(b), state))).toEqual([]);
    expect(twoPhaseSet.value(twoPhaseSet.merge(state, b))).toEqual([]);
  });

  it("removing an element never added is allowed and tombstones it: it can never appear", () => {
    const s = run(twoPhaseSet.init("a"), "remove", { id: 7 }).state;
    expect(twoPhaseSet.value(s)).toEqual([]);
    const later = run(twoPhaseSet.init("b"), "add", { id: 7 }, "b").state;
    expect(twoPhaseSet.value(twoPhaseSet.merge(later, s))).toEqual([]);
  });

  it("stores a removed element once (live and tombstones are disjoint) and deltas are single entries", () => {
    let s = run(twoPhaseSet.init("a"), "add", 1).state;
    s = run(s, "add", 2).state;
    const { delta } = run(s, "remove", 1);
    expect([...s.live.keys()]).toEqual(["2"]);
    expect([...s.tombstones.keys()]).toEqual(["1"]);
    expect([...delta.live.keys()]).toEqual([]);
    expect([...delta.tombstones.keys()]).toEqual(["1"]);
    expect(delta.tombstones).not.toBe(s.tombstones);
  });

  it("refuses bad ops, naming the op, and leaves the state byte-identical", () => {
    let s = run(twoPhaseSet.init("a"), "add", "x").state;
    s = run(s, "remove", "y").state;
    const before = hex(s);
    expect(() => run(s, "delete", "x")).toThrow(/op "delete": unknown op \(this type takes: add, remove\)/);
    expect(() => twoPhaseSet.update(s, { op: "remove", args: [] }, ctx("a"))).toThrow(/op "remove": expects 1 argument/);
    for (const op of ["add", "remove"]) {
      expect(() => run(s, op, undefined)).toThrow(OpError);
      expect(() => run(s, op, { f: () => 1 })).toThrow(new RegExp(`op "${op}": argument is not a JSON value`));
    }
    expect(hex(s)).toBe(before);
  });

  it("decoding refuses an element both live and tombstoned", () => {
    // header, live {1}, tombstones {1}
    expect(() => twoPhaseSet.codec!.decode(new Uint8Array([1, 4, 1, 3, 2, 1, 3, 2]))).toThrow(DecodeError);
    expect(() => twoPhaseSet.codec!.decode(new Uint8Array([1, 4, 1, 3, 2, 1, 3, 2]))).toThrow(/both live and tombstoned/);
  });

  it("takes no options", () => {
    expect(() => twoPhaseSet.configure({ x: 1 })).toThrow(/takes no options/);
  });
});
