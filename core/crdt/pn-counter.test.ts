import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { at } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";
import { resealed } from "../_test/frame.ts";
import { DecodeError, OpError } from "../errors.ts";
import { pnCounter, type PNCounterState } from "./pn-counter.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const IDS = ["a", "b", "c"];
const hex = (s: PNCounterState) => Buffer.from(pnCounter.codec!.encode(s)).toString("hex");

describe("pn-counter", () => {
  lawTests(pnCounter);

  it("value = increments − decrements, for any ops spread over 3 replicas merged in any order, duplicates included", () => {
    const opArb = fc.record({ replica: fc.nat(2), op: fc.constantFrom("inc", "dec"), n: fc.integer({ min: 1, max: 1000 }) });
    checkProperty(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(fc.nat(2), { minLength: 3, maxLength: 8 }), fc.infiniteStream(fc.nat()), (ops, extraMerges, order) => {
        const states = IDS.map((id) => pnCounter.init(id));
        const deltas: PNCounterState[] = [];
        let expected = 0;
        for (const { replica, op, n } of ops) {
          const r = pnCounter.update(at(states, replica), { op, args: [n] }, ctx(at(IDS, replica)));
          states[replica] = r.state;
          deltas.push(r.delta);
          expected += op === "inc" ? n : -n;
        }
        // Full states: every replica once (shuffled), then some again.
        const perm = IDS.map((_, i) => [order.next().value as number, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        let full = pnCounter.init("z");
        for (const [, i] of perm) full = pnCounter.merge(full, states[i]);
        for (const i of extraMerges) full = pnCounter.merge(full, states[i]);
        expect(pnCounter.value(full)).toBe(expected);
        // Deltas: shuffled, each delivered twice.
        const shuffled = [...deltas, ...deltas].map((d, i) => [order.next().value as number, i, d] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        let viaDeltas = pnCounter.init("y");
        for (const [, , d] of shuffled) viaDeltas = pnCounter.merge(viaDeltas, d);
        expect(pnCounter.value(viaDeltas)).toBe(expected);
        expect(hex(viaDeltas)).toBe(hex(full));
      }),
    );
  });

  it("a decrement is not undone by merging an older state (why two G-Counters, not one signed map)", () => {
    let a = pnCounter.update(pnCounter.init("a"), { op: "inc", args: [5] }, ctx("a")).state;
    const old = pnCounter.clone!(a);
    a = pnCounter.update(a, { op: "dec", args: [3] }, ctx("a")).state;
    expect(pnCounter.value(pnCounter.merge(a, old))).toBe(2);
    expect(pnCounter.value(pnCounter.merge(pnCounter.clone!(old), a))).toBe(2);
  });

  it("the delta is the single changed entry", () => {
    const s = pnCounter.update(pnCounter.init("a"), { op: "inc", args: [4] }, ctx("a")).state;
    pnCounter.update(s, { op: "inc", args: [1] }, ctx("b"));
    const { delta } = pnCounter.update(s, { op: "dec", args: [2] }, ctx("a"));
    expect([...delta.p]).toEqual([]);
    expect([...delta.n]).toEqual([["a", 2]]);
    delta.n.set("a", 99); // shares nothing mutable with the state
    expect(pnCounter.value(s)).toBe(3);
  });

  it("refuses unknown ops, wrong arity and bad amounts, naming the op, and leaves the state byte-identical", () => {
    const s = pnCounter.update(pnCounter.init("a"), { op: "inc", args: [2] }, ctx("a")).state;
    const before = hex(s);
    expect(() => pnCounter.update(s, { op: "add", args: [1] }, ctx("a"))).toThrow(/op "add": unknown op/);
    expect(() => pnCounter.update(s, { op: "dec", args: [] }, ctx("a"))).toThrow(/op "dec": expects 1 argument/);
    expect(() => pnCounter.update(s, { op: "inc", args: [1, 2] }, ctx("a"))).toThrow(/op "inc": expects 1 argument/);
    for (const bad of [0, -1, 1.5, "1", null, Number.MAX_SAFE_INTEGER + 1])
      for (const op of ["inc", "dec"]) {
        expect(() => pnCounter.update(s, { op, args: [bad] }, ctx("a"))).toThrow(OpError);
        expect(() => pnCounter.update(s, { op, args: [bad] }, ctx("a"))).toThrow(new RegExp(`op "${op}": amount must be a positive integer`));
      }
    expect(hex(s)).toBe(before);
  });

  it("refuses another type's bytes and zero entries", () => {
    const bytes = pnCounter.codec!.encode(pnCounter.init("a"));
    bytes[1] = 1;
    expect(() => pnCounter.codec!.decode(resealed(bytes))).toThrow(/g-counter, not a pn-counter/);
    // header, p = {a: 0}, n = {}
    expect(() => pnCounter.codec!.decode(new Uint8Array([1, 2, 1, 1, 97, 0, 0]))).toThrow(DecodeError);
  });

  it("takes no options", () => {
    expect(() => pnCounter.configure({ clock: "hlc" })).toThrow(/option "clock": this type takes no options/);
  });
});
