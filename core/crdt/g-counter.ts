/**
 * G-Counter: a grow-only counter. Each replica increments only its own entry; merge takes the
 * per-replica maximum, so re-delivered or reordered states never double-count; the value is the
 * sum. State is a Map replica → count (no owner id inside, so equal histories give equal states).
 */
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { Reader } from "../encoding/reader.ts";
import { stringSize, uintSize, Writer } from "../encoding/writer.ts";
import { compareStrings } from "../util/json.ts";
import { builtin, checkedTotal, expectAmount, expectArity, unknownOp } from "./_internals/builtin.ts";

export type GCounterState = Map<string, number>;

const NAME = "g-counter";

/** Per-replica maximum of `b` into `a` (mutates and returns `a`). */
export function mergeCounts(a: GCounterState, b: GCounterState): GCounterState {
  // Keys, not [key, value] entries: every delivery merges, and each entry would be an array.
  for (const r of b.keys()) {
    const n = b.get(r)!;
    if (n > (a.get(r) ?? 0)) a.set(r, n);
  }
  return a;
}

export function sumCounts(s: GCounterState): number {
  let total = 0;
  for (const n of s.values()) total += n;
  return total;
}

export function writeCounts(w: Writer, s: GCounterState): void {
  if (s.size === 1) {
    // A delta holds one entry: nothing to sort (the simulator sizes one delta per update).
    for (const id of s.keys()) w.uint(1).string(id).uint(s.get(id)!);
    return;
  }
  // Sorted by insertion into a sized array: a state holds one id per replica, and a spread and
  // sort with a comparator cost several times more (the idempotence check encodes every state it checks).
  const ids = new Array<string>(s.size);
  let n = 0;
  for (const id of s.keys()) {
    let i = n++;
    while (i > 0 && compareStrings(ids[i - 1]!, id) > 0) {
      ids[i] = ids[i - 1]!;
      i--;
    }
    ids[i] = id;
  }
  w.uint(n);
  for (const id of ids) w.string(id).uint(s.get(id)!);
}

/** The bytes `writeCounts` writes, counted without writing them (the simulator sizes every delta it sends). */
export function countsSize(s: GCounterState): number {
  let n = uintSize(s.size);
  for (const id of s.keys()) n += stringSize(id) + uintSize(s.get(id)!);
  return n;
}

export function readCounts(r: Reader): GCounterState {
  const n = r.count(2);
  const out: GCounterState = new Map();
  let prev: string | undefined;
  for (let i = 0; i < n; i++) {
    const id = r.string();
    if (prev !== undefined && compareStrings(prev, id) >= 0) r.fail(`replica ids not strictly sorted ("${prev}" then "${id}")`);
    const count = r.uint();
    if (count === 0) r.fail(`zero count for replica "${id}" (zeros are never stored)`);
    out.set(id, count);
    prev = id;
  }
  return out;
}

export const gCounter = builtin(NAME, {}, {}, (): StateCrdt<GCounterState, number> => ({
  kind: "state",
  name: NAME,
  ops: [{ op: "inc", args: [{ int: [1, 5] }] }],
  init: () => new Map(),
  update(state: GCounterState, op: Op, ctx: Ctx) {
    if (op.op !== "inc") unknownOp(NAME, op.op, ["inc"]);
    expectArity(NAME, op.op, op.args, 1);
    const next = checkedTotal(NAME, op.op, ctx.replica, state.get(ctx.replica) ?? 0, expectAmount(NAME, op.op, op.args[0]));
    state.set(ctx.replica, next);
    // The delta is this replica's new entry alone: merging it anywhere is a max, so it is idempotent.
    return { state, delta: new Map<string, number>().set(ctx.replica, next) };
  },
  merge: mergeCounts,
  value: sumCounts,
  clone: (s) => new Map(s),
  // Counts are never stored as 0: an entry is always written.
  isBottom: (s) => s.size === 0,
  codec: framedCodec(NAME, writeCounts, readCounts, countsSize),
}));
