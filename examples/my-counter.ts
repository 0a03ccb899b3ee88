/**
 * A user's CRDT plugin, as the README's "Finding bugs in your CRDT" example tests it: a
 * grow-only counter (per-replica maxima), written against the public contract only.
 */
import type { StateCrdt } from "memoconductor";

type Counts = Record<string, number>;

const myCounter: StateCrdt<Counts, number> = {
  kind: "state",
  name: "my-counter",
  ops: [{ op: "inc", args: [{ int: [1, 3] }] }],
  init: () => ({}),
  update(state, op, ctx) {
    state[ctx.replica] = (state[ctx.replica] ?? 0) + (op.args[0] as number);
    return { state, delta: { [ctx.replica]: state[ctx.replica]! } };
  },
  merge(a, b) {
    for (const [replica, n] of Object.entries(b)) a[replica] = Math.max(a[replica] ?? 0, n);
    return a;
  },
  value: (state) => Object.values(state).reduce((x, y) => x + y, 0),
  clone: (state) => ({ ...state }),
};

export default myCounter;
