/**
 * A user's CRDT plugin: a state-based grow-only counter (per-replica maxima), written against
 * the public contract only. docs/plugins.md quotes this file, and docs/finding-bugs.md tests it.
 */
import type { StateCrdt } from "memoconductor/core";

type Counts = Record<string, number>;

const myCounter: StateCrdt<Counts, number> = {
  kind: "state",
  name: "my-counter",
  ops: [{ op: "inc", args: [{ int: [1, 3] }] }], // the op alphabet random workloads draw from
  init: () => ({}),
  update(state, op, ctx) {
    const next = (state[ctx.replica] ?? 0) + (op.args[0] as number);
    state[ctx.replica] = next;
    return { state, delta: { [ctx.replica]: next } };
  },
  merge(a, b) {
    for (const [replica, n] of Object.entries(b)) a[replica] = Math.max(a[replica] ?? 0, n);
    return a;
  },
  value: (state) => Object.values(state).reduce((x, y) => x + y, 0),
  clone: (state) => ({ ...state }),
};

export default myCounter;
