/**
 * Canary (bug class: a delta aliased to the state). A G-Counter whose update returns its own
 * state as the delta. The contract says a delta shares nothing mutable with the state: here a
 * message still in flight silently grows with every later update at its origin, so recipients
 * learn of increments their knowledge says they have not seen.
 * Caught by: strong-convergence; law "a delta is not changed by later updates".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = Record<string, number>;

const canary: StateCrdt<S, number> = {
  kind: "state",
  name: "canary-aliased-delta-counter",
  ops: [{ op: "inc", args: [1] }],
  init: () => ({}),
  update(s, _op, ctx) {
    s[ctx.replica] = (s[ctx.replica] ?? 0) + 1;
    return { state: s, delta: s }; // BUG: the delta is the live state, not a copy
  },
  merge(a, b) {
    for (const [r, n] of Object.entries(b)) a[r] = Math.max(a[r] ?? 0, n);
    return a;
  },
  value: (s) => Object.values(s).reduce((x, y) => x + y, 0),
  clone: (s) => ({ ...s }),
};
export default canary;
