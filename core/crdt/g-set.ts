/**
 * G-Set: a grow-only set of JSON values ("Conflict-free Replicated Data Types"). Merge is set union, so it is trivially
 * commutative, associative and idempotent; the price is that nothing can ever be removed.
 * Elements are keyed by canonicalKey: `{a:1,b:2}` and `{b:2,a:1}` are the same element.
 */
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import type { Json } from "../util/json.ts";
import { builtin, expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { element, type JsonSet, readSet, singleton, sortedElements, unionInto, writeSet } from "./_internals/json-set.ts";

export type GSetState = JsonSet;

const NAME = "g-set";

export const gSet = builtin(NAME, {}, {}, (): StateCrdt<GSetState, Json[]> => ({
  kind: "state",
  name: NAME,
  ops: [{ op: "add", args: [{ int: [0, 9] }] }],
  init: () => new Map(),
  update(state: GSetState, op: Op, _ctx: Ctx) {
    if (op.op !== "add") unknownOp(NAME, op.op, ["add"]);
    expectArity(NAME, op.op, op.args, 1);
    expectJson(NAME, op.op, op.args[0]);
    const el = element(op.args[0]);
    if (!state.has(el.key)) state.set(el.key, el.value);
    // The delta is the added element alone, even when already present: re-adding it is a no-op anywhere.
    return { state, delta: singleton(el) };
  },
  merge: unionInto,
  value: sortedElements,
  clone: (s) => new Map(s),
  codec: framedCodec(NAME, writeSet, readSet),
}));
