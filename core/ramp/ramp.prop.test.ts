/**
 * RAMP-Fast under arbitrary interleavings of many clients' reads and writes, message loss,
 * duplication and reordering, and aggressive garbage collection: never a fractured read.
 * The naive mode under the same driver is caught fracturing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { RampWorld, cmdArb } from "./_test/world.ts";
import { readAtomic } from "./checker.ts";
import { BOTTOM, type Ts, compareTs, maxTs, tsKey } from "./timestamp.ts";

describe("RAMP-Fast under arbitrary interleavings", () => {
  for (const gcGraceMs of [10_000, 30]) {
    it(`never returns a fractured read (gc grace ${gcGraceMs} ms)`, () => {
      checkProperty(
        fc.property(fc.array(cmdArb(3), { maxLength: 200, size: "max" }), (cmds) => {
          const w = new RampWorld("ramp", 3, gcGraceMs);
          for (const c of cmds) w.run(c);
          w.drain();
          const r = readAtomic(w.history);
          expect(r.ok, r.detail).toBe(true);
          for (const c of w.clients) expect(c.outstanding).toEqual({ reads: 0, writes: 0 });
        }),
        { numRuns: 300 },
      );
    });
  }

  it("every finished write is visible to a read issued after the network heals", () => {
    checkProperty(
      fc.property(fc.array(cmdArb(2), { maxLength: 120, size: "max" }), (cmds) => {
        const w = new RampWorld("ramp", 2);
        for (const c of cmds) w.run(c);
        w.drain();
        const finished = new Set(w.history.flatMap((e) => (e.type === "write-ok" ? [tsKey(e.ts)] : [])));
        const newest = new Map<string, Ts>(); // key → the largest timestamp of a finished write to it
        for (const e of w.history)
          if (e.type === "write-invoke" && finished.has(tsKey(e.ts))) for (const k of Object.keys(e.writes)) newest.set(k, maxTs(newest.get(k) ?? BOTTOM, e.ts));
        w.run({ k: "read", c: 0, mask: 15 });
        w.drain();
        const read = w.history.at(-1)!;
        if (read.type !== "read-ok") throw new Error(`expected the final read to succeed, got ${read.type}`);
        for (const [k, ts] of newest) expect(compareTs(read.versions[k]!.ts, ts)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 100 },
    );
  });

  it("the naive mode fractures: some interleaving is caught by read-atomic", () => {
    // An existence claim, so the seed is fixed: the search is deterministic and reproducible.
    const details = fc.check(
      fc.property(fc.array(cmdArb(3), { maxLength: 200, size: "max" }), (cmds) => {
        const w = new RampWorld("naive");
        for (const c of cmds) w.run(c);
        w.drain();
        return readAtomic(w.history).ok;
      }),
      { seed: 42, numRuns: 1000 },
    );
    expect(details.failed).toBe(true);
  });
});
