import { describe, expect, it } from "vitest";
import { Rng } from "../rng.ts";
import type { LatencySpec } from "../scenario/types.ts";
import { latencySampler } from "./latency.ts";

function samples(spec: LatencySpec, n = 20_000): number[] {
  const draw = latencySampler(spec);
  const rng = new Rng("latency-test", 3);
  return Array.from({ length: n }, () => draw(rng));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("latency distributions", () => {
  const cases: [LatencySpec, number, number, number][] = [
    // spec, min bound, max bound, expected mean
    [{ dist: "constant", ms: 20 }, 20, 20, 20],
    [{ dist: "uniform", min: 5, max: 80 }, 5, 80, 42.5],
    [{ dist: "normal", mean: 50, sd: 10 }, 1, Infinity, 50],
    [{ dist: "exponential", mean: 40 }, 1, Infinity, 40],
    [{ dist: "pareto", scale: 10, shape: 3 }, 10, Infinity, 15],
  ];
  for (const [spec, lo, hi, want] of cases)
    it(`${spec.dist}: integers within [${lo}, ${hi}], mean ≈ ${want}`, () => {
      const xs = samples(spec);
      expect(xs.every(Number.isInteger)).toBe(true);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
      expect(Math.abs(mean(xs) - want) / want).toBeLessThan(0.05);
    });

  it("never below 1 ms, and `max` caps every distribution", () => {
    expect(Math.min(...samples({ dist: "normal", mean: 0, sd: 5 }))).toBe(1);
    expect(Math.min(...samples({ dist: "constant", ms: 0 }))).toBe(1);
    for (const spec of [
      { dist: "exponential", mean: 40, max: 60 },
      { dist: "pareto", scale: 10, shape: 1.1, max: 100 },
      { dist: "normal", mean: 50, sd: 30, max: 70 },
    ] as LatencySpec[])
      expect(Math.max(...samples(spec))).toBe(spec.max);
  });

  it("the same stream position gives the same sample", () => {
    expect(samples({ dist: "pareto", scale: 10, shape: 1.5 }, 100)).toEqual(samples({ dist: "pareto", scale: 10, shape: 1.5 }, 100));
  });
});
