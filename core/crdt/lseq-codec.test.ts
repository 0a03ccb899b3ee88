/**
 * The LSeq codec's run form: the next character of a typed run (same levels, last level's digit
 * and counter one up) is one byte, and the same path written out in full is refused as not
 * canonical, so equal states keep equal bytes.
 */
import { describe, expect, it } from "vitest";
import type { Op } from "../contract.ts";
import { writeHeader } from "../encoding/header.ts";
import { checkedFrame, resealed } from "../_test/frame.ts";
import { Writer } from "../encoding/writer.ts";
import { DecodeError } from "../errors.ts";
import type { Elem } from "./_internals/seq-lseq.ts";
import { lseq, type LSeqState } from "./lseq.ts";

const codec = lseq.codec!;
const typed = (text: string): LSeqState => lseq.update(lseq.init("a"), { op: "insert", args: [0, text] } as Op, { replica: "a", now: () => 0 }).state;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const elems = (s: LSeqState): Elem[] => {
  const out: Elem[] = [];
  s.doc!.forEach((e) => void out.push(e));
  return out;
};

/** The bytes of a one-replica document, each path in full or (`runs`) as a continuation where it is one. */
function handWritten(s: LSeqState, runs: boolean): Uint8Array {
  const es = elems(s);
  return checkedFrame("lseq", (w) => {
    w.uint(1).string("a"); // names
    const lo = Math.min(...es.map((e) => e.ctr));
    w.uint(1)
      .uint(lo)
      .uint(es.length - 1); // context: one range of counters
    w.uint(es.length);
    for (let k = 0; k < es.length; k++) {
      const p = es[k]!.path;
      if (k > 0 && runs) {
        w.uint(0);
        continue;
      }
      // Levels shared with the previous path: all but the last one (a typed run keeps its prefix).
      const shared = k === 0 ? 0 : p.length / 3 - 1;
      w.uint(shared + 1).uint(p.length / 3 - shared - 1);
      for (let i = 3 * shared; i < p.length; i += 3)
        w.uint(p[i] as number)
          .uint(0)
          .uint(p[i + 2] as number);
    }
    w.string(es.map((e) => e.ch).join(""));
  });
}

describe("lseq codec", () => {
  it("a typed run costs one byte per further character, and round-trips", () => {
    const one = codec.encode(typed("a"));
    const ten = codec.encode(typed("abcdefghij"));
    expect(ten.length - one.length).toBe(9 + 9); // nine one-byte continuations, nine characters of content
    expect(lseq.value(codec.decode(ten))).toBe("abcdefghij");
    expect(hex(codec.encode(codec.decode(ten)))).toBe(hex(ten));
  });

  it("the layout is as documented; a continuation written out in full is refused as not canonical", () => {
    const s = typed("abc");
    // The run is one level deep here, each character the previous one's digit and counter + 1.
    const es = elems(s);
    expect(es[1]!.d).toBe(es[0]!.d + 1);
    expect(es[1]!.ctr).toBe(es[0]!.ctr + 1);
    expect(hex(handWritten(s, true))).toBe(hex(codec.encode(s)));
    const full = handWritten(s, false);
    expect(() => codec.decode(full)).toThrow(DecodeError);
    expect(() => codec.decode(full)).toThrow(/continuation written out in full \(not canonical\)/);
  });

  it("a continuation with nothing before it is refused", () => {
    const s = typed("ab");
    const bytes = handWritten(s, true);
    // Turn the first path's header (1 + shared = 1) into a continuation (0): nothing to continue.
    const w = new Writer();
    writeHeader(w, "lseq");
    const head = w.finish().length;
    const at = head + 1 + 2 + 3 + 1; // names (count, "a"), context (count, gap, len − 1), count
    expect(bytes[at]).toBe(1);
    const bad = bytes.slice();
    bad[at] = 0;
    expect(() => codec.decode(bad)).toThrow(/checksum mismatch/);
    expect(() => codec.decode(resealed(bad))).toThrow(/first character cannot continue/);
  });
});
