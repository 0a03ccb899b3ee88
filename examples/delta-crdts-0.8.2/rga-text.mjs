// rga-text.mjs
/**
 * delta-crdts 0.8.2's RGA (the exact version in ./package.json; `npm install --prefix
 * examples/delta-crdts-0.8.2` installs it) as a MemoConductor text plugin, one character per
 * vertex. A state is the library's `[added, removed, edges]`; an update's delta is what its
 * mutator returned (`insertAllAt`, `removeAt`); merge is the library's `join`. Ops are the
 * sequence ops of the builtin `rga`: `insert [index, text]`, `delete [index, count]`, clamped.
 *
 * 0.8.2's join throws "delta depends on missing vertex" when a delta arrives before the one that
 * added the vertex it hangs from (js-delta-crdts #38): a join that refuses a gap instead of
 * waiting. Any network that reorders, loses or delays a message past the next one shows it; the
 * canary table (bench/suites/canaries.ts) hunts it. Vertex ids are the library's own (the edge
 * count and the replica's name), so runs replay bit for bit.
 */
import CRDT from "delta-crdts";

const RGA = CRDT.type("rga");
const copy = (s) => [new Map(s[0]), new Set(s[1]), new Map(s[2])];

/** @type {import("memoconductor/core").StateCrdt<[Map<any, any>, Set<any>, Map<any, any>], string>} */
const rgaText = {
  kind: "state",
  name: "delta-crdts-0.8.2-rga-text",
  sequence: {},
  ops: [
    { op: "insert", args: [{ int: [0, 20] }, { string: 2 }], weight: 3 },
    { op: "delete", args: [{ int: [0, 20] }, { int: [1, 3] }] },
  ],
  init: () => RGA.initial(),
  update(s, op, ctx) {
    const len = RGA.value(s).length;
    const index = Math.max(0, Math.min(Number(op.args[0]) || 0, len));
    let delta;
    if (op.op === "insert") {
      const text = [...String(op.args[1] ?? "")];
      delta = text.length > 0 ? RGA.mutators.insertAllAt(ctx.replica, s, index, text) : [new Map(), new Set(), new Map()];
    } else if (op.op === "delete") {
      const count = Math.max(0, Math.min(Number(op.args[1]) || 0, len - index));
      delta = [new Map(), new Set(), new Map()];
      for (let k = 0; k < count; k++) delta = RGA.join(delta, RGA.mutators.removeAt(ctx.replica, RGA.join(s, delta), index));
    } else throw new Error(`delta-crdts-0.8.2-rga-text: unknown op "${op.op}" (ops: insert, delete)`);
    return { state: RGA.join(s, delta), delta };
  },
  merge: (a, b) => RGA.join(a, b),
  value: (s) => RGA.value(s).join(""),
  clone: copy,
};

export default rgaText;
