/**
 * Canary (bug class: a delta that omits data). A PN-Counter whose `dec` delta carries the P
 * half only: full-state sync repairs it eventually, but between anti-entropy rounds a replica
 * that has applied the decrement's message shows a larger number than its origin.
 * Caught by: strong-convergence (delta mode); law "a delta inflates: merge(pre, delta) = post".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = { p: Record<string, number>; n: Record<string, number> };

const canary: StateCrdt<S, number> = {
  kind: "state",
  name: "canary-lossy-delta-pn-counter",
  ops: [
    { op: "inc", args: [1] },
    { op: "dec", args: [1] },
  ],
  init: () => ({ p: {}, n: {} }),
  update(s, op, ctx) {
    const side = op.op === "dec" ? s.n : s.p;
    side[ctx.replica] = (side[ctx.replica] ?? 0) + 1;
    // BUG: the delta always carries the P entry, even for a decrement.
    return { state: s, delta: { p: { [ctx.replica]: s.p[ctx.replica] ?? 0 }, n: {} } };
  },
  merge(a, b) {
    for (const [r, x] of Object.entries(b.p)) a.p[r] = Math.max(a.p[r] ?? 0, x);
    for (const [r, x] of Object.entries(b.n)) a.n[r] = Math.max(a.n[r] ?? 0, x);
    return a;
  },
  value: (s) => Object.values(s.p).reduce((x, y) => x + y, 0) - Object.values(s.n).reduce((x, y) => x + y, 0),
  clone: (s) => ({ p: { ...s.p }, n: { ...s.n } }),
};
export default canary;
