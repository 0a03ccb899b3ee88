import { describe, expect, it } from "vitest";
import { Lru } from "./lru.ts";

describe("the object cache's LRU", () => {
  it("holds at most its capacity, evicting the oldest across collections", () => {
    const lru = new Lru<string>(3);
    lru.set(0, "a", "A");
    lru.set(1, "a", "1A"); // same id, another collection: another key
    lru.set(0, "b", "B");
    expect(lru.size).toBe(3);
    lru.set(1, "c", "1C");
    expect(lru.size).toBe(3);
    expect(lru.get(0, "a")).toBeUndefined(); // the oldest went
    expect([lru.get(1, "a"), lru.get(0, "b"), lru.get(1, "c")]).toEqual(["1A", "B", "1C"]);
    lru.set(0, "b", "B2"); // a replaced value counts once
    expect(lru.size).toBe(3);
    expect(lru.get(0, "b")).toBe("B2");
  });

  it("a hit from the older half is moved to the end and outlives newer entries", () => {
    const lru = new Lru<number>(4); // half: 2
    for (const [i, id] of ["a", "b", "c", "d"].entries()) lru.set(0, id, i);
    expect(lru.get(0, "a")).toBe(0); // 3 insertions since "a": older half, moved
    lru.set(0, "e", 4);
    lru.set(0, "f", 5);
    expect(lru.get(0, "a")).toBe(0);
    expect(lru.get(0, "b")).toBeUndefined();
    expect(lru.get(0, "c")).toBeUndefined();
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.get(0, "a")).toBeUndefined();
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new Lru(0)).toThrow(RangeError);
    expect(() => new Lru(1.5)).toThrow(RangeError);
  });
});
