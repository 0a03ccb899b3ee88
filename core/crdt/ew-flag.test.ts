import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { at } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";
import { resealed } from "../_test/frame.ts";
import { DecodeError, OpError } from "../errors.ts";
import { ewFlag, type EWFlagState } from "./ew-flag.ts";
import { orSet } from "./or-set.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const IDS = ["a", "b", "c"];
const hex = (s: EWFlagState) => Buffer.from(ewFlag.codec!.encode(s)).toString("hex");
const enable = { op: "enable", args: [] };
const disable = { op: "disable", args: [] };

describe("ew-flag", () => {
  lawTests(ewFlag);

  it("is an OR-Set of one element: after any history of enables, disables, state syncs and delta deliveries (re-delivered, out of order), every replica's flag is set exactly when the OR-Set's replica holds the element", () => {
    const step = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("op" as const), replica: fc.nat(2), enable: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: fc.nat(2), to: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("deliver" as const), delta: fc.nat(), to: fc.nat(2) }) },
    );
    checkProperty(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const flags = IDS.map((id) => ewFlag.init(id));
        const sets = IDS.map((id) => orSet.init(id));
        const deltas: [EWFlagState, unknown][] = [];
        for (const s of steps) {
          if (s.kind === "op") {
            const f = ewFlag.update(at(flags, s.replica), s.enable ? enable : disable, ctx(at(IDS, s.replica)));
            const o = orSet.update(at(sets, s.replica), { op: s.enable ? "add" : "remove", args: ["x"] }, ctx(at(IDS, s.replica)));
            flags[s.replica] = f.state;
            sets[s.replica] = o.state;
            deltas.push([f.delta, o.delta]);
          } else if (s.kind === "sync") {
            flags[s.to] = ewFlag.merge(at(flags, s.to), ewFlag.clone!(at(flags, s.from)));
            sets[s.to] = orSet.merge(at(sets, s.to), orSet.clone!(at(sets, s.from)));
          } else if (deltas.length > 0) {
            const [f, o] = at(deltas, s.delta % deltas.length);
            flags[s.to] = ewFlag.merge(at(flags, s.to), f);
            sets[s.to] = orSet.merge(at(sets, s.to), o);
          }
          for (let i = 0; i < IDS.length; i++) expect(ewFlag.value(at(flags, i)), `replica ${at(IDS, i)}`).toBe((orSet.value(at(sets, i)) as unknown[]).includes("x"));
        }
      }),
    );
  });

  it("an enable concurrent with a disable wins; a disable that saw every enable clears the flag; re-enabling works", () => {
    let a = ewFlag.update(ewFlag.init("a"), enable, ctx("a")).state;
    let b = ewFlag.merge(ewFlag.init("b"), ewFlag.clone!(a));
    b = ewFlag.update(b, disable, ctx("b")).state;
    expect(ewFlag.value(b)).toBe(false);
    a = ewFlag.update(a, enable, ctx("a")).state; // concurrent with b's disable
    expect(ewFlag.value(ewFlag.merge(ewFlag.clone!(b), a))).toBe(true);
    expect(ewFlag.value(ewFlag.merge(ewFlag.clone!(a), b))).toBe(true);
    const both = ewFlag.merge(ewFlag.clone!(a), b);
    const off = ewFlag.update(both, disable, ctx("b")).state;
    expect(ewFlag.value(off)).toBe(false);
    expect(ewFlag.value(ewFlag.update(off, enable, ctx("c")).state)).toBe(true);
    expect(ewFlag.value(ewFlag.init("z"))).toBe(false);
  });

  it("an enable's delta is its one entry; a disable's the entries it raised (none when it saw nothing new)", () => {
    const s = ewFlag.update(ewFlag.init("a"), enable, ctx("a")).state;
    ewFlag.update(s, enable, ctx("b"));
    const { delta } = ewFlag.update(s, enable, ctx("a"));
    expect([...delta.enables]).toEqual([["a", 2]]);
    expect([...delta.disabled]).toEqual([]);
    delta.enables.set("a", 99); // shares nothing mutable with the state
    expect(s.enables.get("a")).toBe(2);
    const off = ewFlag.update(s, disable, ctx("a")).delta;
    expect([...off.enables]).toEqual([]);
    expect([...off.disabled]).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    const again = ewFlag.update(s, disable, ctx("c")).delta;
    expect(ewFlag.isBottom!(again)).toBe(true);
  });

  it("encodes the halves in sorted replica order, whatever the insertion order", () => {
    let x = ewFlag.init("x");
    for (const r of ["c", "a", "b"]) x = ewFlag.update(x, enable, ctx(r)).state;
    let y = ewFlag.init("y");
    for (const r of ["b", "c", "a"]) y = ewFlag.update(y, enable, ctx(r)).state;
    expect(hex(x)).toBe(hex(y));
    expect(ewFlag.codec!.decode(ewFlag.codec!.encode(x))).toEqual(y);
  });

  it("refuses unknown ops and arguments, naming the op, and leaves the state byte-identical", () => {
    const s = ewFlag.update(ewFlag.init("a"), enable, ctx("a")).state;
    const before = hex(s);
    expect(() => ewFlag.update(s, { op: "set", args: [true] }, ctx("a"))).toThrow(/op "set": unknown op/);
    expect(() => ewFlag.update(s, { op: "enable", args: [1] }, ctx("a"))).toThrow(OpError);
    expect(() => ewFlag.update(s, { op: "disable", args: [1] }, ctx("a"))).toThrow(/op "disable": expects 0 arguments/);
    expect(hex(s)).toBe(before);
  });

  it("refuses another type's bytes and zero entries", () => {
    const bytes = ewFlag.codec!.encode(ewFlag.init("a"));
    bytes[1] = 2;
    expect(() => ewFlag.codec!.decode(resealed(bytes))).toThrow(/pn-counter, not a ew-flag/);
    // version 1 header, enables = {a: 0}, disabled = {}
    expect(() => ewFlag.codec!.decode(new Uint8Array([1, 14, 1, 1, 97, 0, 0]))).toThrow(DecodeError);
  });

  it("takes no options", () => {
    expect(() => ewFlag.configure({ clock: "hlc" })).toThrow(/option "clock": this type takes no options/);
  });
});
