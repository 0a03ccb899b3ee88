import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { at } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";
import { Reader } from "../encoding/reader.ts";
import { Writer } from "../encoding/writer.ts";
import { compareHlc, compareHlcThenReplica, type Hlc, HybridLogicalClock, hlcReceive, hlcSend, readHlc, writeHlc } from "./hlc.ts";

const physical = fc.integer({ min: -100, max: 100 });
const hlcArb: fc.Arbitrary<Hlc> = fc.record({ l: physical, c: fc.nat(5) });
const event = fc.oneof(fc.record({ kind: fc.constant("local" as const), pt: physical }), fc.record({ kind: fc.constant("receive" as const), pt: physical, remote: hlcArb }));

describe("hybrid logical clock", () => {
  it("is strictly monotone for any sequence of physical readings (backwards jumps included); receive beats the remote; l is the max time heard of", () => {
    checkProperty(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const clock = new HybridLogicalClock();
        let prev: Hlc | undefined;
        let maxHeard = -Infinity;
        for (const e of events) {
          const t = e.kind === "local" ? clock.now(e.pt) : clock.receive(e.remote, e.pt);
          if (prev) expect(compareHlc(t, prev)).toBe(1);
          if (e.kind === "receive") expect(compareHlc(t, e.remote)).toBe(1);
          maxHeard = Math.max(maxHeard, e.pt, e.kind === "receive" ? e.remote.l : -Infinity);
          // l never runs ahead of the clocks it heard of, nor falls behind its own physical reading.
          expect(t.l).toBe(maxHeard);
          expect(t.l).toBeGreaterThanOrEqual(e.pt);
          expect(clock.current).toEqual(t);
          prev = t;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a causal chain across nodes with skewed clocks is stamped in increasing order", () => {
    checkProperty(
      fc.property(fc.array(fc.record({ node: fc.nat(2), pt: physical }), { minLength: 1, maxLength: 40 }), (hops) => {
        const clocks = [0, 1, 2].map(() => new HybridLogicalClock());
        const [first, ...rest] = hops;
        if (first === undefined) throw new Error("the arbitrary makes at least one hop");
        let msg = at(clocks, first.node).send(first.pt);
        for (const { node, pt } of rest) {
          const clock = at(clocks, node);
          const received = clock.receive(msg, pt);
          expect(compareHlc(received, msg)).toBe(1);
          const next = clock.send(pt);
          expect(compareHlc(next, received)).toBe(1);
          msg = next;
        }
      }),
    );
  });

  it("the logical part grows while physical time stalls or goes back, and resets when it moves on", () => {
    const clock = new HybridLogicalClock();
    expect(clock.current).toBeUndefined();
    expect(clock.now(1000)).toEqual({ l: 1000, c: 0 });
    expect(clock.now(1000)).toEqual({ l: 1000, c: 1 });
    expect(clock.now(400)).toEqual({ l: 1000, c: 2 }); // NTP stepped the clock back
    expect(clock.send(1001)).toEqual({ l: 1001, c: 0 });
  });

  it("receive follows Kulkarni et al.'s rules", () => {
    expect(hlcReceive({ l: 10, c: 3 }, { l: 10, c: 7 }, 5)).toEqual({ l: 10, c: 8 }); // both at max: max(c) + 1
    expect(hlcReceive({ l: 10, c: 3 }, { l: 8, c: 7 }, 5)).toEqual({ l: 10, c: 4 }); // local at max
    expect(hlcReceive({ l: 10, c: 3 }, { l: 60, c: 7 }, 5)).toEqual({ l: 60, c: 8 }); // remote ahead
    expect(hlcReceive({ l: 10, c: 3 }, { l: 60, c: 7 }, 90)).toEqual({ l: 90, c: 0 }); // physical ahead
    expect(hlcReceive(undefined, { l: 60, c: 7 }, 5)).toEqual({ l: 60, c: 8 });
    expect(hlcReceive(undefined, { l: 1, c: 7 }, 5)).toEqual({ l: 5, c: 0 });
    expect(hlcSend(undefined, -30)).toEqual({ l: -30, c: 0 });
  });

  it("orders by (l, c), then by replica id, so ties resolve the same from either side", () => {
    expect(compareHlc({ l: 1, c: 9 }, { l: 2, c: 0 })).toBe(-1);
    expect(compareHlc({ l: 2, c: 1 }, { l: 2, c: 0 })).toBe(1);
    expect(compareHlc({ l: 2, c: 1 }, { l: 2, c: 1 })).toBe(0);
    const t = { l: 5, c: 0 };
    expect(compareHlcThenReplica(t, "alice", t, "bob")).toBe(-1);
    expect(compareHlcThenReplica(t, "bob", t, "alice")).toBe(1);
    expect(compareHlcThenReplica({ l: 6, c: 0 }, "alice", t, "bob")).toBe(1);
  });

  it("refuses non-integer physical readings and malformed remote timestamps", () => {
    const clock = new HybridLogicalClock({ l: 5, c: 0 });
    expect(() => clock.now(1.5)).toThrow(RangeError);
    expect(() => clock.now(NaN)).toThrow(/must be an integer/);
    expect(() => clock.now(2 ** 52)).toThrow(RangeError);
    expect(() => clock.receive({ l: 1, c: -1 }, 3)).toThrow(RangeError);
    expect(clock.current).toEqual({ l: 5, c: 0 });
  });

  it("encodes and decodes timestamps, negative l included", () => {
    checkProperty(
      fc.property(fc.record({ l: fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 }), c: fc.nat() }), (t) => {
        const w = new Writer();
        writeHlc(w, t);
        const r = new Reader(w.finish(), "hlc");
        expect(readHlc(r)).toEqual(t);
        r.end();
      }),
    );
  });
});
