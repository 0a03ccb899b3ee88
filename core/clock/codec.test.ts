import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resealed, withChecksum } from "../_test/frame.ts";
import { checkProperty } from "../_test/prop.ts";
import type { Codec } from "../contract.ts";
import { nestedCodec } from "../encoding/framed-codec.ts";
import { DecodeError } from "../errors.ts";
import { CausalContext } from "./causal-context.ts";
import { causalContextCodec, versionVectorCodec } from "./codec.ts";
import type { Dot } from "./dot.ts";
import { VersionVector } from "./version-vector.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const dotArb: fc.Arbitrary<Dot> = fc.tuple(fc.constantFrom("a", "b", "ü", ""), fc.integer({ min: 1, max: 300 }));
const ctxArb = fc.array(dotArb, { maxLength: 30 }).map((ds) => CausalContext.from({ cloud: ds }));
const vvArb = fc.dictionary(fc.constantFrom("a", "b", "c", "__proto__"), fc.nat(200)).map((o) => VersionVector.from(o));

/**
 * Every prefix, the input plus a byte, and random noise: refused, or (noise) canonical. The noise
 * comes in a version-1 frame (no checksum to stop it), and resealed in a version-2 frame (its
 * checksum right, so that the body reader is what judges it); what decodes re-encodes to the
 * same bytes in its own version.
 */
function refusesMalformed<T>(codec: Codec<T>, bytes: Uint8Array, noise: Uint8Array): void {
  for (let cut = 0; cut < bytes.length; cut++) expect(() => codec.decode(bytes.slice(0, cut))).toThrow(DecodeError);
  expect(() => codec.decode(new Uint8Array([...bytes, 0]))).toThrow(DecodeError);
  const checked = resealed(Uint8Array.from([2, ...noise.subarray(1), 0, 0, 0, 0]));
  for (const [framed, canonical] of [
    [noise, nestedCodec(codec)],
    [checked, codec],
  ] as const) {
    try {
      const x = codec.decode(framed);
      expect(hex(canonical.encode(x))).toBe(hex(framed));
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
    }
  }
}

describe("clock codecs", () => {
  it("version vectors round-trip canonically; malformed input is refused", () => {
    checkProperty(
      fc.property(vvArb, fc.uint8Array({ maxLength: 24 }), (vv, noise) => {
        const bytes = versionVectorCodec.encode(vv);
        const back = versionVectorCodec.decode(bytes);
        expect(back.compare(vv)).toBe("equal");
        expect(hex(versionVectorCodec.encode(back))).toBe(hex(bytes));
        refusesMalformed(versionVectorCodec, bytes, new Uint8Array([1, 20, ...noise]));
      }),
      { numRuns: 300 },
    );
  });

  it("causal contexts round-trip canonically; malformed input is refused", () => {
    checkProperty(
      fc.property(ctxArb, fc.uint8Array({ maxLength: 24 }), (cc, noise) => {
        const bytes = causalContextCodec.encode(cc);
        const back = causalContextCodec.decode(bytes);
        expect(back.equals(cc)).toBe(true);
        expect(hex(causalContextCodec.encode(back))).toBe(hex(bytes));
        refusesMalformed(causalContextCodec, bytes, new Uint8Array([1, 21, ...noise]));
      }),
      { numRuns: 300 },
    );
  });

  it("writes the documented layout", () => {
    const cc = CausalContext.from({
      vv: { a: 1 },
      cloud: [
        ["a", 3],
        ["b", 2],
      ],
    });
    // header 2,21 | vv: 1 entry "a"=1 | cloud: 2 groups: "a" [3], "b" [2] | CRC-32C of the rest, little-endian
    expect([...causalContextCodec.encode(cc)]).toEqual(withChecksum([2, 21, 1, 1, 97, 1, 2, 1, 97, 1, 3, 1, 98, 1, 2]));
  });

  it("refuses non-canonical forms, naming the problem", () => {
    const bad: [number[], RegExp][] = [
      [[1, 20, 2, 1, 98, 1, 1, 97, 1], /ids not strictly sorted/],
      [[1, 20, 2, 1, 97, 1, 1, 97, 2], /ids not strictly sorted/],
      [[1, 20, 1, 1, 97, 0], /zero counter/],
      // cloud dot (a,2) right after vv a:1 would have been absorbed
      [[1, 21, 1, 1, 97, 1, 1, 1, 97, 1, 2], /not beyond a gap/],
      // cloud dot (a,1) covered by vv a:1
      [[1, 21, 1, 1, 97, 1, 1, 1, 97, 1, 1], /not beyond a gap/],
      // cloud dot (b,1) with no vector entry: contiguous from 0
      [[1, 21, 0, 1, 1, 98, 1, 1], /not beyond a gap/],
      [[1, 21, 0, 1, 1, 98, 2, 5, 5], /not strictly ascending/],
      [[1, 21, 0, 1, 1, 98, 2, 5, 4], /not strictly ascending/],
      [[1, 21, 0, 1, 1, 98, 0], /empty dot cloud/],
      [[1, 21, 0, 2, 1, 98, 1, 3, 1, 97, 1, 3], /cloud ids not strictly sorted/],
    ];
    for (const [bytes, why] of bad) {
      const codec = bytes[1] === 20 ? versionVectorCodec : causalContextCodec;
      expect(() => codec.decode(new Uint8Array(bytes)), JSON.stringify(bytes)).toThrow(why);
      // The same body in a version-2 frame, whose checksum is right: refused for the same reason.
      expect(() => codec.decode(resealed(Uint8Array.from([2, ...bytes.slice(1), 0, 0, 0, 0]))), JSON.stringify(bytes)).toThrow(why);
    }
    expect(() => versionVectorCodec.decode(new Uint8Array([1, 21, 0, 0]))).toThrow(/causal-context, not a version-vector/);
  });
});
