import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { TraceHash } from "./trace-hash.ts";

// Any number a record may carry: in range, wide, negative, fractional, non-finite.
const anyNumber = fc.oneof(fc.nat(), fc.integer({ min: 0xfffffff0, max: 0x1_0000_0010 }), fc.integer({ min: -5, max: -1 }), fc.double({ noNaN: false }));

describe("TraceHash records", () => {
  it("rec2 and rec3 feed the same words as tag + uints, wherever the buffer stands", () => {
    checkProperty(
      fc.property(
        // Two-word filler records put the position anywhere, or just before the flush point
        // (16,384 words less 32 of slack).
        fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 8120, max: 8180 })),
        fc.array(fc.tuple(fc.boolean(), fc.nat(0xffff), anyNumber, anyNumber, anyNumber), { minLength: 1, maxLength: 30 }),
        (filler, records) => {
          const fast = new TraceHash();
          const slow = new TraceHash();
          for (let i = 0; i < filler; i++)
            for (const h of [fast, slow]) {
              h.tag(99);
              h.uint(i);
            }
          for (const [three, code, a, b, c] of records) {
            if (three) fast.rec3(code, a, b, c);
            else fast.rec2(code, a, b);
            slow.tag(code);
            slow.uint(a);
            slow.uint(b);
            if (three) slow.uint(c);
          }
          expect(fast.digest()).toBe(slow.digest());
        },
      ),
      { numRuns: 60 },
    );
  });
});
