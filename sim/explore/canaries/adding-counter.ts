/**
 * Canary (bug class: non-idempotent merge). A "G-Counter" whose merge adds the other side's
 * counts instead of taking maxima: a duplicated or re-sent message counts twice.
 * Caught by: idempotence, convergence, counter-total; law "merge is idempotent".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = Record<string, number>;

const canary: StateCrdt<S, number> = {
  kind: "state",
  name: "canary-adding-counter",
  ops: [{ op: "inc", args: [1] }],
  init: () => ({}),
  update(s, op, ctx) {
    const n = typeof op.args[0] === "number" ? op.args[0] : 1;
    s[ctx.replica] = (s[ctx.replica] ?? 0) + n;
    return { state: s, delta: { [ctx.replica]: n } };
  },
  merge(a, b) {
    for (const [r, n] of Object.entries(b)) a[r] = (a[r] ?? 0) + n; // BUG: + instead of max
    return a;
  },
  value: (s) => Object.values(s).reduce((x, y) => x + y, 0),
  clone: (s) => ({ ...s }),
};
export default canary;
