/**
 * LSeq allocation when two sites insert at one place in turn (issue 16, item 9): each insert
 * lands right before the other site's last character. Paths must stay a few levels deep; when
 * each insert halved the room below its right neighbour, they grew a level every insert or
 * two, so a one-character delta, an encoding and every check of the state cost O(n). Counted
 * in levels and bytes, not in time.
 */
import { describe, expect, it } from "vitest";
import type { Op } from "../contract.ts";
import { lseq, type LSeqState } from "./lseq.ts";

const ctx = (replica: string) => ({ replica, now: () => 0 });
const insert = (index: number, ch: string): Op => ({ op: "insert", args: [index, ch] });

/** Alice and Bob in turn insert at `index` of a shared "0123456789", each merging the other's delta. */
function alternate(index: number, turns: number): { state: LSeqState; maxDepth: number; maxDelta: number } {
  let a = lseq.init("alice");
  const first = lseq.update(a, { op: "insert", args: [0, "0123456789"] }, ctx("alice"));
  a = first.state;
  let b = lseq.merge(lseq.init("bob"), first.delta);
  let maxDepth = 0;
  let maxDelta = 0;
  for (let i = 0; i < turns; i++) {
    for (const who of ["alice", "bob"] as const) {
      const u = lseq.update(who === "alice" ? a : b, insert(index, who[0]!), ctx(who));
      if (who === "alice") {
        a = u.state;
        b = lseq.merge(b, u.delta);
      } else {
        b = u.state;
        a = lseq.merge(a, u.delta);
      }
      maxDepth = Math.max(maxDepth, ...u.delta.elems.map((e: { pre: readonly unknown[] }) => e.pre.length / 3 + 1));
      maxDelta = Math.max(maxDelta, lseq.codec!.size!(u.delta));
    }
  }
  expect(lseq.value(a)).toBe(lseq.value(b));
  return { state: a, maxDepth, maxDelta };
}

describe("lseq: two sites inserting at one place in turn keep paths shallow", () => {
  for (const index of [0, 5]) {
    it(`at index ${index}: 2 × 2,000 inserts, paths at most 3 levels, deltas and state bytes O(1) per character`, () => {
      const { state, maxDepth, maxDelta } = alternate(index, 2000);
      expect(maxDepth).toBeLessThanOrEqual(3);
      expect(maxDelta).toBeLessThan(64);
      expect(lseq.codec!.encode(state).length / 4010).toBeLessThan(16);
    });
  }
});
