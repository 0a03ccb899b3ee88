/**
 * RAMP keys are user data: "__proto__" and "constructor" are keys like any other. The checker
 * reads what a transaction wrote and what a read returned by own key only ("constructor" is
 * `in` every object, and a plain object's .constructor is Object, not a returned version).
 */
import { describe, expect, it } from "vitest";
import { ownObject } from "../_test/hostile-names.ts";
import { readAtomic } from "./checker.ts";
import type { RampEvent, ReadVersion } from "./history.ts";
import { BOTTOM } from "./timestamp.ts";

const ts = { t: 1, c: "c0" };
const write: RampEvent = {
  type: "write-invoke",
  client: "c0",
  ts,
  writes: ownObject([
    ["constructor", 1],
    ["__proto__", 2],
  ]),
};
const read = (versions: [string, ReadVersion][]): RampEvent => ({ type: "read-ok", client: "c1", read: 0, versions: ownObject(versions) });

describe("read-atomic with keys that are Object.prototype keys", () => {
  it("a read of __proto__ alone is atomic: constructor, its sibling, was not read", () => {
    const r = readAtomic([write, read([["__proto__", { ts, value: 2, keys: ["__proto__", "constructor"] }]])]);
    expect(r.ok, r.detail).toBe(true);
  });

  it("a read that saw __proto__ from the transaction but an older constructor is fractured", () => {
    const r = readAtomic([
      write,
      read([
        ["__proto__", { ts, value: 2, keys: ["__proto__", "constructor"] }],
        ["constructor", { ts: BOTTOM, value: null, keys: [] }],
      ]),
    ]);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/fractured read c1#0: saw transaction 1\/c0's write to __proto__ but constructor at older 0\//);
  });

  it("a value for a key the transaction did not write is reported, even when that key is toString", () => {
    const r = readAtomic([write, read([["toString", { ts, value: 3, keys: ["toString"] }]])]);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/returned toString=3 at 1\/c0, which that transaction did not write/);
  });
});
