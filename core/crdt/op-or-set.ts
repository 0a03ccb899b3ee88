/**
 * Op-based OR-Set (add-wins; Shapiro et al. 2011, "A comprehensive study of CRDTs", Spec. 15).
 *
 * - add [x]: the effect is `{ add: x }`; at every replica it tags x with the op's unique id
 *   (origin, seq) — the id the messaging layer gives the op, so the origin needs no counter of
 *   its own and a replica restarted from an old snapshot cannot reuse a tag.
 * - remove [x]: the effect is `{ remove: x, tags }`, the tags of x the origin has observed;
 *   every replica drops exactly those. An add concurrent with the remove has a tag the remover
 *   never saw, so it survives: add wins.
 *
 * Requires causal delivery: a remove must reach a replica after the adds it observed, or it
 * removes nothing there and the replicas diverge (the scenario switch `sync.causal: false`
 * shows it). A duplicated add is harmless (same tag); a duplicated remove too.
 */
import type { Ctx, Op } from "../contract.ts";
import { compareJson, type Json } from "../util/json.ts";
import { expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { element } from "./_internals/json-set.ts";
import { opBuiltin } from "./op-builtin.ts";

/** canonicalKey → the element and the tags ("seq:origin") of the adds that put it there. */
export type OpORSetState = Map<string, { value: Json; tags: Set<string> }>;
export type OpORSetEffect = { add: Json } | { remove: Json; tags: string[] };

const NAME = "op-or-set";
const OPS = ["add", "remove"];

/** A tag: the op's id; the seq first (all digits) so any replica name is unambiguous. */
const tagOf = (origin: string, seq: number) => `${seq}:${origin}`;

export const opOrSet = opBuiltin<OpORSetState, OpORSetEffect, Json[]>({
  kind: "op",
  name: NAME,
  ops: [
    { op: "add", args: [{ int: [0, 5] }], weight: 2 },
    { op: "remove", args: [{ int: [0, 5] }], weight: 1 },
  ],
  init: () => new Map(),
  prepare(state: OpORSetState, op: Op, _ctx: Ctx): OpORSetEffect {
    if (!OPS.includes(op.op)) unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, 1);
    expectJson(NAME, op.op, op.args[0]);
    const el = element(op.args[0]);
    if (op.op === "add") return { add: el.value };
    return { remove: el.value, tags: [...(state.get(el.key)?.tags ?? [])].sort() };
  },
  effect(state: OpORSetState, e: OpORSetEffect, meta: { origin: string; seq: number }): OpORSetState {
    if ("add" in e) {
      const el = element(e.add);
      const entry = state.get(el.key);
      if (entry) entry.tags.add(tagOf(meta.origin, meta.seq));
      else state.set(el.key, { value: el.value, tags: new Set([tagOf(meta.origin, meta.seq)]) });
    } else {
      const el = element(e.remove);
      const entry = state.get(el.key);
      if (entry) {
        for (const t of e.tags) entry.tags.delete(t);
        if (entry.tags.size === 0) state.delete(el.key);
      }
    }
    return state;
  },
  value: (state: OpORSetState) => [...state.values()].map((e) => e.value).sort(compareJson),
  clone: (state: OpORSetState) => new Map([...state].map(([k, e]) => [k, { value: e.value, tags: new Set(e.tags) }])),
});
