import { describe, expect, it } from "vitest";
import { latencySummary } from "./latency-summary.ts";

describe("latencySummary", () => {
  it("nearest-rank percentiles and the maximum, rounded to 0.1 ms; none for no samples", () => {
    expect(latencySummary([])).toBeUndefined();
    expect(latencySummary([20, 140, 20])).toEqual({ p50: 20, p99: 140, max: 140 });
    expect(latencySummary([7])).toEqual({ p50: 7, p99: 7, max: 7 });
    // 100 samples 1..100: p50 is the 50th, p99 the 99th.
    expect(latencySummary(Array.from({ length: 100 }, (_, i) => 100 - i))).toEqual({ p50: 50, p99: 99, max: 100 });
    expect(latencySummary([1.26, 3.14159])).toEqual({ p50: 1.3, p99: 3.1, max: 3.1 });
  });
});
