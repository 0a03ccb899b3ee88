/**
 * MV-Register (multi-value register, as in Dynamo and riak_dt): a write supersedes exactly the
 * writes it has seen; writes concurrent with it survive alongside it, so the value is the set
 * of concurrent values, never one silently picked (docs/design.md: concurrent writes to a multi-valued
 * field are kept and shown as explicit multiple values). A later write, one that has seen them all, collapses
 * them back to one value.
 *
 * - set [v]: a fresh dot; the state keeps only (newDot, v). Delta: (newDot, v) with a context
 *   of the new dot and every dot it superseded.
 * - value: the concurrent values sorted by compareJson, deduplicated by canonicalKey (equal
 *   values written concurrently are one value); [] before the first write.
 *
 * The state is the same {@link DotKernel} as the OR-Set's: an MV write is an add that
 * supersedes every entry, not only its own value's. Merge is the kernel's join.
 */
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import type { Json } from "../util/json.ts";
import { builtin, expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { DotKernel, kernelCodec } from "./_internals/dot-kernel.ts";
import { element } from "./_internals/json-set.ts";

export type MVRegisterState = DotKernel;

const NAME = "mv-register";

export const mvRegister = builtin(NAME, {}, {}, (): StateCrdt<MVRegisterState, Json[]> => ({
  kind: "state",
  name: NAME,
  // Few distinct values, so concurrent writes of the same value happen too.
  ops: [{ op: "set", args: [{ int: [0, 3] }] }],
  init: () => new DotKernel(),
  update(state: MVRegisterState, op: Op, ctx: Ctx) {
    if (op.op !== "set") unknownOp(NAME, op.op, ["set"]);
    expectArity(NAME, op.op, op.args, 1);
    expectJson(NAME, op.op, op.args[0]);
    const v = element(op.args[0]);
    return { state, delta: state.write(ctx.replica, v.key, v.value, state.keys()) };
  },
  merge: (a, b) => a.join(b),
  value: (s) => s.values(),
  clone: (s) => s.clone(),
  // The context holds every entry's dots: an empty one means an empty kernel.
  isBottom: (s) => s.size === 0 && s.ctx.isEmpty(),
  codec: kernelCodec(NAME),
}));
