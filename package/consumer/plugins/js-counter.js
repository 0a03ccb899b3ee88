// A user's JavaScript plugin: plain Node imports it, no loader involved.
/** @type {import("memoconductor/core").StateCrdt<Record<string, number>, number>} */
const counter = {
  kind: "state",
  name: "js-counter",
  ops: [{ op: "inc", args: [{ int: [1, 3] }] }],
  init: () => ({}),
  update(state, op, ctx) {
    const next = (state[ctx.replica] ?? 0) + Number(op.args[0]);
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
