/**
 * The one place an issued update is announced: the intent checkers and the trace learn of update
 * `seq` just issued at `r`. Both sync modes (op-mode.ts, state-mode.ts) call it at the same point
 * of an update, so every checker sees an update the same way whatever the mode.
 */
import type { Op } from "../../core/contract.ts";
import type { Checkers } from "../checkers/index.ts";
import type { Replica } from "./replica.ts";
import type { Trace } from "./trace.ts";

export function noteIssued(host: { readonly checkers: Checkers; readonly trace: Trace }, r: Replica, seq: number, op: Op, now: number): void {
  const ck = host.checkers;
  ck.addWins?.issued(r, seq, op.op, op.args, now);
  ck.noLostWrites?.issued(r, seq, op.op, op.args, now);
  ck.durability?.issued(r, seq, op.op, op.args, now);
  ck.sequence?.issued(r, seq, now);
  host.trace.update(now, r, op.op, op.args, seq);
}
