/**
 * Canary (bug class: a remove that resurrects). An observed-remove set without tombstones or
 * causal context: `remove` drops the element's tags locally and has nothing to tell anyone, and
 * merge is a plain union of tags, so the next merge with any replica that still holds a tag
 * brings the element back.
 * Caught by: strong-convergence; law "a delta inflates: merge(pre, delta) = post".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = { clock: number; tags: Record<string, string[]> };

const canary: StateCrdt<S, string[]> = {
  kind: "state",
  name: "canary-resurrecting-or-set",
  ops: [
    { op: "add", args: [{ pick: ["x", "y", "z"] }], weight: 2 },
    { op: "remove", args: [{ pick: ["x", "y", "z"] }] },
  ],
  init: () => ({ clock: 0, tags: {} }),
  update(s, op, ctx) {
    const x = String(op.args[0]);
    if (op.op === "add") {
      const tag = `${ctx.replica}:${++s.clock}`;
      s.tags[x] = [...(s.tags[x] ?? []), tag];
      return { state: s, delta: { clock: 0, tags: { [x]: [tag] } } };
    }
    delete s.tags[x]; // BUG: no tombstone, no causal context: nothing says the tags are dead
    return { state: s, delta: { clock: 0, tags: {} } };
  },
  merge(a, b) {
    for (const [x, tags] of Object.entries(b.tags)) a.tags[x] = [...new Set([...(a.tags[x] ?? []), ...tags])].sort();
    return a;
  },
  value: (s) =>
    Object.keys(s.tags)
      .filter((x) => s.tags[x]!.length > 0)
      .sort(),
  clone: (s) => ({ clock: s.clock, tags: Object.fromEntries(Object.entries(s.tags).map(([x, t]) => [x, [...t]])) }),
};
export default canary;
