import { describe, expect, it } from "vitest";
import { Knowledge } from "../engine/knowledge.ts";
import { CounterTotal } from "./counter-total.ts";

describe("counter-total's weights", () => {
  it("hold every amount exactly while widening from one byte (small ints) to int32 and float64, per origin, and the knowledge sums them", () => {
    const c = new CounterTotal(2);
    const k = new Knowledge(2, c.weights);
    // Origin 0 widens step by step; origin 1 stays one byte a weight, past several regrowths.
    const amounts = [1, -3, 127, -128, 128, 70_000, -(2 ** 31), 1.5, 2 ** 40, 5];
    amounts.forEach((a, i) => {
      c.issue(0, i + 1, "inc", [a]);
      k.add(0, i + 1);
    });
    for (let s = 1; s <= 300; s++) {
      c.issue(1, s, "dec", [s % 7]);
      k.add(1, s);
    }
    const sum0 = amounts.reduce((x, y) => x + y, 0);
    let sum1 = 0;
    for (let s = 1; s <= 300; s++) sum1 -= s % 7;
    expect(k.total).toBe(sum0 + sum1);
    expect(c.weights[0]).toBeInstanceOf(Float64Array);
    expect(c.weights[1]).toBeInstanceOf(Int8Array);
    expect(Array.from(c.weights[0]!.subarray(1, amounts.length + 1))).toEqual(amounts);
    // A retracted update counts for nothing any more.
    c.retract(0, amounts.length);
    expect(c.weights[0]![amounts.length]).toBe(0);
  });
});
