import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import type { StateCrdt } from "../contract.ts";
import { CrdtOptionError, DecodeError, OpError } from "../errors.ts";
import type { Json } from "../util/json.ts";
import { lwwMap, type LwwMapState } from "./lww-map.ts";

type M = StateCrdt<LwwMapState, Record<string, Json>>;
const hlc = lwwMap as unknown as M;
const physical = lwwMap.configure({ clock: "physical" }) as M;
const at = (replica: string, now: number) => ({ replica, now: () => now });
const run = (crdt: M, s: LwwMapState, op: string, args: unknown[], replica = "a", now = 0) => crdt.update(s, { op, args }, at(replica, now));
const hex = (s: LwwMapState) => Buffer.from(hlc.codec!.encode(s)).toString("hex");
const merged = (crdt: M, a: LwwMapState, b: LwwMapState) => crdt.merge(crdt.clone!(a), b);

describe("lww-map", () => {
  lawTests(hlc);
  describe("clock: physical", () => lawTests(physical));
  lawTests({
    ...physical,
    name: "lww-map (physical, set null vs delete ties)",
    ops: [
      { op: "set", args: [{ pick: ["k", "__proto__"] }, { pick: [null, 0, "x"] }], weight: 2 },
      { op: "delete", args: [{ pick: ["k", "__proto__"] }] },
    ],
  });

  it("is an object of the live keys; deleted keys are omitted; keys are independent", () => {
    let s = hlc.init("a");
    s = run(hlc, s, "set", ["phone", "555"], "a", 1).state;
    s = run(hlc, s, "set", ["email", "a@x"], "a", 2).state;
    expect(hlc.value(s)).toEqual({ email: "a@x", phone: "555" });
    expect(Object.keys(hlc.value(s))).toEqual(["email", "phone"]);
    s = run(hlc, s, "delete", ["phone"], "a", 3).state;
    expect(hlc.value(s)).toEqual({ email: "a@x" });
    s = run(hlc, s, "set", ["phone", "556"], "a", 4).state;
    expect(hlc.value(s)).toEqual({ email: "a@x", phone: "556" });
  });

  it("concurrent sets of different keys are both kept; of one key the later timestamp wins, in both merge orders", () => {
    const a = run(hlc, hlc.init("a"), "set", ["phone", "from a"], "a", 100).state;
    const b = run(hlc, hlc.init("b"), "set", ["email", "from b"], "b", 50).state;
    expect(hlc.value(merged(hlc, a, b))).toEqual({ email: "from b", phone: "from a" });
    const b2 = run(hlc, b, "set", ["phone", "from b"], "b", 200).state;
    for (const m of [merged(hlc, a, b2), merged(hlc, b2, a)]) expect(hlc.value(m)).toEqual({ email: "from b", phone: "from b" });
    expect(hex(merged(hlc, a, b2))).toBe(hex(merged(hlc, b2, a)));
  });

  it("a delete is a timestamped write: it beats an older set (even one arriving late) and loses to a newer one", () => {
    const set = run(hlc, hlc.init("a"), "set", ["k", 1], "a", 10);
    const del = run(hlc, hlc.init("b"), "delete", ["k"], "b", 20); // b never saw k: still a tombstone
    expect(del.delta.size).toBe(1);
    expect(hlc.value(merged(hlc, del.state, set.delta))).toEqual({});
    expect(hlc.value(merged(hlc, set.state, del.delta))).toEqual({});
    const later = run(hlc, hlc.init("c"), "set", ["k", 2], "c", 30);
    expect(hlc.value(hlc.merge(merged(hlc, del.state, later.delta), set.delta))).toEqual({ k: 2 });
  });

  it('"hlc": a delete that follows a set is stamped after it even with the deleter\'s clock far behind', () => {
    const a = run(hlc, hlc.init("a"), "set", ["k", "v"], "a", 36_000_000).state;
    const b = run(hlc, merged(hlc, hlc.init("b"), a), "delete", ["k"], "b", 35_940_000).state;
    expect(b.get("k")!.write.ts).toEqual({ l: 36_000_000, c: 1 });
    for (const m of [merged(hlc, a, b), merged(hlc, b, a)]) expect(hlc.value(m)).toEqual({});
  });

  it('"physical": the same delete from a clock 60 s behind is void: the key stays, everywhere ("Distributed Data Without Tears")', () => {
    const a = run(physical, physical.init("a"), "set", ["k", "v"], "a", 36_000_000).state;
    const d = run(physical, merged(physical, physical.init("b"), a), "delete", ["k"], "b", 35_940_000);
    expect(d.delta.size).toBe(0);
    expect(physical.value(d.state)).toEqual({ k: "v" });
  });

  it("the delta is the one key's entry and shares nothing mutable with the state", () => {
    const arg = { n: [1] };
    let s = run(hlc, hlc.init("a"), "set", ["x", "big".repeat(100)]).state;
    const { state, delta } = run(hlc, s, "set", ["y", arg], "a", 1);
    arg.n.push(2);
    expect([...delta.keys()]).toEqual(["y"]);
    expect(hlc.value(delta)).toEqual({ y: { n: [1] } });
    s = run(hlc, state, "set", ["y", 3], "a", 2).state;
    expect(hlc.value(delta)).toEqual({ y: { n: [1] } });
    expect(Object.isFrozen(delta.get("y"))).toBe(true);
  });

  it("refuses bad ops and clock readings, naming the op, and leaves the state byte-identical", () => {
    const s = run(hlc, hlc.init("a"), "set", ["k", 1]).state;
    const before = hex(s);
    expect(() => run(hlc, s, "put", ["k", 1])).toThrow(/lww-map: op "put": unknown op \(this type takes: set, delete\)/);
    expect(() => run(hlc, s, "set", ["k"])).toThrow(/op "set": expects 2 arguments, got 1/);
    expect(() => run(hlc, s, "delete", ["k", 1])).toThrow(/op "delete": expects 1 argument, got 2/);
    expect(() => run(hlc, s, "set", [1, 1])).toThrow(/op "set": the key must be a string, got 1/);
    expect(() => run(hlc, s, "set", ["k", undefined])).toThrow(/op "set": argument is not a JSON value/);
    expect(() => run(hlc, s, "set", ["k", 1], "a", 1.5)).toThrow(/op "set": the node clock/);
    expect(() => run(hlc, s, "set", ["k", 1], "a", 1.5)).toThrow(OpError);
    expect(hex(s)).toBe(before);
  });

  it("refuses bad options", () => {
    expect(() => lwwMap.configure({ clock: "wall" })).toThrow(CrdtOptionError);
    expect(() => lwwMap.configure({ clock: "wall" })).toThrow(/lww-map: option "clock": must be "hlc" or "physical"/);
    expect(() => lwwMap.configure({ keys: 1 })).toThrow(/option "keys": unknown option \(known: clock\)/);
  });

  it("decoding refuses unsorted keys, bad tags and another type's bytes", () => {
    const s = run(hlc, run(hlc, hlc.init("a"), "set", ["b", 1]).state, "delete", ["a"]).state;
    const bytes = hlc.codec!.encode(s);
    expect(hlc.value(hlc.codec!.decode(bytes))).toEqual({ b: 1 });
    // header, count 1, key "k", tag 2
    expect(() => hlc.codec!.decode(new Uint8Array([1, 8, 1, 1, 107, 2, 0, 0, 1, 97]))).toThrow(/bad entry tag 2/);
    // two keys "b" then "a"
    expect(() => hlc.codec!.decode(new Uint8Array([1, 8, 2, 1, 98, 1, 0, 0, 1, 97, 1, 97, 1, 0, 0, 1, 97]))).toThrow(/keys not strictly sorted/);
    expect(() => hlc.codec!.decode(new Uint8Array([1, 7, 0]))).toThrow(DecodeError);
  });
});
