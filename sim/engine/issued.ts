/**
 * The one place an issued update is announced: the intent checkers and the trace learn of update
 * `seq` just issued at `r`. Both sync modes (op-mode.ts, state-mode.ts) call it at the same point
 * of an update, so every checker sees an update the same way whatever the mode. `noteAnswer` is
 * the same for an answer that became an op of its own (op mode: op-mode.ts).
 */
import type { Op } from "../../core/contract.ts";
import type { Checkers } from "../checkers/index.ts";
import { ANSWER_OP } from "../checkers/durability.ts";
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

/**
 * Op mode: `r` has just issued answer `seq` (what a merge or an effect of a delivered message
 * answered, become an op of `r`'s own, and applied at `r`). The checkers whose model holds ops by
 * their dot learn of it: `durability` (an acknowledged answer must be applied everywhere, like any
 * acknowledged update), `sequence-intent` (the characters the answer's own effect typed or deleted
 * at `r` are `r`'s, by that dot) and `counter-total` (the answer's dot weighs 0: it is no `inc` or
 * `dec` a client issued, and the total holds what clients issued). In state and delta modes an
 * answer is part of the merge that made it and carries the answered message's dot, so there is
 * nothing to announce. Not traced as an update: the trace shows it as the replica's sends.
 */
export function noteAnswer(host: { readonly checkers: Checkers }, r: Replica, seq: number, now: number): void {
  const ck = host.checkers;
  ck.counter?.answered(r.index, seq);
  ck.durability?.issued(r, seq, ANSWER_OP, [], now);
  ck.sequence?.issued(r, seq, now);
}
