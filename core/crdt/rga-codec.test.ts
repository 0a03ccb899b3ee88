/**
 * The RGA codec's compact forms (./_internals/seq-rga-codec.ts) on the states that exercise
 * them — partly and wholly deleted runs, implied and explicit right origins, counter gaps
 * (a replica's middle run not received), deletes that arrived before their characters — and
 * its refusal of bytes that decode to a valid state but are not the canonical encoding.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../contract.ts";
import { Writer } from "../encoding/writer.ts";
import { DecodeError } from "../errors.ts";
import { checkedFrame } from "../_test/frame.ts";
import { at } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";
import { rga, type RgaState } from "./rga.ts";

const codec = rga.codec!;
const up = (s: RgaState, replica: string, op: string, ...args: unknown[]) => rga.update(s, { op, args } as Op, { replica, now: () => 0 });
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** A body written by hand, framed (and checksummed) like the codec frames it. */
const framed = (body: (w: Writer) => void): Uint8Array => checkedFrame("rga", body);

describe("rga codec", () => {
  it("round-trips partial knowledge canonically: a missing middle run (counter gap) and a delete that came before its characters", () => {
    let a = rga.init("a");
    const deltas: RgaState[] = [];
    for (const [i, t] of [
      [0, "hello"],
      [5, " world"],
      [11, "!"],
    ] as const) {
      const r = up(a, "a", "insert", i, t);
      a = r.state;
      deltas.push(r.delta);
    }
    const del = up(a, "a", "delete", 6, 3); // "wor" of the missing middle run
    deltas.push(del.delta);
    // b gets the first and last inserts and the delete, not " world".
    let b = rga.init("b");
    for (const d of [deltas[3], deltas[2], deltas[0]]) b = rga.merge(b, d);
    expect(rga.value(b)).toBe("hello");
    const bytes = codec.encode(b);
    const back = codec.decode(bytes);
    expect(hex(codec.encode(back))).toBe(hex(bytes));
    // Completing both ways gives the same bytes as the writer's own state.
    const done = rga.merge(back, deltas[1]);
    expect(rga.value(done)).toBe("hello ld!");
    expect(hex(codec.encode(done))).toBe(hex(codec.encode(del.state)));
  });

  it("any mix of replicas, deletes and partial delivery round-trips to identical bytes", () => {
    const edit = fc.record({
      r: fc.nat(2),
      ins: fc.boolean(),
      i: fc.nat(12),
      text: fc.string({ unit: fc.constantFrom(..."abc"), minLength: 1, maxLength: 4 }),
      n: fc.integer({ min: 1, max: 5 }),
    });
    checkProperty(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 25 }), fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }), (edits, keep) => {
        const names = ["a", "b", "c"];
        const states = names.map((n) => rga.init(n));
        const deltas: RgaState[] = [];
        for (const e of edits) {
          const res = e.ins ? up(at(states, e.r), at(names, e.r), "insert", e.i, e.text) : up(at(states, e.r), at(names, e.r), "delete", e.i, e.n);
          states[e.r] = res.state;
          deltas.push(res.delta);
          // Replicas share some of what they do, so origins cross replicas.
          if (keep[deltas.length - 1]) for (let j = 0; j < 3; j++) if (j !== e.r) states[j] = rga.merge(states[j], res.delta);
        }
        // A reader that got an arbitrary subset of the deltas, in reverse order.
        let partial = rga.init("z");
        deltas.forEach((d, i) => void (keep[i] || i % 3 === 0 ? (partial = rga.merge(partial, d)) : 0));
        for (const s of [...states, partial, ...deltas]) {
          const bytes = codec.encode(s);
          const back = codec.decode(bytes);
          expect(hex(codec.encode(back))).toBe(hex(bytes));
          expect(rga.value(back)).toBe(rga.value(s));
        }
      }),
      { numRuns: 300 },
    );
  });

  // One replica "a", one run of 3 characters at the document start: the canonical body, and
  // variants that mean the same state in a non-canonical form.
  const run = (w: Writer, header: number, left: number[], right: number[] | null, rest: number[] = []) => {
    w.uint(1).string("a").uint(1).uint(0).uint(header);
    for (const x of left) w.uint(x);
    if (right) for (const x of right) w.uint(x);
    for (const x of rest) w.uint(x);
  };
  it("decodes the canonical hand-written body", () => {
    const ok = framed((w) => {
      run(w, 2 * 8 + 0, [0], [0]);
      w.uint(0).string("xyz");
    });
    expect(rga.value(codec.decode(ok))).toBe("xyz");
    expect(hex(codec.encode(up(rga.init("a"), "a", "insert", 0, "xyz").state))).toBe(hex(ok));
  });

  const bad: [string, RegExp, (w: Writer) => void][] = [
    ["an unknown delete kind", /unknown delete kind/, (w) => (run(w, 2 * 8 + 6, [0], [0]), w.uint(0).string("xyz"))],
    ["a wholly deleted run written as a partial delete", /whole-run flag/, (w) => (run(w, 2 * 8 + 4, [0], [0], [1, 0, 2]), w.uint(0).string(""))],
    ["a partial delete past its run", /past its run/, (w) => (run(w, 2 * 8 + 4, [0], [0], [1, 2, 3]), w.uint(0).string("xy"))],
    ["an implied right origin without a left one", /implied origin-right/, (w) => (run(w, 2 * 8 + 1, [0], null), w.uint(0).string("xyz"))],
    ["an orphan delete inside a run", /outside the run/, (w) => (run(w, 2 * 8, [0], [0]), w.uint(1).uint(1).uint(0).string("xyz"))],
    ["a counter gap of zero", /counter gap/, (w) => (w.uint(1).string("a").uint(1).uint(1).uint(0).uint(0), w.uint(16).uint(0).uint(0).uint(0).string("xyz"))],
    ["content longer than the runs", /more than the runs hold/, (w) => (run(w, 2 * 8, [0], [0]), w.uint(0).string("xyzw"))],
  ];
  for (const [what, reason, body] of bad)
    it(`rejects ${what}`, () => {
      expect(() => codec.decode(framed(body))).toThrow(DecodeError);
      expect(() => codec.decode(framed(body))).toThrow(reason);
    });

  it("rejects an explicit right origin that the implied form covers", () => {
    // b types "xy" into the middle of a's "abc" (between a:0 and a:1): right origin a:1 = left + 1.
    const base = up(rga.init("a"), "a", "insert", 0, "abc").state;
    const s = up(rga.merge(rga.init("b"), base), "b", "insert", 1, "xy").state;
    expect(rga.value(codec.decode(codec.encode(s)))).toBe("axybc");
    const forged = framed((w) => {
      w.uint(2).string("a").string("b");
      w.uint(1)
        .uint(0)
        .uint(2 * 8 + 0)
        .uint(0)
        .uint(0)
        .uint(0); // a: "abc", edges
      w.uint(1)
        .uint(0)
        .uint(1 * 8 + 0)
        .uint(2)
        .uint(0)
        .uint(2 + 2)
        .uint(0); // b: left a:0, right a:0+1 explicit
      w.string("abcxy");
    });
    expect(() => codec.decode(forged)).toThrow(/must be implied/);
  });
});
