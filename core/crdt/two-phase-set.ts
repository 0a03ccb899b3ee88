/**
 * 2P-Set (two-phase set, from "Conflict-free Replicated Data Types"): a G-Set of additions plus a G-Set of removals (tombstones).
 * An element is visible when added and not removed. Both halves only grow, so merge is a pair
 * of unions; the price is the teaching point: **a removed element can never come back**. A
 * later `add` of it is accepted (no error: the op is valid, the replica just already knows the
 * answer) but has no visible effect, here or anywhere. The OR-Set is the type that can re-add.
 *
 * Choices:
 * - Removing an element this replica has never seen added is allowed and simply tombstones it
 *   (the classic 2P-Set requires presence). With concurrent replicas, "present here" is only a
 *   local view anyway, and refusing would make a workload's validity depend on delivery order;
 *   the tombstone also wins over an add that is still in flight, which is the 2P-Set's rule.
 * - An element lives in at most one half: a tombstoned element is dropped from `live`, since its
 *   addition can never matter again. This is the same lattice as (added, removed) with
 *   value added∖removed, but stores each removed element once and keeps the encoding canonical.
 */
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import type { Json } from "../util/json.ts";
import { builtin, expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { element, type JsonSet, readSet, singleton, sortedElements, writeSet } from "./_internals/json-set.ts";

/** `live`: added and not removed; `tombstones`: removed (forever). Disjoint. */
export type TwoPhaseSetState = { live: JsonSet; tombstones: JsonSet };

const NAME = "2p-set";
const OPS = ["add", "remove"];

export const twoPhaseSet = builtin(NAME, {}, {}, (): StateCrdt<TwoPhaseSetState, Json[]> => ({
  kind: "state",
  name: NAME,
  ops: [
    { op: "add", args: [{ int: [0, 9] }], weight: 3 },
    { op: "remove", args: [{ int: [0, 9] }], weight: 1 },
  ],
  init: () => ({ live: new Map(), tombstones: new Map() }),
  update(state: TwoPhaseSetState, op: Op, _ctx: Ctx) {
    if (!OPS.includes(op.op)) unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, 1);
    expectJson(NAME, op.op, op.args[0]);
    const el = element(op.args[0]);
    if (op.op === "add") {
      // Already removed: the add is void, so it sends nothing (an empty delta) rather than an
      // addition that would flash the element into view on replicas that lack the tombstone.
      if (state.tombstones.has(el.key)) return { state, delta: { live: new Map(), tombstones: new Map() } };
      if (!state.live.has(el.key)) state.live.set(el.key, el.value);
      return { state, delta: { live: singleton(el), tombstones: new Map() } };
    }
    state.live.delete(el.key);
    if (!state.tombstones.has(el.key)) state.tombstones.set(el.key, el.value);
    return { state, delta: { live: new Map(), tombstones: singleton(el) } };
  },
  merge(a, b) {
    for (const [k, x] of b.tombstones) {
      a.live.delete(k);
      if (!a.tombstones.has(k)) a.tombstones.set(k, x);
    }
    for (const [k, x] of b.live) if (!a.tombstones.has(k) && !a.live.has(k)) a.live.set(k, x);
    return a;
  },
  value: (s) => sortedElements(s.live),
  clone: (s) => ({ live: new Map(s.live), tombstones: new Map(s.tombstones) }),
  codec: framedCodec(
    NAME,
    (w, s) => {
      writeSet(w, s.live);
      writeSet(w, s.tombstones);
    },
    (r) => {
      const live = readSet(r);
      const tombstones = readSet(r);
      for (const k of tombstones.keys()) if (live.has(k)) r.fail(`element ${k} is both live and tombstoned`);
      return { live, tombstones };
    },
  ),
}));
