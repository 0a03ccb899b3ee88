/**
 * PN-Counter: a counter that goes up and down, as two G-Counters ("Conflict-free Replicated Data Types"): `p` counts each
 * replica's increments, `n` its decrements, and the value is sum(p) − sum(n). A single map of
 * signed per-replica totals would not do: merge takes maxima, and a total that went down would
 * lose to its own older, larger value.
 */
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { builtin, checkedTotal, expectAmount, expectArity, unknownOp } from "./_internals/builtin.ts";
import { type GCounterState, mergeCounts, readCounts, sumCounts, writeCounts } from "./g-counter.ts";

export type PNCounterState = { p: GCounterState; n: GCounterState };

const NAME = "pn-counter";
const OPS = ["inc", "dec"];

export const pnCounter = builtin(NAME, {}, {}, (): StateCrdt<PNCounterState, number> => ({
  kind: "state",
  name: NAME,
  ops: [
    { op: "inc", args: [{ int: [1, 5] }], weight: 2 },
    { op: "dec", args: [{ int: [1, 5] }], weight: 1 },
  ],
  init: () => ({ p: new Map(), n: new Map() }),
  update(state: PNCounterState, op: Op, ctx: Ctx) {
    if (!OPS.includes(op.op)) unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, 1);
    const amount = expectAmount(NAME, op.op, op.args[0]);
    const side = op.op === "inc" ? state.p : state.n;
    const next = checkedTotal(NAME, op.op, ctx.replica, side.get(ctx.replica) ?? 0, amount);
    side.set(ctx.replica, next);
    // The delta is the one changed entry; the other half stays empty.
    const entry: GCounterState = new Map([[ctx.replica, next]]);
    return { state, delta: op.op === "inc" ? { p: entry, n: new Map() } : { p: new Map(), n: entry } };
  },
  merge(a, b) {
    mergeCounts(a.p, b.p);
    mergeCounts(a.n, b.n);
    return a;
  },
  value: (s) => sumCounts(s.p) - sumCounts(s.n),
  clone: (s) => ({ p: new Map(s.p), n: new Map(s.n) }),
  // Counts are never stored as 0: an entry is always written.
  isBottom: (s) => s.p.size === 0 && s.n.size === 0,
  codec: framedCodec(
    NAME,
    (w, s) => {
      writeCounts(w, s.p);
      writeCounts(w, s.n);
    },
    (r) => ({ p: readCounts(r), n: readCounts(r) }),
  ),
}));
