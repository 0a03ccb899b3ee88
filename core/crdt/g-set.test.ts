import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { DecodeError, OpError } from "../errors.ts";
import type { Json } from "../util/json.ts";
import { JSON_ELEMENTS } from "./_internals/json-elements.fixture.ts";
import { gSet, type GSetState } from "./g-set.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const hex = (s: GSetState) => Buffer.from(gSet.codec!.encode(s)).toString("hex");
const add = (s: GSetState, x: unknown, replica = "a") => gSet.update(s, { op: "add", args: [x] }, ctx(replica));

describe("g-set", () => {
  lawTests(gSet);
  lawTests({ ...gSet, name: "g-set (structured JSON elements)", ops: [{ op: "add", args: [{ pick: JSON_ELEMENTS }] }] });

  it("merge is union; the value is sorted by compareJson ('Conflict-free Replicated Data Types')", () => {
    let a = gSet.init("a");
    let b = gSet.init("b");
    for (const x of [234, 123]) a = add(a, x).state;
    for (const x of [345, 234, "z", null]) b = add(b, x, "b").state;
    expect(gSet.value(gSet.merge(a, b))).toEqual([null, 123, 234, 345, "z"]);
  });

  it("keys elements canonically: reordered object keys and -0 are the same element", () => {
    let s = add(gSet.init("a"), { a: 1, b: 2 }).state;
    s = add(s, { b: 2, a: 1 }).state;
    s = add(s, -0).state;
    s = add(s, 0).state;
    expect(gSet.value(s)).toEqual([0, { a: 1, b: 2 }]);
    expect(Object.is((gSet.value(s) as Json[])[0], 0)).toBe(true);
    expect(JSON.stringify(gSet.value(add(gSet.init("b"), { b: 2, a: 1 }).state))).toBe('[{"a":1,"b":2}]');
  });

  it("stores a copy: mutating the added value or the returned value cannot change the state", () => {
    const x = { list: [1] };
    const { state, delta } = add(gSet.init("a"), x);
    x.list.push(2);
    expect(gSet.value(state)).toEqual([{ list: [1] }]);
    expect(() => ((gSet.value(state) as Json[])[0] as { list: number[] }).list.push(3)).toThrow(TypeError);
    expect(gSet.value(delta)).toEqual([{ list: [1] }]);
    expect(state).not.toBe(delta);
  });

  it("the delta is the added element alone", () => {
    const s = add(add(gSet.init("a"), 1).state, 2).state;
    expect(gSet.value(add(s, 3).delta)).toEqual([3]);
  });

  it("refuses bad ops, naming the op, and leaves the state byte-identical", () => {
    const s = add(gSet.init("a"), "x").state;
    const before = hex(s);
    expect(() => gSet.update(s, { op: "remove", args: ["x"] }, ctx("a"))).toThrow(/op "remove": unknown op \(this type takes: add\)/);
    expect(() => gSet.update(s, { op: "add", args: [] }, ctx("a"))).toThrow(/op "add": expects 1 argument/);
    expect(() => gSet.update(s, { op: "add", args: [1, 2] }, ctx("a"))).toThrow(/op "add": expects 1 argument/);
    for (const bad of [undefined, NaN, Infinity, () => 1, new Date(0), [1, undefined], { a: 1n }]) {
      expect(() => add(s, bad)).toThrow(OpError);
      expect(() => add(s, bad)).toThrow(/op "add": argument is not a JSON value/);
    }
    expect(hex(s)).toBe(before);
  });

  it("decoding refuses unsorted or duplicate elements and another type's bytes", () => {
    // header, count 2, INT 1, INT 0 (unsorted) / INT 1, INT 1 (duplicate)
    expect(() => gSet.codec!.decode(new Uint8Array([1, 3, 2, 3, 2, 3, 0]))).toThrow(/not strictly sorted/);
    expect(() => gSet.codec!.decode(new Uint8Array([1, 3, 2, 3, 2, 3, 2]))).toThrow(DecodeError);
    expect(() => gSet.codec!.decode(new Uint8Array([1, 4, 0, 0]))).toThrow(/2p-set, not a g-set/);
  });

  it("takes no options", () => {
    expect(() => gSet.configure({ clock: "hlc" })).toThrow(/takes no options/);
  });
});
