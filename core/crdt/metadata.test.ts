/**
 * Metadata after churn (docs/design.md, "Performance": bytes per element after churn, OR-Set vs
 * 2P-Set tombstones). The same deterministic workload drives both sets: add element e(j), then remove
 * the element added W steps earlier, so W elements stay live. The OR-Set's encoding must stay
 * proportional to its live elements (no tombstones: removed elements leave only a context, a
 * version vector entry here); the 2P-Set keeps one tombstone per distinct removed element.
 */
import { describe, expect, it } from "vitest";
import type { Op } from "../contract.ts";
import { orSet, type ORSetState } from "./or-set.ts";
import { twoPhaseSet } from "./two-phase-set.ts";

const W = 100;
/** Where the figures are taken: after a small and a big number of ops. */
const SMALL = 10_000,
  BIG = 100_000;
const CHECKPOINTS = [SMALL, BIG];
const ctx = { replica: "a", now: () => 0 };

/** The churn as a list of ops: add e(0), add e(1), …, and from step W on, remove e(j − W) after adding e(j). */
function* churn(element: (j: number) => number, total: number): Generator<Op> {
  let emitted = 0;
  for (let j = 0; emitted < total; j++) {
    yield { op: "add", args: [element(j)] };
    if (++emitted < total && j >= W) {
      yield { op: "remove", args: [element(j - W)] };
      emitted++;
    }
  }
}

type Figures = { ops: number; orSetBytes: number; orSetLive: number; replicaBytes: number; twoPSetBytes: number; twoPSetLive: number; tombstones: number };

function measure(element: (j: number) => number): [small: Figures, big: Figures] {
  let or: ORSetState = orSet.init("a");
  // A second replica fed only the deltas: it must end byte-identical, at the same small size.
  let replica: ORSetState = orSet.init("b");
  let tp = twoPhaseSet.init("a");
  const out: Figures[] = [];
  let ops = 0;
  for (const op of churn(element, BIG)) {
    const u = orSet.update(or, op, ctx);
    or = u.state;
    replica = orSet.merge(replica, u.delta);
    tp = twoPhaseSet.update(tp, op, ctx).state;
    if (CHECKPOINTS.includes(++ops))
      out.push({
        ops,
        orSetBytes: orSet.codec!.encode(or).length,
        orSetLive: or.size,
        replicaBytes: orSet.codec!.encode(replica).length,
        twoPSetBytes: twoPhaseSet.codec!.encode(tp).length,
        twoPSetLive: tp.live.size,
        tombstones: tp.tombstones.size,
      });
  }
  const [small, big] = out;
  if (small === undefined || big === undefined) throw new Error(`measure took ${out.length} of its ${CHECKPOINTS.length} checkpoints`);
  return [small, big];
}

function report(title: string, figures: Figures[]): void {
  for (const f of figures)
    console.log(
      `${title} after ${f.ops} ops: or-set ${f.orSetBytes} bytes (${f.orSetLive} live), 2p-set ${f.twoPSetBytes} bytes (${f.twoPSetLive} live, ${f.tombstones} tombstones)`,
    );
}

/** Bounded by live elements: per entry a JSON int, one dot (replica index, counter); plus a one-replica context. */
const bound = (live: number) => 10 * live + 32;

describe("metadata after churn: OR-Set (no tombstones) vs 2P-Set (tombstones)", () => {
  it("fresh elements: the OR-Set stays flat at its live size while the 2P-Set's tombstones grow with every removed element", () => {
    const [small, big] = measure((j) => j);
    report("fresh elements", [small, big]);
    for (const f of [small, big]) {
      expect(f.orSetLive).toBe(W);
      expect(f.orSetBytes).toBeLessThanOrEqual(bound(f.orSetLive));
      expect(f.replicaBytes).toBe(f.orSetBytes);
      expect(f.twoPSetLive).toBe(W);
      // One tombstone per removed element: every op but the first W adds pairs an add with a remove.
      expect(f.tombstones).toBe((f.ops - W) / 2);
    }
    // 10× the churn: the OR-Set only widens a few varints (counters and element ids past 2^13).
    expect(big.orSetBytes - small.orSetBytes).toBeLessThanOrEqual(2 * W + 2);
    expect(big.twoPSetBytes).toBeGreaterThan(9 * small.twoPSetBytes);
  });

  it("recycled elements (i % 1000): the OR-Set re-adds and keeps W live; the 2P-Set holds 1000 tombstones and nothing live", () => {
    const [small, big] = measure((j) => j % 1000);
    report("recycled elements", [small, big]);
    for (const f of [small, big]) {
      expect(f.orSetLive).toBe(W);
      expect(f.orSetBytes).toBeLessThanOrEqual(bound(f.orSetLive));
      expect(f.replicaBytes).toBe(f.orSetBytes);
      expect(f.twoPSetLive).toBe(0);
      expect(f.tombstones).toBe(1000);
    }
    expect(big.orSetBytes - small.orSetBytes).toBeLessThanOrEqual(W + 2);
  });
});
