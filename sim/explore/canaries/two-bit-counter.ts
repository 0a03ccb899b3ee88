/**
 * Canary (bug class: a bug that needs several ops to show). A G-Counter that stores each
 * replica's count in two bits: fine for three increments, but the fourth at one replica wraps
 * its count to 0, which the other replicas' max-merge never accepts.
 * Caught by: convergence, counter-total (after ≥ 4 increments at one node); law
 * "a delta inflates".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = Record<string, number>;

const canary: StateCrdt<S, number> = {
  kind: "state",
  name: "canary-two-bit-counter",
  ops: [{ op: "inc", args: [1] }],
  init: () => ({}),
  update(s, _op, ctx) {
    s[ctx.replica] = ((s[ctx.replica] ?? 0) + 1) & 3; // BUG: overflows at 4
    return { state: s, delta: { [ctx.replica]: s[ctx.replica]! } };
  },
  merge(a, b) {
    for (const [r, n] of Object.entries(b)) a[r] = Math.max(a[r] ?? 0, n);
    return a;
  },
  value: (s) => Object.values(s).reduce((x, y) => x + y, 0),
  clone: (s) => ({ ...s }),
};
export default canary;
