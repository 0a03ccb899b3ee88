// A user's TypeScript plugin (loaded by `npx memoconductor run` through tsx, on demand).
import type { StateCrdt } from "memoconductor/core";

type Counts = Record<string, number>;

const counter: StateCrdt<Counts, number> = {
  kind: "state",
  name: "ts-counter",
  ops: [{ op: "inc", args: [{ int: [1, 3] }] }],
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
  value: (s) => Object.values(s).reduce((x, y) => x + y, 0),
};
export default counter;
