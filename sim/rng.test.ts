import { describe, expect, it } from "vitest";
import { Rng, Streams } from "./rng.ts";

describe("seeded streams", () => {
  it("a stream depends on the seed and its own name only", () => {
    const a = new Streams(9);
    const b = new Streams(9);
    // Draw heavily from another stream in `a` first: `network` must not move.
    for (let i = 0; i < 1000; i++) a.get("workload").float();
    const xa = Array.from({ length: 10 }, () => a.get("network").float());
    const xb = Array.from({ length: 10 }, () => b.get("network").float());
    expect(xa).toEqual(xb);
    expect(new Streams(10).get("network").float()).not.toBe(xa[0]);
    expect(a.get("network")).toBe(a.get("network"));
  });

  it("int, pick and shuffle stay in range", () => {
    const r = new Rng("x", 1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(-3, 3);
      expect(n).toBeGreaterThanOrEqual(-3);
      expect(n).toBeLessThanOrEqual(3);
      expect(["a", "b"]).toContain(r.pick(["a", "b"]));
    }
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
