/**
 * A merge that answers (the contract's `answers: true`): a type whose merge, having taken a
 * message in, has something to tell every peer — a cleanup, a resolution, what it learned and
 * passes on. Such a merge returns `{ state, send }`; everything else in the harness wants a merge
 * that returns a state, so the type is adapted once, here: the adapted merge returns the state
 * and leaves the messages in an outbox. The engine empties the outbox before each merge of a
 * delivered message and ships what that merge left (state-mode.ts); merges made by the checks
 * (re-applying a message to a copy, replaying inputs) and by crash recovery also fill it, and
 * their answers are dropped: they happened to copies, not to a replica.
 */
import type { AnsweringStateCrdt, Crdt, StateCrdt } from "../../core/contract.ts";
import { PluginError } from "../plugin/guard.ts";

export type Outbox = unknown[];

/** Whether `crdt` declares a merge that answers. */
export function answers(crdt: Crdt | AnsweringStateCrdt): crdt is AnsweringStateCrdt {
  return (crdt as { answers?: unknown }).answers === true;
}

/** The type with a merge that returns a state, and the outbox its answers go to; or the type itself. */
export function adaptAnswers(crdt: Crdt | AnsweringStateCrdt): { crdt: Crdt; outbox: Outbox | null } {
  if (!answers(crdt)) return { crdt, outbox: null };
  if ((crdt as { kind: string }).kind !== "state")
    throw new PluginError(`${crdt.name}: answers: true is for a state-based type's merge (an op-based type's effect cannot answer yet)`);
  const outbox: Outbox = [];
  const raw = crdt;
  // Inherit everything else (a class's prototype, the guard's wrappers); only merge is replaced.
  const adapted = Object.create(raw) as StateCrdt<any, unknown>;
  adapted.merge = (a, b) => {
    const out = raw.merge(a, b) as unknown;
    if (typeof out !== "object" || out === null || !("state" in out))
      throw new PluginError(`${raw.name}: merge returned ${out === null ? "null" : typeof out} (a type that declares answers: true returns { state, send })`);
    const { state, send } = out as { state: unknown; send?: unknown };
    if (send !== undefined) {
      if (!Array.isArray(send)) throw new PluginError(`${raw.name}: merge returned send: ${typeof send} (must be an array of deltas, or left out)`);
      for (const m of send) outbox.push(m);
    }
    return state;
  };
  return { crdt: adapted, outbox };
}
