/**
 * Canary (bug class: effects that don't commute — the state-based stand-in for op-based
 * replication). Each update's effect (`set v` or `add n`) is shipped in a log and applied to the
 * local number in arrival order, as a naive op-based system would; set and add don't commute,
 * so replicas that receive the same effects in different orders diverge.
 * Caught by: convergence, strong-convergence, order-independence; law "merge is commutative".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type Effect = { set: number } | { add: number };
type S = { seq: number; applied: Record<string, Effect>; v: number };

function apply(v: number, e: Effect): number {
  return "set" in e ? e.set : v + e.add; // BUG: effects applied in arrival order
}

const canary: StateCrdt<S, number> = {
  kind: "state",
  name: "canary-effect-log-register",
  ops: [
    { op: "set", args: [{ int: [0, 9] }] },
    { op: "add", args: [{ int: [1, 3] }] },
  ],
  init: () => ({ seq: 0, applied: {}, v: 0 }),
  update(s, op, ctx) {
    const e: Effect = op.op === "set" ? { set: op.args[0] as number } : { add: op.args[0] as number };
    const id = `${ctx.replica}:${++s.seq}`;
    s.applied[id] = e;
    s.v = apply(s.v, e);
    return { state: s, delta: { seq: 0, applied: { [id]: e }, v: 0 } };
  },
  merge(a, b) {
    for (const [id, e] of Object.entries(b.applied))
      if (!(id in a.applied)) {
        a.applied[id] = e;
        a.v = apply(a.v, e);
      }
    return a;
  },
  value: (s) => s.v,
  clone: (s) => ({ seq: s.seq, applied: { ...s.applied }, v: s.v }),
};
export default canary;
