// A CommonJS user: require() of the ES module package (Node >= 20.19 loads ES modules synchronously).
const { simulate } = require("memoconductor/sim");
const { gCounter } = require("memoconductor/core");

simulate({ name: "cjs", nodes: ["a", "b"], crdt: "g-counter", steps: [{ at: 0, node: "a", op: "inc", args: [1] }], duration: 500, expect: { value: 1 } }).then((run) =>
  console.log(JSON.stringify({ ok: run.summary.ok, gCounter: gCounter.name })),
);
