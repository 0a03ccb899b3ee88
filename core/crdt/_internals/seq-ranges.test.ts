import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../_test/prop.ts";
import { rangesAdd, rangesEach, rangesEnd, rangesHas, rangesMissing, rangesNormalize } from "./seq-ranges.ts";

const interval = fc.tuple(fc.nat(60), fc.nat(8)).map(([s, len]) => [s, s + len] as const);

/** The counters a flat interval list holds, as a sorted array: the model the lists must agree with. */
function members(r: readonly number[]): number[] {
  const out: number[] = [];
  rangesEach(r, (from, to) => {
    for (let c = from; c < to; c++) out.push(c);
  });
  return out;
}

/** Canonical: sorted, disjoint, non-adjacent, non-empty intervals. */
function canonical(r: readonly number[]): boolean {
  let prevEnd = -1;
  let ok = r.length % 2 === 0;
  rangesEach(r, (from, to) => {
    if (!(from < to && from > prevEnd)) ok = false;
    prevEnd = to;
  });
  return ok;
}

describe("interval lists (seq-ranges)", () => {
  it("add, has, missing, end and normalize agree with a set of counters", () => {
    checkProperty(
      fc.property(fc.array(interval, { maxLength: 12 }), interval, (adds, [qs, qe]) => {
        const r: number[] = [];
        const model = new Set<number>();
        for (const [s, e] of adds) {
          rangesAdd(r, s, e);
          for (let c = s; c < e; c++) model.add(c);
          expect(canonical(r)).toBe(true);
        }
        const sorted = [...model].sort((a, b) => a - b);
        expect(members(r)).toEqual(sorted);
        for (let c = 0; c < 72; c++) expect(rangesHas(r, c)).toBe(model.has(c));
        expect(rangesEnd(r)).toBe(sorted.length === 0 ? 0 : (sorted[sorted.length - 1] ?? 0) + 1);
        const missing: number[] = [];
        for (let c = qs; c < qe; c++) if (!model.has(c)) missing.push(c);
        expect(members(rangesMissing(r, qs, qe))).toEqual(missing);
        expect(rangesNormalize(adds.flat())).toEqual(r);
      }),
    );
  });

  it("a broken list (odd length) is named, not read as if its last interval were empty", () => {
    expect(() => rangesMissing([1, 3, 5], 4, 9)).toThrow("interval list: no entry 3 in a list of 3 (the list is broken)");
  });
});
