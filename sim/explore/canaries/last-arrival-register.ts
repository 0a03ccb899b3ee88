/**
 * Canary (bug class: non-commutative merge). A register whose merge keeps whatever arrived
 * last: idempotent and associative, but merge(a, b) ≠ merge(b, a), so replicas that receive
 * the same writes in different orders disagree.
 * Caught by: order-independence, convergence or strong-convergence; law "merge is commutative".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = { v: number | null };

const canary: StateCrdt<S, number | null> = {
  kind: "state",
  name: "canary-last-arrival-register",
  ops: [{ op: "set", args: [{ int: [0, 9] }] }],
  init: () => ({ v: null }),
  update(s, op) {
    s.v = op.args[0] as number;
    return { state: s, delta: { v: s.v } };
  },
  merge(a, b) {
    if (b.v !== null) a.v = b.v; // BUG: no order between writes at all
    return a;
  },
  value: (s) => s.v,
  clone: (s) => ({ ...s }),
};
export default canary;
