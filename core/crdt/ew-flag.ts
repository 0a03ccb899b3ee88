/**
 * EW-Flag: an enable-wins flag (the flag of the CRDT literature; AntidoteDB's AQL keeps a row's
 * visibility in one). `enable` sets it, `disable` clears it, and an enable concurrent with a
 * disable leaves it set: a disable clears only the enables it has seen.
 *
 * The form that needs no dots: `enables` maps each replica to its number of enables so far (a
 * G-Counter: an enable is one increment of the issuer's entry), `disabled` maps each replica to
 * the most of its enables that some disable had seen (a disable raises it to what its replica
 * sees in `enables`). Both merge by per-replica maximum; the flag is set exactly when some
 * replica has enables no disable has seen (`enables[r] > disabled[r]`). An enable's delta is its
 * one entry — the cost of a counter increment — and a disable's the entries it raised.
 * Counts are never stored as 0; `disabled[r]` may exceed the `enables[r]` a replica has received
 * so far (the disable's delta came first), which only keeps those enables covered when they come.
 */
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { builtin, checkedTotal, expectArity, unknownOp } from "./_internals/builtin.ts";
import { type GCounterState, mergeCounts, readCounts, writeCounts } from "./g-counter.ts";

export type EWFlagState = { enables: GCounterState; disabled: GCounterState };

const NAME = "ew-flag";
const OPS = ["enable", "disable"];

/** Whether some replica has an enable that no disable has seen. */
export function enabled(s: EWFlagState): boolean {
  const { enables, disabled } = s;
  for (const r of enables.keys()) if (enables.get(r)! > (disabled.get(r) ?? 0)) return true;
  return false;
}

export const ewFlag = builtin(NAME, {}, {}, (): StateCrdt<EWFlagState, boolean> => ({
  kind: "state",
  name: NAME,
  ops: [
    { op: "enable", args: [], weight: 2 },
    { op: "disable", args: [], weight: 1 },
  ],
  init: () => ({ enables: new Map(), disabled: new Map() }),
  update(state: EWFlagState, op: Op, ctx: Ctx) {
    if (op.op === "enable") {
      expectArity(NAME, op.op, op.args, 0);
      const next = checkedTotal(NAME, op.op, ctx.replica, state.enables.get(ctx.replica) ?? 0, 1);
      state.enables.set(ctx.replica, next);
      // One entry, as a g-counter increment's: merging it anywhere is a max.
      return { state, delta: { enables: new Map<string, number>().set(ctx.replica, next), disabled: new Map() } };
    }
    if (op.op !== "disable") unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, 0);
    // The enables this replica has seen are now disabled: the entries raised are the delta.
    const raised: GCounterState = new Map();
    const { enables, disabled } = state;
    for (const r of enables.keys()) {
      const n = enables.get(r)!;
      if (n > (disabled.get(r) ?? 0)) {
        disabled.set(r, n);
        raised.set(r, n);
      }
    }
    return { state, delta: { enables: new Map(), disabled: raised } };
  },
  merge(a, b) {
    mergeCounts(a.enables, b.enables);
    mergeCounts(a.disabled, b.disabled);
    return a;
  },
  value: enabled,
  clone: (s) => ({ enables: new Map(s.enables), disabled: new Map(s.disabled) }),
  isBottom: (s) => s.enables.size === 0 && s.disabled.size === 0,
  // Each half as a g-counter's body: replica ids strictly sorted, no zero counts.
  codec: framedCodec(
    NAME,
    (w, s) => {
      writeCounts(w, s.enables);
      writeCounts(w, s.disabled);
    },
    (r) => ({ enables: readCounts(r), disabled: readCounts(r) }),
  ),
}));
