import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { VersionVector } from "./version-vector.ts";

const vv = (o: Record<string, number>) => VersionVector.from(o);
const vvArb = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.nat(4)).map(vv);

describe("version vector", () => {
  it("compares the four cases of the slide in 'Conflict-free Replicated Data Types'", () => {
    expect(vv({ a: 1, b: 0, c: 0 }).compare(vv({ a: 2, b: 1, c: 2 }))).toBe("before");
    expect(vv({ a: 2, b: 1, c: 2 }).compare(vv({ a: 2, b: 1, c: 2 }))).toBe("equal");
    expect(vv({ a: 4, b: 1, c: 2 }).compare(vv({ a: 3, b: 0, c: 0 }))).toBe("after");
    expect(vv({ a: 4, b: 1, c: 2 }).compare(vv({ a: 3, b: 2, c: 2 }))).toBe("concurrent");
  });

  it("treats a missing entry as 0: {a:0} equals {}, and a replica only the other knows makes it ahead", () => {
    expect(vv({ a: 0 }).compare(vv({}))).toBe("equal");
    expect(vv({ a: 0 }).size).toBe(0);
    expect(vv({ a: 1 }).compare(vv({ a: 1, b: 1 }))).toBe("before");
    expect(vv({ a: 1, b: 1 }).compare(vv({ b: 1 }))).toBe("after");
    expect(vv({ a: 1 }).compare(vv({ b: 1 }))).toBe("concurrent");
  });

  it("get/set/increment/entries/toJSON: sorted ids, zeros omitted, insertion order invisible", () => {
    const v = new VersionVector();
    expect(v.get("x")).toBe(0);
    expect(v.increment("c")).toBe(1);
    expect(v.increment("c")).toBe(2);
    v.set("a", 5).set("b", 0);
    expect(v.entries()).toEqual([
      ["a", 5],
      ["c", 2],
    ]);
    expect(JSON.stringify(v)).toBe('{"a":5,"c":2}');
    expect(JSON.stringify(vv({ c: 2, a: 5 }))).toBe(JSON.stringify(v));
    expect(v.size).toBe(2);
    v.set("c", 0);
    expect(v.toJSON()).toEqual({ a: 5 });
    expect(() => v.set("a", -1)).toThrow(RangeError);
    expect(() => v.set("a", 1.5)).toThrow(RangeError);
    expect(Object.keys(vv(JSON.parse('{"__proto__":3}')).toJSON())).toEqual(["__proto__"]);
  });

  it("clone is independent", () => {
    const v = vv({ a: 1 });
    const c = v.clone();
    c.increment("a");
    expect(v.get("a")).toBe(1);
    expect(c.get("a")).toBe(2);
  });

  it("compare is antisymmetric (before ↔ after swap, equal and concurrent symmetric) and agrees with dominates", () => {
    const flip = { before: "after", after: "before", equal: "equal", concurrent: "concurrent" } as const;
    checkProperty(
      fc.property(vvArb, vvArb, (x, y) => {
        const o = x.compare(y);
        expect(y.compare(x)).toBe(flip[o]);
        expect(x.dominates(y)).toBe(o === "after" || o === "equal");
        expect(x.equals(y)).toBe(o === "equal");
      }),
      { numRuns: 500 },
    );
  });

  it("merge is the least upper bound: it dominates both inputs, is pointwise max, leaves its argument alone", () => {
    checkProperty(
      fc.property(vvArb, vvArb, (x, y) => {
        const yBefore = JSON.stringify(y);
        const m = x.clone().merge(y);
        expect(m.dominates(x) && m.dominates(y)).toBe(true);
        for (const r of ["a", "b", "c", "d"]) expect(m.get(r)).toBe(Math.max(x.get(r), y.get(r)));
        expect(JSON.stringify(y)).toBe(yBefore);
      }),
      { numRuns: 500 },
    );
  });

  it("merge is commutative, associative and idempotent", () => {
    checkProperty(
      fc.property(vvArb, vvArb, vvArb, (x, y, z) => {
        expect(x.clone().merge(y).toJSON()).toEqual(y.clone().merge(x).toJSON());
        expect(x.clone().merge(y).merge(z).toJSON()).toEqual(x.clone().merge(y.clone().merge(z)).toJSON());
        expect(x.clone().merge(x).compare(x)).toBe("equal");
      }),
      { numRuns: 500 },
    );
  });
});
