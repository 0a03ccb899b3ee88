import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

describe("Writer/Reader", () => {
  it("round-trips strings (ASCII fast path and UTF-8), uints and ints", () => {
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.string({ unit: "grapheme", maxLength: 200 }), fc.nat(), fc.integer())), (rows) => {
        const w = new Writer();
        for (const [s, u, i] of rows) w.string(s).uint(u).int(i);
        const r = new Reader(w.finish(), "test");
        for (const [s, u, i] of rows) expect([r.string(), r.uint(), r.int()]).toEqual([s, u, i]);
        r.end();
      }),
    );
  });

  it("round-trips byte strings, and refuses one whose length runs past the end", () => {
    checkProperty(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (parts) => {
        const w = new Writer();
        for (const p of parts) w.bytes(p);
        const bytes = w.finish();
        const r = new Reader(bytes, "test");
        for (const p of parts) expect(r.bytes()).toEqual(p);
        r.end();
      }),
    );
    expect(() => new Reader(Uint8Array.of(5, 1, 2), "test").bytes()).toThrow("byte string of 5 bytes runs past the end");
  });

  it("one encoding per number: a varint with a trailing zero group is refused", () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        const minimal = new Writer().uint(n).finish();
        expect(new Reader(minimal, "test").uint()).toBe(n);
        // The same number padded: the last group gets a continuation bit and a zero group follows.
        const padded = Uint8Array.of(...minimal.subarray(0, -1), minimal[minimal.length - 1]! | 0x80, 0);
        expect(() => new Reader(padded, "test").uint()).toThrow("non-minimal varint");
      }),
    );
  });

  it("reading past the end names the offset of the missing byte, whatever the truncation", () => {
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
        const r = new Reader(bytes, "test");
        for (let i = 0; i < bytes.length; i++) expect(r.byte()).toBe(bytes[i]);
        expect(() => r.byte()).toThrow(`cannot decode test at byte ${bytes.length}: unexpected end of input`);
        expect(r.offset).toBe(bytes.length);
      }),
    );
  });

  it("a Writer opened while another is open does not clobber it (shared scratch buffer)", () => {
    const outer = new Writer().string("outer");
    const inner = new Writer().string("inner-" + "x".repeat(5000));
    const innerBytes = inner.finish();
    const outerBytes = outer.string("tail").finish();
    const r = new Reader(outerBytes, "test");
    expect([r.string(), r.string()]).toEqual(["outer", "tail"]);
    expect(new Reader(innerBytes, "test").string()).toBe("inner-" + "x".repeat(5000));
  });

  it("a kept Writer (own buffer) counts bytes across resets and leaves the shared scratch to others", () => {
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 300 }), fc.nat())), (rows) => {
        const kept = new Writer(true);
        kept.string("stale").uint(1 << 30);
        kept.reset();
        // Another Writer encodes while the kept one is in use: neither disturbs the other.
        const other = new Writer();
        for (const [s, u] of rows) {
          kept.string(s).uint(u);
          other.string(s).uint(u);
        }
        expect(kept.length).toBe(other.finish().length);
      }),
    );
  });

  it("finished bytes are a copy: later encodes do not change them", () => {
    const a = new Writer().string("first").finish();
    new Writer().string("second").finish();
    expect(new Reader(a, "test").string()).toBe("first");
  });
});
