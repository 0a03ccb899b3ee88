import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { DecodeError, OpError } from "../errors.ts";
import { JSON_ELEMENTS } from "./_internals/json-elements.fixture.ts";
import { withChecksum } from "../_test/frame.ts";
import { orSet, type ORSetState } from "./or-set.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const hex = (s: ORSetState) => Buffer.from(orSet.codec!.encode(s)).toString("hex");
const run = (s: ORSetState, op: string, x: unknown, replica = "a") => orSet.update(s, { op, args: [x] }, ctx(replica));
const merged = (a: ORSetState, b: ORSetState) => orSet.merge(orSet.clone!(a), b);

describe("or-set", () => {
  lawTests(orSet);
  lawTests({ ...orSet, name: "or-set (4 replicas)" }, { replicas: 4 });
  lawTests({
    ...orSet,
    name: "or-set (structured JSON elements)",
    ops: [
      { op: "add", args: [{ pick: JSON_ELEMENTS }], weight: 2 },
      { op: "remove", args: [{ pick: JSON_ELEMENTS }] },
    ],
  });

  it("can re-add an element after removing it, locally and on a replica that saw the removal", () => {
    let a = run(orSet.init("a"), "add", "milk").state;
    let b = merged(orSet.init("b"), a);
    a = run(a, "remove", "milk").state;
    expect(orSet.value(a)).toEqual([]);
    b = orSet.merge(b, a);
    expect(orSet.value(b)).toEqual([]);
    const readd = run(b, "add", "milk", "b");
    expect(orSet.value(readd.state)).toEqual(["milk"]);
    a = orSet.merge(a, readd.delta);
    expect(orSet.value(a)).toEqual(["milk"]);
  });

  it("a concurrent add beats a remove, in both merge orders, with states or with deltas", () => {
    const base = run(orSet.init("a"), "add", "x").state;
    const alice = orSet.clone!(base);
    const bob = merged(orSet.init("b"), base);
    const rm = run(alice, "remove", "x");
    const add = run(bob, "add", "x", "b");
    expect(orSet.value(rm.state)).toEqual([]);
    expect(orSet.value(merged(rm.state, add.state))).toEqual(["x"]);
    expect(orSet.value(merged(add.state, rm.state))).toEqual(["x"]);
    expect(orSet.value(merged(rm.state, add.delta))).toEqual(["x"]);
    expect(orSet.value(merged(add.state, rm.delta))).toEqual(["x"]);
    expect(hex(merged(rm.state, add.state))).toBe(hex(merged(add.state, rm.state)));
  });

  it("a remove drops only the adds it observed: an element's dots from a concurrent add on another replica survive", () => {
    const a = run(orSet.init("a"), "add", 1).state;
    const b = run(orSet.init("b"), "add", 1, "b").state;
    const removedAtA = run(orSet.clone!(a), "remove", 1).state;
    const m = merged(removedAtA, b);
    expect(orSet.value(m)).toEqual([1]);
    expect(m.dotsOf("1")).toEqual([["b", 1]]);
  });

  it("a stale add (redelivered after the remove) does not resurrect the element", () => {
    const add = run(orSet.init("a"), "add", "x");
    const rm = run(add.state, "remove", "x");
    const elsewhere = orSet.merge(orSet.merge(orSet.init("b"), add.delta), rm.delta);
    expect(orSet.value(orSet.merge(elsewhere, add.delta))).toEqual([]);
    const reordered = orSet.merge(orSet.merge(orSet.init("c"), rm.delta), add.delta);
    expect(orSet.value(reordered)).toEqual([]);
    expect(hex(reordered)).toBe(hex(elsewhere));
  });

  it("keeps no tombstones: after a remove the element is gone and only the context remembers it", () => {
    let s = orSet.init("a");
    for (let i = 0; i < 50; i++) s = run(run(s, "add", `item-${i}`).state, "remove", `item-${i}`).state;
    expect(s.size).toBe(0);
    expect(s.ctx.toJSON()).toEqual({ vv: { a: 50 }, cloud: [] });
    // header, vv {a: 50}, empty cloud, no entries, checksum
    expect([...orSet.codec!.encode(s)]).toEqual(withChecksum([2, 5, 1, 1, 97, 50, 0, 0]));
  });

  it("deltas: add carries the element with its new dot and a context of the dots it replaces; remove carries the dots", () => {
    let s = run(orSet.init("a"), "add", "x").state;
    s = orSet.merge(s, run(orSet.init("b"), "add", "x", "b").delta);
    expect(s.dotsOf('"x"')).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
    const add = run(s, "add", "x");
    expect(add.state.dotsOf('"x"')).toEqual([["a", 2]]);
    expect(add.delta.values()).toEqual(["x"]);
    expect(add.delta.dotsOf('"x"')).toEqual([["a", 2]]);
    expect(add.delta.ctx.toJSON()).toEqual({ vv: { a: 2, b: 1 }, cloud: [] });
    const rm = run(add.state, "remove", "x");
    expect(rm.delta.size).toBe(0);
    expect(rm.delta.ctx.toJSON()).toEqual({ vv: {}, cloud: [["a", 2]] });
  });

  it("deltas share nothing mutable with the state", () => {
    const { state, delta } = run(orSet.init("a"), "add", { k: [1] });
    const before = hex(delta);
    run(run(state, "remove", { k: [1] }).state, "add", "y");
    orSet.merge(state, run(orSet.init("b"), "add", { k: [1] }, "b").delta);
    expect(hex(delta)).toBe(before);
    expect(Object.isFrozen(delta.values()[0])).toBe(true);
  });

  it("removing an absent element is a valid no-op with an empty delta", () => {
    const s = run(orSet.init("a"), "add", "x").state;
    const before = hex(s);
    const { state, delta } = run(s, "remove", "y");
    expect(hex(state)).toBe(before);
    expect(delta.size).toBe(0);
    expect(delta.ctx.isEmpty()).toBe(true);
  });

  it("keys elements canonically and sorts the value by compareJson", () => {
    let s = orSet.init("a");
    for (const x of ["b", 3, { b: 1, a: 2 }, null, { a: 2, b: 1 }, [1], -0, 0]) s = run(s, "add", x).state;
    expect(orSet.value(s)).toEqual([null, 0, 3, "b", [1], { a: 2, b: 1 }]);
    s = run(s, "remove", { a: 2, b: 1 }).state;
    expect(orSet.value(s)).toEqual([null, 0, 3, "b", [1]]);
  });

  it("refuses bad ops, naming the op, and leaves the state byte-identical", () => {
    let s = run(orSet.init("a"), "add", "x").state;
    s = run(s, "add", "y").state;
    s = run(s, "remove", "y").state;
    const before = hex(s);
    expect(() => run(s, "delete", "x")).toThrow(/op "delete": unknown op \(this type takes: add, remove\)/);
    expect(() => orSet.update(s, { op: "add", args: [] }, ctx("a"))).toThrow(/op "add": expects 1 argument/);
    expect(() => orSet.update(s, { op: "remove", args: ["x", "y"] }, ctx("a"))).toThrow(/op "remove": expects 1 argument, got 2/);
    for (const op of ["add", "remove"]) {
      expect(() => run(s, op, undefined)).toThrow(OpError);
      expect(() => run(s, op, () => 1)).toThrow(new RegExp(`op "${op}": argument is not a JSON value`));
      expect(() => run(s, op, { f: () => 1 })).toThrow(new RegExp(`op "${op}": argument is not a JSON value`));
      expect(() => run(s, op, NaN)).toThrow(OpError);
    }
    expect(hex(s)).toBe(before);
  });

  it("decoding refuses inconsistent states: a dot outside the context, a dot on two values, unsorted values, another type", () => {
    // header | ctx: vv {a:1}, no cloud | 1 entry: int 1, 1 dot (replica #0, counter 2)
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 1, 0, 1, 3, 2, 1, 0, 2]))).toThrow(/not in the causal context/);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 1, 0, 1, 3, 2, 1, 0, 1]))).not.toThrow();
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 1, 0, 1, 3, 2, 1, 1, 1]))).toThrow(/replica index 1 out of range/);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 1, 0, 1, 3, 2, 0, 0]))).toThrow(/has no dots/);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 2, 0, 2, 3, 2, 1, 0, 1, 3, 4, 1, 0, 1]))).toThrow(/supports two values/);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 2, 0, 2, 3, 4, 1, 0, 1, 3, 2, 1, 0, 2]))).toThrow(/not strictly sorted/);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 5, 1, 1, 97, 2, 0, 1, 3, 2, 2, 0, 2, 0, 1]))).toThrow(/dots of value 1 not strictly sorted/);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 7, 0, 0, 0]))).toThrow(DecodeError);
    expect(() => orSet.codec!.decode(new Uint8Array([1, 7, 0, 0, 0]))).toThrow(/mv-register, not a or-set/);
  });

  it("takes no options", () => {
    expect(() => orSet.configure({ x: 1 })).toThrow(/takes no options/);
  });
});
