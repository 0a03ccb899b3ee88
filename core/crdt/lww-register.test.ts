import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import type { StateCrdt } from "../contract.ts";
import { CrdtOptionError, DecodeError, OpError } from "../errors.ts";
import type { Json } from "../util/json.ts";
import { JSON_ELEMENTS } from "./_internals/json-elements.fixture.ts";
import { lwwRegister, type LwwRegisterState } from "./lww-register.ts";

type Reg = StateCrdt<LwwRegisterState, Json>;
const hlc = lwwRegister as unknown as Reg;
const physical = lwwRegister.configure({ clock: "physical" }) as Reg;
const at = (replica: string, now: number) => ({ replica, now: () => now });
const set = (crdt: Reg, s: LwwRegisterState, v: unknown, replica: string, now: number) => crdt.update(s, { op: "set", args: [v] }, at(replica, now)).state;
const hex = (s: LwwRegisterState) => Buffer.from(hlc.codec!.encode(s)).toString("hex");
const mergeBothWays = (crdt: Reg, a: LwwRegisterState, b: LwwRegisterState) => [crdt.merge(crdt.clone!(a), b), crdt.merge(crdt.clone!(b), a)] as const;

/**
 * The lost update of "Distributed Data Without Tears": alice writes at 10:00:00 by her (correct) clock; bob, whose clock is
 * 60 s behind, receives her write and then corrects the value one second later.
 */
function skewedHistory(crdt: Reg) {
  const alice = set(crdt, crdt.init("alice"), "555-0101", "alice", 36_000_000);
  let bob = crdt.merge(crdt.init("bob"), alice); // bob has seen alice's write...
  bob = set(crdt, bob, "555-0199", "bob", 36_001_000 - 60_000); // ...and writes after it, by a clock 60 s slow
  return { alice, bob };
}

