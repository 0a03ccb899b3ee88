import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { DecodeError, OpError } from "../errors.ts";
import { JSON_ELEMENTS } from "./_internals/json-elements.fixture.ts";
import { mvRegister, type MVRegisterState } from "./mv-register.ts";
import { orSet } from "./or-set.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const hex = (s: MVRegisterState) => Buffer.from(mvRegister.codec!.encode(s)).toString("hex");
const set = (s: MVRegisterState, v: unknown, replica = "a") => mvRegister.update(s, { op: "set", args: [v] }, ctx(replica));
const merged = (a: MVRegisterState, b: MVRegisterState) => mvRegister.merge(mvRegister.clone!(a), b);

describe("mv-register", () => {
  lawTests(mvRegister);
  lawTests({ ...mvRegister, name: "mv-register (4 replicas)" }, { replicas: 4 });
  lawTests({ ...mvRegister, name: "mv-register (structured JSON values)", ops: [{ op: "set", args: [{ pick: JSON_ELEMENTS }] }] });

  it("is empty before the first write; a write replaces the value locally", () => {
    let s = mvRegister.init("a");
    expect(mvRegister.value(s)).toEqual([]);
    s = set(s, "555-0101").state;
    s = set(s, "555-0102").state;
    expect(mvRegister.value(s)).toEqual(["555-0102"]);
    expect(s.size).toBe(1);
  });

  it("keeps both concurrent values (the Alice/Bob phone edit), and a later write collapses them", () => {
    const alice = set(mvRegister.init("alice"), "555-0101", "alice");
    const bob = set(mvRegister.init("bob"), "555-0202", "bob");
    const atAlice = mvRegister.merge(alice.state, bob.delta);
    const atBob = mvRegister.merge(bob.state, alice.delta);
    expect(mvRegister.value(atAlice)).toEqual(["555-0101", "555-0202"]);
    expect(hex(atAlice)).toBe(hex(atBob));
    // Bob has seen both, so his write supersedes both, everywhere.
    const resolve = set(atBob, "555-0303", "bob");
    expect(mvRegister.value(resolve.state)).toEqual(["555-0303"]);
    expect(mvRegister.value(mvRegister.merge(atAlice, resolve.delta))).toEqual(["555-0303"]);
    expect(hex(atAlice)).toBe(hex(resolve.state));
  });

  it("a write supersedes only what it has seen: a write concurrent with a resolution survives it", () => {
    const a = set(mvRegister.init("a"), 1, "a");
    const b = set(mvRegister.init("b"), 2, "b");
    const resolvedAtA = set(merged(a.state, b.delta), 3, "a");
    const c = set(mvRegister.init("c"), 4, "c");
    expect(mvRegister.value(merged(resolvedAtA.state, c.state))).toEqual([3, 4]);
    // An old write arriving late changes nothing.
    expect(mvRegister.value(merged(resolvedAtA.state, b.delta))).toEqual([3]);
  });

  it("concurrent writes of an equal value are one value (deduplicated by canonical key)", () => {
    const a = set(mvRegister.init("a"), { x: 1, y: 2 }, "a");
    const b = set(mvRegister.init("b"), { y: 2, x: 1 }, "b");
    const m = merged(a.state, b.state);
    expect(mvRegister.value(m)).toEqual([{ x: 1, y: 2 }]);
    expect(m.dotsOf('{"x":1,"y":2}')).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
  });

  it("a delta is the new value with a context of the superseded dots, and shares nothing mutable with the state", () => {
    const m = merged(set(mvRegister.init("a"), 1, "a").state, set(mvRegister.init("b"), 2, "b").state);
    const { state, delta } = set(m, 3, "a");
    expect(delta.values()).toEqual([3]);
    expect(delta.ctx.toJSON()).toEqual({ vv: { a: 2, b: 1 }, cloud: [] });
    const before = hex(delta);
    set(state, 4, "a");
    mvRegister.merge(state, set(mvRegister.init("c"), 5, "c").delta);
    expect(hex(delta)).toBe(before);
  });

  it("refuses bad ops, naming the op, and leaves the state byte-identical", () => {
    const s = set(mvRegister.init("a"), "x").state;
    const before = hex(s);
    expect(() => mvRegister.update(s, { op: "add", args: [1] }, ctx("a"))).toThrow(/op "add": unknown op \(this type takes: set\)/);
    expect(() => mvRegister.update(s, { op: "set", args: [] }, ctx("a"))).toThrow(/op "set": expects 1 argument, got 0/);
    expect(() => mvRegister.update(s, { op: "set", args: [1, 2] }, ctx("a"))).toThrow(/op "set": expects 1 argument, got 2/);
    expect(() => set(s, undefined)).toThrow(OpError);
    expect(() => set(s, () => 1)).toThrow(/op "set": argument is not a JSON value/);
    expect(() => set(s, [1, Symbol("s")])).toThrow(/op "set": argument is not a JSON value/);
    expect(hex(s)).toBe(before);
  });

  it("refuses another type's bytes, even though the layout is the OR-Set's", () => {
    const bytes = orSet.codec!.encode(orSet.init("a"));
    expect(() => mvRegister.codec!.decode(bytes)).toThrow(DecodeError);
    expect(() => mvRegister.codec!.decode(bytes)).toThrow(/or-set, not a mv-register/);
  });

  it("takes no options", () => {
    expect(() => mvRegister.configure({ clock: "hlc" })).toThrow(/takes no options/);
  });
});
