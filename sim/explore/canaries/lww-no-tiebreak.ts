/**
 * Canary (bug class: missing timestamp tie-break). An LWW register stamped with the node's
 * clock (bumped past its own last write, so a node's writes always advance) whose merge keeps
 * the local write when timestamps are equal: two nodes writing at the same clock reading keep
 * their own values forever.
 * Caught by: convergence, strong-convergence; law "merge is commutative" (clock ties).
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = { ts: number; v: number | null };

const canary: StateCrdt<S, number | null> = {
  kind: "state",
  name: "canary-lww-no-tiebreak",
  ops: [{ op: "set", args: [{ int: [0, 9] }] }],
  init: () => ({ ts: Number.MIN_SAFE_INTEGER, v: null }),
  update(s, op, ctx) {
    s.ts = Math.max(ctx.now(), s.ts + 1);
    s.v = op.args[0] as number;
    return { state: s, delta: { ...s } };
  },
  merge(a, b) {
    if (b.ts > a.ts) Object.assign(a, b); // BUG: equal timestamps need a deterministic winner
    return a;
  },
  value: (s) => s.v,
  clone: (s) => ({ ...s }),
};
export default canary;
