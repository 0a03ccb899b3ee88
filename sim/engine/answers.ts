/**
 * A type that answers (the contract's `answers: true`): a merge or an effect that, having taken a
 * message in, has something to tell every peer — a cleanup, a resolution, an acknowledgement,
 * what it learned and passes on. Such a merge returns `{ state, send }` (state-based), such an
 * effect likewise (op-based); everything else in the harness wants a merge or an effect that
 * returns a state, so the type is adapted once, here: the adapted function returns the state and
 * leaves the messages in an outbox. The engine empties the outbox before each merge or effect of
 * a delivered message (and, op-based, of an op at its origin) and ships what that call left
 * (state-mode.ts as deltas or states, op-mode.ts as ops of the answering replica); merges and
 * effects made by the checks (re-applying a message to a copy, replaying inputs) and by crash
 * recovery also fill it, and their answers are dropped: they happened to copies, not to a replica.
 */
import type { AnsweringCrdt, Crdt, OpCrdt, StateCrdt } from "../../core/contract.ts";
import { PluginError } from "../plugin/guard.ts";

export type Outbox = unknown[];

/** Whether `crdt` declares a merge (state-based) or an effect (op-based) that answers. */
export function answers(crdt: Crdt | AnsweringCrdt): crdt is AnsweringCrdt {
  return (crdt as { answers?: unknown }).answers === true;
}

/** The type with a merge / effect that returns a state, and the outbox its answers go to; or the type itself. */
export function adaptAnswers(crdt: Crdt | AnsweringCrdt): { crdt: Crdt; outbox: Outbox | null } {
  if (!answers(crdt)) return { crdt, outbox: null };
  const outbox: Outbox = [];
  const name = crdt.name;
  const take = (fn: string, out: unknown): unknown => {
    if (typeof out !== "object" || out === null || !("state" in out))
      throw new PluginError(`${name}: ${fn} returned ${out === null ? "null" : typeof out} (a type that declares answers: true returns { state, send })`);
    const { state, send } = out as { state: unknown; send?: unknown };
    if (send !== undefined) {
      if (!Array.isArray(send)) throw new PluginError(`${name}: ${fn} returned send: ${typeof send} (must be an array of ${fn === "merge" ? "deltas" : "effects"}, or left out)`);
      for (const m of send) outbox.push(m);
    }
    return state;
  };
  if (crdt.kind === "op") {
    const raw = crdt;
    // Inherit everything else (a class's prototype, the guard's wrappers); only effect is replaced.
    const adapted = Object.create(raw) as OpCrdt<any, any, unknown>;
    adapted.effect = (s, e, meta) => take("effect", raw.effect(s, e, meta));
    return { crdt: adapted, outbox };
  }
  const raw = crdt;
  const adapted = Object.create(raw) as StateCrdt<any, unknown>;
  adapted.merge = (a, b) => take("merge", raw.merge(a, b));
  return { crdt: adapted, outbox };
}