describe("lww-register", () => {
  lawTests(hlc);
  describe("clock: physical", () => lawTests(physical));
  // Colliding readings at one replica make (l, c, writer) tie, so the value tie-break is exercised.
  lawTests({ ...physical, name: "lww-register (physical, structured values)", ops: [{ op: "set", args: [{ pick: JSON_ELEMENTS }] }] });

  it("is null before the first write, then the value", () => {
    for (const crdt of [hlc, physical]) {
      expect(crdt.value(crdt.init("a"))).toBeNull();
      expect(crdt.value(set(crdt, crdt.init("a"), { n: [1] }, "a", 5))).toEqual({ n: [1] });
    }
  });

  it("the later write wins in either merge order (both clocks)", () => {
    for (const crdt of [hlc, physical]) {
      const a = set(crdt, crdt.init("a"), "old", "a", 100);
      const b = set(crdt, crdt.init("b"), "new", "b", 200);
      for (const m of mergeBothWays(crdt, a, b)) expect(crdt.value(m)).toBe("new");
    }
  });

  it('"physical": a causally later write from a node whose clock is 60 s behind is LOST ("Distributed Data Without Tears")', () => {
    const { alice, bob } = skewedHistory(physical);
    expect(physical.value(bob)).toBe("555-0101"); // lost even at bob, who wrote it last
    for (const m of mergeBothWays(physical, alice, bob)) expect(physical.value(m)).toBe("555-0101");
  });

  it('"hlc": the same history keeps the later write, stamped just past what bob had seen', () => {
    const { alice, bob } = skewedHistory(hlc);
    expect(bob.write?.ts).toEqual({ l: 36_000_000, c: 1 });
    for (const m of [bob, ...mergeBothWays(hlc, alice, bob)]) expect(hlc.value(m)).toBe("555-0199");
  });

  it("hlc: a replica's successive writes always win locally, even with its clock stalled or stepped back", () => {
    let s = hlc.init("a");
    for (const [v, now] of [
      ["x", 50],
      ["y", 50],
      ["z", 10],
    ] as const) {
      s = set(hlc, s, v, "a", now);
      expect(hlc.value(s)).toBe(v);
    }
    expect(s.write?.ts).toEqual({ l: 50, c: 2 });
  });

  it("equal timestamps resolve by replica id (larger wins), identically in both merge orders", () => {
    for (const crdt of [hlc, physical]) {
      const a = set(crdt, crdt.init("alice"), "from alice", "alice", 7);
      const b = set(crdt, crdt.init("bob"), "from bob", "bob", 7);
      expect(a.write?.ts).toEqual(b.write?.ts);
      const [ab, ba] = mergeBothWays(crdt, a, b);
      expect(crdt.value(ab)).toBe("from bob");
      expect(hex(ab)).toBe(hex(ba));
    }
  });

  it('"physical": one replica writing twice in the same millisecond is resolved by value, the same everywhere', () => {
    const s = set(physical, physical.init("a"), "b-value", "a", 3);
    const { state, delta } = physical.update(physical.clone!(s), { op: "set", args: ["a-value"] }, at("a", 3));
    expect(physical.value(state)).toBe("b-value");
    expect(delta.write).toBeNull(); // a void write sends nothing
  });

  it("the delta is the new write, and shares nothing mutable with the state", () => {
    const arg = { tags: ["x"] };
    const { state, delta } = hlc.update(hlc.init("a"), { op: "set", args: [arg] }, at("a", 1));
    arg.tags.push("y");
    expect(hlc.value(delta)).toEqual({ tags: ["x"] });
    expect(delta).not.toBe(state);
    expect(Object.isFrozen(delta.write)).toBe(true);
    expect(() => (hlc.value(state) as { tags: string[] }).tags.push("z")).toThrow(TypeError);
    expect(hlc.value(state)).toEqual({ tags: ["x"] });
  });

  it("refuses bad ops and bad clock readings, naming the op, and leaves the state byte-identical", () => {
    for (const crdt of [hlc, physical]) {
      const s = set(crdt, crdt.init("a"), "v", "a", 10);
      const before = hex(s);
      expect(() => crdt.update(s, { op: "put", args: [1] }, at("a", 11))).toThrow(/op "put": unknown op \(this type takes: set\)/);
      expect(() => crdt.update(s, { op: "set", args: [] }, at("a", 11))).toThrow(/op "set": expects 1 argument/);
      expect(() => crdt.update(s, { op: "set", args: [1, 2] }, at("a", 11))).toThrow(OpError);
      for (const bad of [undefined, NaN, new Map(), { x: undefined }])
        expect(() => crdt.update(s, { op: "set", args: [bad] }, at("a", 11))).toThrow(/op "set": argument is not a JSON value/);
      for (const now of [1.5, NaN, 2 ** 60]) expect(() => crdt.update(s, { op: "set", args: [1] }, at("a", now))).toThrow(/op "set": the node clock/);
      expect(hex(s)).toBe(before);
    }
  });

  it("refuses bad options", () => {
    expect(() => lwwRegister.configure({ clock: "wall" })).toThrow(CrdtOptionError);
    expect(() => lwwRegister.configure({ clock: "wall" })).toThrow(/option "clock": must be "hlc" or "physical", got "wall"/);
    expect(() => lwwRegister.configure({ clock: 1 })).toThrow(CrdtOptionError);
    expect(() => lwwRegister.configure({ tick: "hlc" })).toThrow(/option "tick": unknown option \(known: clock\)/);
    expect(lwwRegister.configure({ type: "lww-register", clock: "hlc" }).name).toBe("lww-register");
  });

  it("decoding refuses a bad presence flag and another type's bytes; the empty register round-trips", () => {
    expect(hlc.codec!.decode(hlc.codec!.encode(hlc.init("a")))).toEqual({ write: null });
    expect(() => hlc.codec!.decode(new Uint8Array([1, 6, 2]))).toThrow(/bad presence flag 2/);
    expect(() => hlc.codec!.decode(new Uint8Array([1, 7, 0]))).toThrow(DecodeError);
  });
});
