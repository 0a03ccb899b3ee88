/**
 * Shared tests for the two sequence types (RGA, LSeq): laws, clamping, bad ops, concurrency
 * on three replicas, non-interleaving of concurrently typed runs, and replay of the real
 * editing traces through the contract. Run for both types at the bottom.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lseq } from "./lseq.ts";
import { rga } from "./rga.ts";
import type { Op, StateCrdt } from "../contract.ts";
import { DecodeError, OpError } from "../errors.ts";
import { lawTests } from "../_test/crdt-laws.ts";
import { at as nth } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
export const TRACE_DIR = join(import.meta.dirname, "../../bench/data/editing-traces");

/** The sequential traces as contract ops (a patch [pos, del, ins] is a delete then an insert). */
export function traceOps(file: string): { ops: Op[]; end: string } {
  const d = JSON.parse(gunzipSync(readFileSync(join(TRACE_DIR, file))).toString());
  const ops: Op[] = [];
  for (const t of d.txns)
    for (const [pos, del, ins] of t.patches) {
      if (del) ops.push({ op: "delete", args: [pos, del] });
      if (ins) ops.push({ op: "insert", args: [pos, ins] });
    }
  return { ops, end: d.endContent };
}

export function sequenceTests<S>(crdt: StateCrdt<S, unknown>, traces: "all" | "small", nonInterleaving = true): void {
  const up = (s: S, replica: string, op: string, ...args: unknown[]) => crdt.update(s, { op, args }, ctx(replica));
  const val = (s: S) => crdt.value(s) as string;

  lawTests(crdt as StateCrdt<S>, { numRuns: 120 });

  it(`${crdt.name}: inserts and deletes at an index clamp to the length`, () => {
    let s = crdt.init("a");
    s = up(s, "a", "insert", 99, "abc").state;
    s = up(s, "a", "insert", 1, "XY").state;
    s = up(s, "a", "insert", 1000, "!").state;
    expect(val(s)).toBe("aXYbc!");
    s = up(s, "a", "delete", 4, 100).state;
    expect(val(s)).toBe("aXYb");
    s = up(s, "a", "delete", 50, 2).state;
    s = up(s, "a", "delete", 0, 0).state;
    expect(val(s)).toBe("aXYb");
    s = up(s, "a", "delete", 1, 2).state;
    expect(val(s)).toBe("ab");
  });

  it(`${crdt.name}: bad ops throw an OpError naming the op and leave the state untouched`, () => {
    const s = up(crdt.init("a"), "a", "insert", 0, "hello").state;
    const before = Buffer.from(crdt.codec!.encode(s)).toString("hex");
    const bad: [Op, RegExp][] = [
      [{ op: "push", args: ["x"] }, /op "push": unknown op/],
      [{ op: "insert", args: [0] }, /op "insert": expects 2 arguments/],
      [{ op: "insert", args: [0, "x", 1] }, /op "insert": expects 2 arguments/],
      [{ op: "insert", args: [0, 42] }, /op "insert": text must be a string/],
      [{ op: "insert", args: [-1, "x"] }, /op "insert": index must be a non-negative integer/],
      [{ op: "insert", args: [1.5, "x"] }, /op "insert": index/],
      [{ op: "insert", args: [0, "\ud800"] }, /op "insert": text has a lone surrogate/],
      [{ op: "delete", args: [0, -1] }, /op "delete": count must be a non-negative integer/],
      [{ op: "delete", args: ["0", 1] }, /op "delete": index/],
      [{ op: "delete", args: [] }, /op "delete": expects 2 arguments/],
    ];
    for (const [op, msg] of bad) {
      expect(() => crdt.update(s, op, ctx("a"))).toThrow(OpError);
      expect(() => crdt.update(s, op, ctx("a"))).toThrow(msg);
    }
    expect(Buffer.from(crdt.codec!.encode(s)).toString("hex")).toBe(before);
  });

  it(`${crdt.name}: never splits a surrogate pair`, () => {
    let s = up(crdt.init("a"), "a", "insert", 0, "a😀b").state;
    s = up(s, "a", "insert", 2, "X").state; // between the halves: moved before the pair
    expect(val(s)).toBe("aX😀b");
    s = up(s, "a", "delete", 3, 1).state; // half a pair: the whole pair goes
    expect(val(s)).toBe("aXb");
    expect(val(crdt.codec!.decode(crdt.codec!.encode(s)))).toBe("aXb");
  });

  it(`${crdt.name}: concurrent inserts and deletes at the same index on three replicas converge (any delivery order, duplicates)`, () => {
    const names = ["a", "b", "c"];
    const edit = fc.record({
      r: fc.nat(2),
      ins: fc.boolean(),
      i: fc.nat(4),
      text: fc.string({ unit: fc.constantFrom(..."xyz"), minLength: 1, maxLength: 3 }),
      n: fc.integer({ min: 1, max: 3 }),
    });
    checkProperty(
      fc.property(fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 4 }), fc.infiniteStream(fc.nat()), (rounds, order) => {
        let states = names.map((n) => up(crdt.init(n), n, "insert", 0, "").state);
        const base = up(nth(states, 0), "a", "insert", 0, "0123").state;
        states = states.map(() => crdt.codec!.decode(crdt.codec!.encode(base)));
        const deltas: S[] = [];
        for (const round of rounds) {
          for (const e of round) {
            const r = nth(names, e.r);
            const at = nth(states, e.r);
            const res = e.ins ? up(at, r, "insert", e.i, e.text) : up(at, r, "delete", e.i, e.n);
            states[e.r] = res.state;
            deltas.push(res.delta);
          }
        }
        const finals = states.map((s) => {
          const ks = deltas.map((_, i) => [order.next().value as number, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          for (const [, i] of ks) s = crdt.merge(s, nth(deltas, i));
          for (const [, i] of ks.slice(0, 3)) s = crdt.merge(s, nth(deltas, i));
          return s;
        });
        const want = crdt.codec!.encode(nth(finals, 0));
        for (const f of finals) expect(crdt.codec!.encode(f)).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  if (nonInterleaving)
    it(`${crdt.name}: runs typed concurrently at one position never interleave (forwards or backwards)`, () => {
      checkProperty(
        fc.property(
          fc.array(fc.record({ len: fc.integer({ min: 1, max: 6 }), back: fc.boolean() }), { minLength: 2, maxLength: 3 }),
          fc.nat(3),
          fc.boolean(),
          (typists, at, reverse) => {
            const names = ["p", "q", "r"].slice(0, typists.length);
            const base = up(crdt.init("z"), "z", "insert", 0, "ABC").state;
            const pos = Math.min(at, 3);
            const words: string[] = [];
            const finals = names.map((n, k) => {
              let s = crdt.codec!.decode(crdt.codec!.encode(base));
              const letter = nth(["a", "b", "c"], k);
              const { len, back } = nth(typists, k);
              for (let i = 0; i < len; i++) s = up(s, n, "insert", back ? pos : pos + i, `${letter}`).state;
              words.push(letter.repeat(len));
              return s;
            });
            let merged = nth(finals, reverse ? finals.length - 1 : 0);
            for (const f of reverse ? [...finals].reverse() : finals) merged = crdt.merge(merged, f);
            const v = val(merged);
            const middle = v.slice(pos, v.length - (3 - pos));
            // Each typist's run is one contiguous block.
            for (const w of words) expect(middle).toContain(w);
          },
        ),
        { numRuns: 200 },
      );
    });

  it(`${crdt.name}: malformed bytes throw DecodeError`, () => {
    const s = up(up(crdt.init("a"), "a", "insert", 0, "hello").state, "a", "delete", 1, 2).state;
    const bytes = crdt.codec!.encode(s);
    expect(() => crdt.codec!.decode(new Uint8Array([1, 200, 0]))).toThrow(DecodeError);
    for (let i = 2; i < bytes.length; i++) {
      const b = bytes.slice();
      b[i] = nth(Array.from(bytes), i) ^ 0xff;
      try {
        const d = crdt.codec!.decode(b);
        expect(crdt.codec!.encode(crdt.codec!.decode(crdt.codec!.encode(d)))).toEqual(crdt.codec!.encode(d));
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
    }
  });

  const files = readdirSync(TRACE_DIR)
    .filter((f) => f.endsWith(".json.gz"))
    .sort();
  const SMALL = ["friendsforever_flat.json.gz", "clownschool_flat.json.gz", "json-crdt-blog-post.json.gz", "sveltecomponent.json.gz"];
  for (const file of traces === "all" ? files : files.filter((f) => SMALL.includes(f))) {
    it(`${crdt.name}: replaying ${file} through the contract reaches its endContent (and survives encode/decode and merge into an empty replica)`, () => {
      const { ops, end } = traceOps(file);
      let s = crdt.init("author");
      const c = ctx("author");
      for (const op of ops) s = crdt.update(s, op, c).state;
      expect(val(s)).toBe(end);
      expect(val(crdt.codec!.decode(crdt.codec!.encode(s)))).toBe(end);
      expect(val(crdt.merge(crdt.init("reader"), s))).toBe(end);
    });
  }
}

describe("rga", () => {
  sequenceTests(rga, "all");
});

describe("lseq", () => {
  // LSEQ orders concurrent runs by their digits: it converges but may interleave (see seq-lseq.ts).
  sequenceTests(lseq, "small", false);
});
