import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { crc32c } from "./crc32c.ts";

/** The definition, one bit at a time: what the slice-by-8 tables must agree with. */
function bitwise(bytes: Uint8Array): number {
  let crc = ~0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));

describe("crc32c", () => {
  it("refuses a range outside the bytes instead of reading past them as zeros", () => {
    const bytes = new Uint8Array(16);
    expect(crc32c(bytes, 4, 16)).toBe(crc32c(bytes.subarray(4)));
    for (const [start, end] of [
      [0, 17],
      [-1, 4],
      [5, 4],
      [0.5, 4],
      [0, 40],
    ] as const)
      expect(() => crc32c(bytes, start, end)).toThrow(`crc32c: range [${start}, ${end}) is not within the 16 bytes`);
  });

  it("gives the standard check value and the RFC 3720 (B.4) known answers", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
    // The iSCSI read command PDU. (Listings of these vectors often give the CRC byte-swapped, in
    // wire order: 0xaa36918a for the zeros, 0x563a96d9 here; these are the register values.)
    const pdu = fromHex(`01c00000 00000000 00000000 00000000 14000000 00000400 00000014 00000018
                         28000000 00000000 02000000 00000000`);
    expect(crc32c(pdu)).toBe(0xd9963a56);
  });

  it("slice-by-8 agrees with the bitwise definition on any bytes and any sub-range", () => {
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.nat(), (bytes, x, y) => {
        const start = bytes.length === 0 ? 0 : x % (bytes.length + 1);
        const end = start + (y % (bytes.length - start + 1));
        expect(crc32c(bytes, start, end)).toBe(bitwise(bytes.subarray(start, end)));
      }),
      { numRuns: 300 },
    );
  });
});
