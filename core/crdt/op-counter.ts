/**
 * Op-based counter (CmRDT PN-Counter): the state is the number itself, an `inc [n]` or
 * `dec [n]` becomes the effect "+n" or "−n", and every replica adds every effect once.
 * Addition commutes, so any delivery order converges — but only if each op is applied
 * exactly once: the state has no memory of which ops it has seen, so a duplicate counts twice
 * and a lost op is never counted. That is the messaging layer's job (docs/design.md: "for op-based
 * types the simulator's messaging layer gives exactly-once causal delivery"); the scenario
 * switch `sync.dedup: false` shows what happens without it.
 *
 * Compared with the state-based PN-Counter the state is one number instead of two maps with
 * an entry per replica, and a message is one signed integer.
 */
import type { Ctx, Op } from "../contract.ts";
import { OpError } from "../errors.ts";
import { expectAmount, expectArity, unknownOp } from "./_internals/builtin.ts";
import { opBuiltin } from "./op-builtin.ts";

const NAME = "op-counter";
const OPS = ["inc", "dec"];

export const opCounter = opBuiltin<number, number, number>({
  kind: "op",
  name: NAME,
  ops: [
    { op: "inc", args: [{ int: [1, 5] }], weight: 2 },
    { op: "dec", args: [{ int: [1, 5] }], weight: 1 },
  ],
  init: () => 0,
  prepare(state: number, op: Op, ctx: Ctx): number {
    if (!OPS.includes(op.op)) unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, 1);
    const amount = expectAmount(NAME, op.op, op.args[0]);
    const delta = op.op === "inc" ? amount : -amount;
    // The replica's own total must stay an exact integer (concurrent effects elsewhere are not visible here).
    if (!Number.isSafeInteger(state + delta))
      throw new OpError(
        NAME,
        op.op,
        `replica "${ctx.replica}"'s total would reach ${state} ${delta < 0 ? "-" : "+"} ${amount}, past ±${Number.MAX_SAFE_INTEGER} (2^53 - 1, the largest count a counter holds exactly)`,
      );
    return delta;
  },
  effect: (state: number, delta: number) => state + delta,
  value: (state: number) => state,
  clone: (state: number) => state,
});
