import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OpCrdt } from "../contract.ts";
import { checkProperty } from "../_test/prop.ts";
import { opArbitrary } from "../_test/op-arbitrary.ts";
import { opCrdts, resolveAnyBuiltin } from "../registry.ts";
import { opCounter } from "./op-counter.ts";
import { opOrSet } from "./op-or-set.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const meta = (origin: string, seq: number) => ({ origin, seq });

describe("op-based builtins", () => {
  it("are registered as op-counter and op-or-set and resolve like builtins", () => {
    expect(Object.keys(opCrdts)).toEqual(["op-counter", "op-or-set"]);
    expect(resolveAnyBuiltin("op-counter")).toBe(opCounter);
    expect(resolveAnyBuiltin({ type: "op-or-set" })).toBe(opOrSet);
    expect(resolveAnyBuiltin("g-counter").kind).toBe("state");
    expect(() => resolveAnyBuiltin({ type: "op-counter", clock: "hlc" })).toThrow(/takes no options/);
    expect(() => resolveAnyBuiltin("op-nothing")).toThrow(/unknown CRDT "op-nothing".*op-counter, op-or-set/);
  });

  it("op-counter: inc/dec become signed effects; a duplicate counts twice (the layer must dedup)", () => {
    const e1 = opCounter.prepare(0, { op: "inc", args: [5] }, ctx("a"));
    const e2 = opCounter.prepare(0, { op: "dec", args: [2] }, ctx("b"));
    expect([e1, e2]).toEqual([5, -2]);
    expect(opCounter.value(opCounter.effect(opCounter.effect(0, e1, meta("a", 1)), e2, meta("b", 1)))).toBe(3);
    expect(opCounter.effect(opCounter.effect(0, e1, meta("a", 1)), e1, meta("a", 1))).toBe(10);
    expect(() => opCounter.prepare(0, { op: "inc", args: [0] }, ctx("a"))).toThrow(/positive integer/);
    expect(() => opCounter.prepare(0, { op: "add", args: [1] }, ctx("a"))).toThrow(/unknown op/);
  });

  it("op-or-set: add wins over a concurrent remove; a remove drops exactly the adds it observed", () => {
    const s = opOrSet;
    let a = s.init("a");
    let b = s.init("b");
    const add1 = s.prepare(a, { op: "add", args: ["milk"] }, ctx("a"));
    a = s.effect(a, add1, meta("a", 1));
    b = s.effect(b, add1, meta("a", 1));
    const rm = s.prepare(b, { op: "remove", args: ["milk"] }, ctx("b")); // observed a:1
    const add2 = s.prepare(a, { op: "add", args: ["milk"] }, ctx("a")); // concurrent
    expect(rm).toEqual({ remove: "milk", tags: ["1:a"] });
    a = s.effect(s.effect(a, add2, meta("a", 2)), rm, meta("b", 1));
    b = s.effect(s.effect(b, rm, meta("b", 1)), add2, meta("a", 2));
    expect(s.value(a)).toEqual(["milk"]);
    expect(s.value(b)).toEqual(["milk"]);
    // A remove that has seen both adds removes the element.
    const rm2 = s.prepare(a, { op: "remove", args: ["milk"] }, ctx("a"));
    expect(s.value(s.effect(a, rm2, meta("a", 3)))).toEqual([]);
    // Remove before its add (no causal delivery): it removes nothing and the add stays.
    const c = s.effect(s.effect(s.init("c"), rm, meta("b", 1)), add1, meta("a", 1));
    expect(s.value(c)).toEqual(["milk"]);
  });

  /** Concurrent ops (prepared on the same state) commute: applying their effects in any order gives the same value. */
  for (const crdt of [opCounter, opOrSet] as OpCrdt[]) {
    it(`${crdt.name}: effects of concurrent ops commute`, () => {
      checkProperty(
        fc.property(fc.array(opArbitrary(crdt.ops), { maxLength: 6 }), fc.array(opArbitrary(crdt.ops), { minLength: 1, maxLength: 8 }), fc.nat(), (past, concurrent, salt) => {
          // A shared causal past, then concurrent ops prepared against it at different replicas.
          let base = crdt.init("x");
          past.forEach((op, i) => (base = crdt.effect(base, crdt.prepare(base, op, ctx("p")), meta("p", i + 1))));
          const effects = concurrent.map((op, i) => ({ e: crdt.prepare(crdt.clone!(base), op, ctx(`r${i}`)), m: meta(`r${i}`, 1) }));
          const apply = (order: number[]) => {
            let s = crdt.clone!(base);
            for (const i of order) s = crdt.effect(s, effects[i]!.e, effects[i]!.m);
            return crdt.value(s);
          };
          const ids = effects.map((_, i) => i);
          const rotated = ids.map((_, i) => ids[(i + salt) % ids.length]!);
          expect(apply([...ids].reverse())).toEqual(apply(ids));
          expect(apply(rotated)).toEqual(apply(ids));
        }),
        { numRuns: 60 },
      );
    });
  }
});
