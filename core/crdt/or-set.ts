/**
 * OR-Set, add-wins, ORSWOT-style (riak_dt's ORSWOT; the AWORSet of Almeida et al.): each
 * element carries the dots of the adds that put it there, and a causal context records every
 * add seen. Removing an element drops its observed dots; the context remembers them, so no
 * tombstone is kept and a late copy of an old add cannot resurrect it. An add concurrent with
 * a remove carries a dot the remover never saw, so it survives: add wins. Unlike the 2P-Set,
 * a removed element can be added again (a new add has a new dot).
 *
 * - add [x]: a fresh dot replaces x's observed dots. Delta: x with just the new dot, and a
 *   context of the new dot and the old ones (recipients drop the old ones).
 * - remove [x]: drops x's dots. Delta: no entries, a context of those dots. Removing an element
 *   not present here is a valid no-op with an empty delta (a workload's validity must not
 *   depend on delivery order).
 * - value: the elements, sorted by compareJson; elements are keyed by canonicalKey.
 *
 * The state is a {@link DotKernel} (shared with the MV-Register) and never names its owner.
 */
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import type { Json } from "../util/json.ts";
import { builtin, expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { DotKernel, kernelCodec } from "./_internals/dot-kernel.ts";
import { element } from "./_internals/json-set.ts";

export type ORSetState = DotKernel;

const NAME = "or-set";
const OPS = ["add", "remove"];

export const orSet = builtin(NAME, {}, {}, (): StateCrdt<ORSetState, Json[]> => ({
  kind: "state",
  name: NAME,
  // A small element range so that concurrent adds and removes of one element are common.
  ops: [
    { op: "add", args: [{ int: [0, 5] }], weight: 2 },
    { op: "remove", args: [{ int: [0, 5] }], weight: 1 },
  ],
  init: () => new DotKernel(),
  update(state: ORSetState, op: Op, ctx: Ctx) {
    if (!OPS.includes(op.op)) unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, 1);
    expectJson(NAME, op.op, op.args[0]);
    const el = element(op.args[0]);
    const delta = op.op === "add" ? state.write(ctx.replica, el.key, el.value, [el.key]) : state.remove([el.key]);
    return { state, delta };
  },
  merge: (a, b) => a.join(b),
  value: (s) => s.values(),
  clone: (s) => s.clone(),
  // The context holds every entry's dots: an empty one means an empty kernel.
  isBottom: (s) => s.size === 0 && s.ctx.isEmpty(),
  codec: kernelCodec(NAME),
}));
