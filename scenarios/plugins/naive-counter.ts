/**
 * The naive view counter of the talk "Conflict-free Replicated Data Types" ("X = 1, X = 2, X = ?"): each replica reads its current
 * value, adds one and writes the result back, stamped with its own clock; replicas keep the
 * write with the largest (timestamp, value). This *does* converge — merge is a max, so it is
 * commutative, associative and idempotent — but it converges to the wrong number: two replicas
 * that both read 41 both write 42, and one of those views is gone for good.
 *
 * It is here as the foil of `youtube-view-counter` (a G-Counter, which keeps one entry per
 * replica and sums them). Do not use it for anything else.
 */
import type { Ctx, Op, StateCrdt } from "../../core/contract.ts";

export type NaiveCounterState = { value: number; ts: number };

/** Whether write `a` beats write `b`: later timestamp, then larger value (a total order). */
const beats = (a: NaiveCounterState, b: NaiveCounterState) => a.ts > b.ts || (a.ts === b.ts && a.value > b.value);

const naiveCounter: StateCrdt<NaiveCounterState, number> = {
  kind: "state",
  name: "naive-counter",
  ops: [{ op: "inc", args: [1] }],
  init: () => ({ value: 0, ts: Number.MIN_SAFE_INTEGER }),
  update(state: NaiveCounterState, op: Op, ctx: Ctx) {
    if (op.op !== "inc") throw new Error(`naive-counter: unknown op "${op.op}" (ops: inc)`);
    const n = op.args[0] ?? 1;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) throw new Error("naive-counter: inc takes a positive integer");
    // Read-modify-write: the new value is computed from what this replica happens to know now.
    const write = { value: state.value + n, ts: ctx.now() };
    if (!beats(write, state)) return { state, delta: { ...state } };
    state.value = write.value;
    state.ts = write.ts;
    return { state, delta: { ...write } };
  },
  merge(a, b) {
    if (beats(b, a)) {
      a.value = b.value;
      a.ts = b.ts;
    }
    return a;
  },
  value: (s) => s.value,
  clone: (s) => ({ ...s }),
};

export default naiveCounter;
