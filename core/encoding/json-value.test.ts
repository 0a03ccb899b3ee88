import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { DecodeError } from "../errors.ts";
import { readJson, writeJson } from "./json-value.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

const encode = (v: number): Uint8Array => {
  const w = new Writer();
  writeJson(w, v);
  return w.finish();
};
const decode = (bytes: Uint8Array): unknown => readJson(new Reader(bytes, "json value"));

describe("json values: every number round-trips", () => {
  it("the whole safe-integer range, ±2^52 and beyond included (was: uint out of range)", () => {
    for (const v of [2 ** 52 - 1, 2 ** 52, -(2 ** 52), -(2 ** 52) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 60]) expect(decode(encode(v)), String(v)).toBe(v);
    checkProperty(
      fc.property(fc.maxSafeInteger(), (v) => {
        expect(decode(encode(v))).toBe(v === 0 ? 0 : v);
      }),
      { numRuns: 500 },
    );
  });

  it("stays canonical: a whole number in [-2^52, 2^52) written as a float is refused", () => {
    const w = new Writer();
    w.byte(4).f64(2 ** 52 - 1); // FLOAT tag, but a varint would hold it
    expect(() => decode(w.finish())).toThrow(DecodeError);
  });
});
