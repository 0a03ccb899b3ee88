import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { CausalContext } from "./causal-context.ts";
import { compareDots, type Dot, dotKey } from "./dot.ts";

const REPLICAS = ["a", "b", "c"];
const dotArb: fc.Arbitrary<Dot> = fc.tuple(fc.constantFrom(...REPLICAS), fc.integer({ min: 1, max: 8 }));
const dotsArb = fc.array(dotArb, { maxLength: 20 });
const ctxOf = (dots: readonly Dot[]) => {
  const cc = new CausalContext();
  for (const d of dots) cc.add(d);
  return cc;
};
const ALL: Dot[] = REPLICAS.flatMap((r) => Array.from({ length: 10 }, (_, i): Dot => [r, i + 1]));

describe("dots", () => {
  it("dotKey is injective even when replica ids contain the separator", () => {
    expect(dotKey(["a:1", 2])).not.toBe(dotKey(["a", 12]));
    expect(dotKey(["1:a", 2])).not.toBe(dotKey(["a", 21]));
    expect(new Set([dotKey(["a", 1]), dotKey(["a", 11]), dotKey(["1:a", 1]), dotKey([":a", 11])]).size).toBe(4);
  });

  it("compareDots orders by replica then counter", () => {
    const ds: Dot[] = [
      ["b", 1],
      ["a", 10],
      ["a", 2],
    ];
    expect(ds.sort(compareDots)).toEqual([
      ["a", 2],
      ["a", 10],
      ["b", 1],
    ]);
  });
});

describe("causal context", () => {
  it("keeps a dot beyond a gap in the cloud, and absorbs it only once the gap is filled", () => {
    const cc = CausalContext.from({ vv: { a: 1 } });
    cc.add(["a", 3]);
    expect(cc.vv.toJSON()).toEqual({ a: 1 });
    expect(cc.cloud()).toEqual([["a", 3]]);
    expect(cc.has(["a", 2])).toBe(false);
    expect(cc.has(["a", 3])).toBe(true);
    expect(cc.has(["a", 4])).toBe(false);
    cc.add(["a", 2]);
    expect(cc.vv.toJSON()).toEqual({ a: 3 });
    expect(cc.cloud()).toEqual([]);
  });

  it("absorbs a whole run when the gap closes, keeping what lies beyond the next gap; drops covered dots", () => {
    const cc = CausalContext.from({
      cloud: [
        ["a", 2],
        ["a", 3],
        ["a", 5],
        ["b", 2],
      ],
    });
    expect(cc.vv.toJSON()).toEqual({});
    cc.add(["a", 1]);
    expect(cc.toJSON()).toEqual({
      vv: { a: 3 },
      cloud: [
        ["a", 5],
        ["b", 2],
      ],
    });
    cc.add(["a", 2]);
    expect(cc.toJSON()).toEqual({
      vv: { a: 3 },
      cloud: [
        ["a", 5],
        ["b", 2],
      ],
    });
  });

  it("merge compacts across both sides: their vector can cover or reach our cloud", () => {
    const ours = CausalContext.from({
      vv: { a: 1 },
      cloud: [
        ["a", 3],
        ["a", 6],
      ],
    });
    const theirs = CausalContext.from({ vv: { a: 4 } });
    expect(ours.clone().merge(theirs).toJSON()).toEqual({ vv: { a: 4 }, cloud: [["a", 6]] });
    const gapFiller = CausalContext.from({
      cloud: [
        ["a", 2],
        ["a", 4],
        ["a", 5],
      ],
    });
    expect(ours.clone().merge(gapFiller).toJSON()).toEqual({ vv: { a: 6 }, cloud: [] });
  });

  it("next() issues one past the largest counter seen, and records it", () => {
    const cc = CausalContext.from({ vv: { a: 2 }, cloud: [["a", 7]] });
    expect(cc.next("a")).toEqual(["a", 8]);
    expect(cc.has(["a", 8])).toBe(true);
    expect(cc.next("z")).toEqual(["z", 1]);
    expect(cc.toJSON()).toEqual({
      vv: { a: 2, z: 1 },
      cloud: [
        ["a", 7],
        ["a", 8],
      ],
    });
  });

  it("isEmpty, clone independence, invalid dots refused", () => {
    const cc = new CausalContext();
    expect(cc.isEmpty()).toBe(true);
    const c2 = cc.clone();
    c2.add(["a", 4]);
    expect(cc.isEmpty()).toBe(true);
    expect(c2.isEmpty()).toBe(false);
    expect(() => cc.add(["a", 0])).toThrow(RangeError);
    expect(() => cc.add(["a", 1.5])).toThrow(RangeError);
  });

  it("compaction never changes the set of dots represented, and the form is canonical (any insertion order)", () => {
    checkProperty(
      fc.property(dotsArb, fc.infiniteStream(fc.nat()), (dots, order) => {
        const cc = ctxOf(dots);
        const keys = new Set(dots.map(dotKey));
        for (const d of ALL) expect(cc.has(d)).toBe(keys.has(dotKey(d)));
        // Invariant: every cloud dot lies beyond a gap.
        for (const [r, c] of cc.cloud()) expect(c).toBeGreaterThan(cc.vv.get(r) + 1);
        const shuffled = dots
          .map((d) => [order.next().value as number, d] as const)
          .sort((x, y) => x[0] - y[0])
          .map(([, d]) => d);
        const other = ctxOf(shuffled);
        expect(other.toJSON()).toEqual(cc.toJSON());
        expect(other.equals(cc)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("has after merge = has in either; merge is commutative, associative, idempotent and leaves its argument alone", () => {
    checkProperty(
      fc.property(dotsArb, dotsArb, dotsArb, (xs, ys, zs) => {
        const [x, y, z] = [ctxOf(xs), ctxOf(ys), ctxOf(zs)];
        const yBefore = JSON.stringify(y);
        const m = x.clone().merge(y);
        expect(JSON.stringify(y)).toBe(yBefore);
        for (const d of ALL) expect(m.has(d)).toBe(x.has(d) || y.has(d));
        for (const [r, c] of m.cloud()) expect(c).toBeGreaterThan(m.vv.get(r) + 1);
        expect(m.toJSON()).toEqual(y.clone().merge(x).toJSON());
        expect(m.clone().merge(z).toJSON()).toEqual(x.clone().merge(y.clone().merge(z)).toJSON());
        expect(x.clone().merge(x).toJSON()).toEqual(x.toJSON());
        expect(m.toJSON()).toEqual(ctxOf([...xs, ...ys]).toJSON());
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips through toJSON/from", () => {
    checkProperty(
      fc.property(dotsArb, (dots) => {
        const cc = ctxOf(dots);
        expect(CausalContext.from(JSON.parse(JSON.stringify(cc))).equals(cc)).toBe(true);
      }),
    );
  });
});
