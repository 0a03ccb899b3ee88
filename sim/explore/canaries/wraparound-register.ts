/**
 * Canary (bug class: non-associative merge). An LWW register whose write counter lives in 2
 * bits and is compared with serial-number arithmetic (RFC 1982 style: "newer" = ahead by less
 * than half the ring). The comparison is symmetric and reflexive, so merge is commutative and
 * idempotent, but it is not transitive — after a wrap, a < b < c < a — so merge is not
 * associative and the winner depends on the order in which writes meet.
 * Caught by: order-independence, strong-convergence or convergence; law "merge is associative".
 */
import type { StateCrdt } from "../../../core/contract.ts";

type S = { ts: number; v: number | null };
const RING = 4;

/** True when b is "newer" than a on the ring; exact half-way and equal ties go by value. */
function bWins(a: S, b: S): boolean {
  const d = (((b.ts - a.ts) % RING) + RING) % RING;
  if (d > 0 && d < RING / 2) return true;
  if (d > RING / 2) return false;
  return (b.v ?? -1) > (a.v ?? -1);
}

const canary: StateCrdt<S, number | null> = {
  kind: "state",
  name: "canary-wraparound-register",
  ops: [{ op: "set", args: [{ int: [0, 9] }] }],
  init: () => ({ ts: 0, v: null }),
  update(s, op) {
    s.ts = (s.ts + 1) % RING; // BUG: a wrapping counter compared as if it were a total order
    s.v = op.args[0] as number;
    return { state: s, delta: { ...s } };
  },
  merge(a, b) {
    if (bWins(a, b)) Object.assign(a, b);
    return a;
  },
  value: (s) => s.v,
  clone: (s) => ({ ...s }),
};
export default canary;
