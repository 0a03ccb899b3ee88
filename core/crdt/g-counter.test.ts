import { describe, expect, it } from "vitest";
import { lawTests } from "../_test/crdt-laws.ts";
import { resealed } from "../_test/frame.ts";
import { nestedCodec } from "../encoding/framed-codec.ts";
import { DecodeError, OpError } from "../errors.ts";
import { gCounter } from "./g-counter.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });

describe("g-counter", () => {
  lawTests(gCounter);

  it("counts every replica's increments once, however often states are merged (the view counter of 'Conflict-free Replicated Data Types')", () => {
    let a = gCounter.init("a");
    let b = gCounter.init("b");
    a = gCounter.update(a, { op: "inc", args: [1] }, ctx("a")).state;
    b = gCounter.update(b, { op: "inc", args: [2] }, ctx("b")).state;
    const ab = gCounter.merge(gCounter.clone!(a), b);
    expect(gCounter.value(gCounter.merge(gCounter.merge(ab, b), a))).toBe(3);
  });

  it("refuses unknown ops and bad amounts, naming the op, and leaves the state untouched", () => {
    const s = gCounter.update(gCounter.init("a"), { op: "inc", args: [2] }, ctx("a")).state;
    const before = gCounter.codec!.encode(s);
    expect(() => gCounter.update(s, { op: "dec", args: [1] }, ctx("a"))).toThrow(/op "dec": unknown op/);
    expect(() => gCounter.update(s, { op: "inc", args: [-1] }, ctx("a"))).toThrow(OpError);
    expect(() => gCounter.update(s, { op: "inc", args: [] }, ctx("a"))).toThrow(/expects 1 argument/);
    expect(gCounter.codec!.encode(s)).toEqual(before);
  });

  it("refuses another type's bytes", () => {
    const bytes = gCounter.codec!.encode(new Map([["a", 1]]));
    bytes[1] = 5;
    expect(() => gCounter.codec!.decode(bytes)).toThrow(/checksum mismatch/);
    // With a checksum that matches the changed tag, the tag is what is refused.
    expect(() => gCounter.codec!.decode(resealed(bytes))).toThrow(DecodeError);
    expect(() => gCounter.codec!.decode(resealed(bytes))).toThrow(/or-set, not a g-counter/);
  });

  it("sizes a state without encoding it: codec.size is the encoding's length, for every varint and string width", () => {
    const long = "r".repeat(127);
    const states: Map<string, number>[] = [
      new Map(),
      new Map([["a", 1]]),
      new Map([["n1", 127]]),
      new Map([["n1", 128]]),
      new Map([["é", 16_384]]),
      new Map([[long, 2 ** 21 - 1]]),
      new Map([[long + "s", 2 ** 21]]),
      new Map([["日本", Number.MAX_SAFE_INTEGER]]),
      new Map(Array.from({ length: 130 }, (_, i) => [`replica-${i}`, i * 977 + 1] as [string, number])),
    ];
    for (const s of states) {
      expect(gCounter.codec!.size!(s)).toBe(gCounter.codec!.encode(s).length);
      const nested = nestedCodec(gCounter.codec!);
      expect(nested.size!(s)).toBe(nested.encode(s).length);
    }
    expect(() => gCounter.codec!.size!(new Map([["a", 1.5]]))).toThrow(RangeError);
  });

  it("takes no options", () => {
    expect(() => gCounter.configure({ clock: "hlc" })).toThrow(/takes no options/);
  });
});
