/**
 * Canary (bug class: op-based effects that don't commute). An op-based number register with
 * `set v` and `add n` effects: set-then-add and add-then-set give different numbers, so two
 * replicas that apply concurrent effects in different (causally valid) orders diverge.
 * Caught by: convergence, strong-convergence, order-independence (explore runs it in the
 * engine's op mode: exactly-once causal broadcast); law "concurrent effects commute".
 * effect-log-register.ts is the same bug in a state-based type.
 */
import type { OpCrdt } from "../../../core/contract.ts";

type S = { v: number };
type E = { set: number } | { add: number };

const canary: OpCrdt<S, E, number> = {
  kind: "op",
  name: "canary-op-assign-add",
  ops: [
    { op: "set", args: [{ int: [0, 9] }] },
    { op: "add", args: [{ int: [1, 3] }] },
  ],
  init: () => ({ v: 0 }),
  prepare: (_s, op) => (op.op === "set" ? { set: op.args[0] as number } : { add: op.args[0] as number }),
  effect(s, e) {
    if ("set" in e)
      s.v = e.set; // BUG: assignment does not commute with addition
    else s.v += e.add;
    return s;
  },
  value: (s) => s.v,
  clone: (s) => ({ ...s }),
};
export default canary;
