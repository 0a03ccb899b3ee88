/**
 * Canary (bug class: a value that depends on delivery order). A G-Set that keeps elements in
 * arrival order and shows them unsorted: replicas holding the same elements show different
 * arrays.
 * Caught by: convergence, strong-convergence, order-independence; law "merge is commutative".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = string[];

const canary: StateCrdt<S, string[]> = {
  kind: "state",
  name: "canary-unsorted-g-set",
  ops: [{ op: "add", args: [{ pick: ["x", "y", "z", "w"] }] }],
  init: () => [],
  update(s, op) {
    const x = String(op.args[0]);
    if (!s.includes(x)) s.push(x);
    return { state: s, delta: [x] };
  },
  merge(a, b) {
    for (const x of b) if (!a.includes(x)) a.push(x);
    return a;
  },
  value: (s) => [...s], // BUG: a set's value must not depend on insertion order (sort it)
  clone: (s) => [...s],
};
export default canary;
