/**
 * Counters past 2^53 - 1: a replica's total that would no longer be an exact integer is refused
 * by the update, as an OpError naming the replica and the limit, with the state untouched —
 * before, the total was kept and the encoder failed later with "uint out of range".
 */
import { describe, expect, it } from "vitest";
import { OpError } from "../errors.ts";
import { gCounter } from "./g-counter.ts";
import { opCounter } from "./op-counter.ts";
import { pnCounter } from "./pn-counter.ts";
import { resolveBuiltin } from "../registry.ts";

const ctx = { replica: "a", now: () => 0 };
const HALF = 2 ** 52; // two of these pass 2^53 - 1

describe("counter totals past 2^53 - 1", () => {
  it("g-counter", () => {
    const s = gCounter.update(gCounter.init("a"), { op: "inc", args: [HALF] }, ctx).state;
    expect(() => gCounter.update(s, { op: "inc", args: [HALF] }, ctx)).toThrow(
      new OpError("g-counter", "inc", `replica "a"'s total would reach ${HALF} + ${HALF}, past 9007199254740991 (2^53 - 1, the largest count a counter holds exactly)`),
    );
    expect(gCounter.value(s)).toBe(HALF);
    expect(gCounter.codec!.decode(gCounter.codec!.encode(s))).toEqual(s);
  });

  it("pn-counter, either side", () => {
    for (const op of ["inc", "dec"]) {
      const s = pnCounter.update(pnCounter.init("a"), { op, args: [HALF] }, ctx).state;
      expect(() => pnCounter.update(s, { op, args: [HALF] }, ctx)).toThrow(/replica "a"'s total would reach .*past 9007199254740991/);
      expect(Math.abs(pnCounter.value(s) as number)).toBe(HALF);
    }
  });

  it("op-counter", () => {
    expect(() => opCounter.prepare(HALF, { op: "inc", args: [HALF] }, ctx)).toThrow(/op-counter: op "inc": replica "a"'s total would reach 4503599627370496 \+ 4503599627370496/);
    expect(() => opCounter.prepare(-HALF, { op: "dec", args: [HALF] }, ctx)).toThrow(OpError);
    expect(opCounter.prepare(HALF - 1, { op: "inc", args: [HALF] }, ctx)).toBe(HALF);
  });

  it("a record's counter field, named by the field", () => {
    const record = resolveBuiltin("record");
    const s = record.update(record.init("a"), { op: "inc", args: ["views", HALF] }, ctx).state;
    expect(() => record.update(s, { op: "inc", args: ["views", HALF] }, ctx)).toThrow(/views.*total would reach/);
  });
});
