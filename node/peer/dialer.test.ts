/** The back-off between dials: exponential, capped, jittered within [ceiling/2, ceiling]. */
import { describe, expect, it } from "vitest";
import { backoffMs } from "./dialer.ts";

describe("backoffMs", () => {
  const o = { baseMs: 100, capMs: 5000 };
  it("doubles per attempt up to the cap, with jitter in the upper half", () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a, o, () => 1))).toEqual([100, 200, 400, 800]);
    expect([0, 1, 2, 3].map((a) => backoffMs(a, o, () => 0))).toEqual([50, 100, 200, 400]);
    expect(backoffMs(10, o, () => 1)).toBe(5000);
    expect(backoffMs(1000, o, () => 0.5)).toBe(3750);
  });
});
