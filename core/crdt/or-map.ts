/**
 * OR-Map: string keys → nested CRDTs of one type (option `value`, a builtin spec:
 * `{ "type": "or-map", "value": "pn-counter" }`, `{ "value": { "type": "lww-register",
 * "clock": "physical" } }`; default "pn-counter": keyed counters, e.g. views per video).
 *
 * Ops: `<innerOp> [key, ...innerArgs]` applies the value type's op to the key's value, creating
 * the key if absent (`inc ["v1", 2]`, `add ["k", "x"]`); `delete [key]` removes the key. A
 * `delete` with more than one argument is the value type's own delete (`delete [key, i, n]`).
 *
 * ## Remove semantics: observed-remove, update-wins, reset
 *
 * Every update of a key is a *segment*: a fresh dot (replica, counter) of the map, carrying the
 * nested delta that update produced. A key is present while it has a segment; its value is the
 * value type's join of its segments' deltas. A causal context records every segment seen, and
 * segments join like the OR-Set's dots (no tombstones): a segment survives unless the other side
 * has seen it and no longer holds it.
 *
 * - `delete [key]` drops the key's segments *as observed here* (the delta is their dots). It
 *   removes every contribution the deleter had seen, and nothing else.
 * - An update concurrent with the delete has a segment the deleter never saw, so it survives:
 *   **update wins**, and the key comes back holding **only the unobserved contributions** — a
 *   reset, as riak_dt's map intends. Concretely:
 *   - pn-counter: the key shows exactly the increments the deleter had not seen (deleted at 5,
 *     concurrently +1 → 1; riak_dt's embedded counter would show the updater's whole total);
 *   - or-set: the concurrently added elements (and only those) survive;
 *   - mv-register / lww-register: the concurrently written value(s).
 * - A late copy of a deleted segment cannot bring it back: the context remembers it.
 * - Any update keeps the key alive, even one that takes something away: an or-set `remove`
 *   concurrent with the key's delete brings the key back empty (it is an update of the key).
 * - Deleting a key that is absent here is a valid no-op with an empty delta.
 *
 * What makes the reset exact for any value type is that each update runs the value type's op
 * on the key's current value *under its own nested replica id* (the segment's dot, as
 * `"<counter>:<replica>"`), so its delta names only its own contribution: a counter increment
 * is a separate entry, not the replica's running total, and can be dropped alone.
 *
 * ## Metadata, and its limit
 *
 * A new segment replaces the segments its delta makes redundant (their dots go into the
 * delta's context, as an OR-Set add replaces an element's old dots), decided by `subsumedBy`
 * in _internals/nested.ts: an LWW write replaces older writes, an MV write replaces the values
 * it saw, an OR-Set add or remove replaces the segments of the element's adds it saw, and a
 * segment that holds nothing but context (an OR-Set remove) is replaced by the key's next
 * update. So a register or set value keeps about one segment per live value or element. **Counter values
 * keep one segment per increment** until the key is deleted: that per-increment identity is
 * exactly what an exact reset needs (a deleter may have seen any prefix of the increments),
 * and no bounded encoding of a counter can drop "the increments the deleter saw" while keeping
 * a concurrent one. Use a record field (no delete) for a hot counter; use an OR-Map of
 * counters where keys really come and go. Value types other than the builtins' dot-kernel
 * types and composites are compared by lattice order (s ⊑ d), which is exact but may keep more
 * segments than necessary. An update of a key costs time linear in the key's segments (the
 * key's value is re-joined from them, and each is tested for replacement).
 *
 * As with every delta CRDT, a replica that receives deltas out of causal order may briefly show
 * a value a later delta already superseded; it converges once the missing deltas arrive.
 *
 * Encoding: header, causal context, then keys ascending, each with its segments by ascending
 * dot: (replica index into the context's ids, counter, length-prefixed nested delta, an
 * unchecked frame: the map's own frame ends with the checksum).
 */
import { CausalContext } from "../clock/causal-context.ts";
import { readCausalContext, writeCausalContext } from "../clock/codec.ts";
import { compareDots, type Dot, dotKey } from "../clock/dot.ts";
import { checkReplica } from "../clock/version-vector.ts";
import type { BuiltinCrdt, CrdtOptions, Ctx, Op, OpSpec, StateCrdt } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import { OpError } from "../errors.ts";
import { compareStrings } from "../util/json.ts";
import { builtin, expectArity } from "./_internals/builtin.ts";
import {
  type Composite,
  conflictsOf,
  peekNext,
  prefixConflicts,
  readNested,
  relabelOpError,
  type Resolve,
  resolveSpec,
  subsumedBy,
  type TypeSpec,
  writeNested,
} from "./_internals/nested.ts";
import { objectOf } from "./_internals/object-of.ts";
import { expectKey } from "./lww-map.ts";
import { pnCounter } from "./pn-counter.ts";

/** One update of a key. Immutable: states and deltas share segments (and their payloads). */
export type Segment = Readonly<{ dot: Dot; payload: unknown }>;

export class ORMapState {
  /** key → dotKey → segment. Never holds an empty inner Map. */
  readonly keys = new Map<string, Map<string, Segment>>();
  /** dotKey → key: lets a join find a dot's segment without scanning. */
  readonly byDot = new Map<string, string>();
  /** Every segment this state has seen; always includes those it holds. */
  readonly ctx = new CausalContext();
  /** key → join of its segments' payloads. Derived, never encoded; dropped when a key changes. */
  readonly cache = new Map<string, unknown>();

  add(key: string, seg: Segment): void {
    let segs = this.keys.get(key);
    if (!segs) this.keys.set(key, (segs = new Map()));
    const k = dotKey(seg.dot);
    segs.set(k, seg);
    this.byDot.set(k, key);
    this.cache.delete(key);
  }

  drop(k: string): void {
    const key = this.byDot.get(k)!;
    this.byDot.delete(k);
    const segs = this.keys.get(key)!;
    segs.delete(k);
    if (segs.size === 0) this.keys.delete(key);
    this.cache.delete(key);
  }

  /** The key's segments by ascending dot. */
  segments(key: string): Segment[] {
    return [...(this.keys.get(key)?.values() ?? [])].sort((x, y) => compareDots(x.dot, y.dot));
  }

  holds(dot: Dot): boolean {
    return this.byDot.has(dotKey(dot));
  }
}

export type ORMapOptions = { value: TypeSpec };
export type ORMapCrdt = StateCrdt<ORMapState, Record<string, unknown>> & Composite<ORMapState> & { readonly valueType: StateCrdt<any, unknown> };

const NAME = "or-map";
const KEYS = ["x", "y"];

function makeORMap(inner: StateCrdt<any, unknown>): ORMapCrdt {
  const copy = (s: unknown) => (inner.clone ? inner.clone(s) : structuredClone(s));

  /** The join of the key's segments (cached: read it, never mutate it), or undefined if absent. */
  function joined(state: ORMapState, key: string): unknown {
    if (!state.cache.has(key)) {
      const [first, ...rest] = state.segments(key);
      if (first === undefined) return undefined;
      let acc = copy(first.payload);
      for (const seg of rest) acc = inner.merge(acc, seg.payload);
      state.cache.set(key, acc);
    }
    return state.cache.get(key);
  }

  function remove(state: ORMapState, key: string): ORMapState {
    const delta = new ORMapState();
    for (const seg of state.segments(key)) {
      delta.ctx.add(seg.dot);
      state.drop(dotKey(seg.dot));
    }
    return delta;
  }

  function apply(state: ORMapState, key: string, op: Op, ctx: Ctx): { state: ORMapState; delta: ORMapState } {
    checkReplica(ctx.replica);
    const dot = peekNext(state.ctx, ctx.replica);
    const id = dotKey(dot); // this update's own nested replica id (see the header)
    let res: { state: unknown; delta: unknown };
    try {
      const now = joined(state, key);
      // A private copy: the nested update may mutate it, and must not touch the cache if it throws.
      const base = now === undefined ? inner.init(id) : copy(now);
      res = inner.update(base, { op: op.op, args: op.args.slice(1) }, { replica: id, now: () => ctx.now() });
    } catch (e) {
      relabelOpError(NAME, String(op.op), `key ${JSON.stringify(key)} (${inner.name})`, e);
    }
    const seg: Segment = Object.freeze({ dot: Object.freeze(state.ctx.next(ctx.replica)), payload: res.delta });
    const delta = new ORMapState();
    for (const old of state.segments(key))
      if (subsumedBy(inner, old.payload, res.delta)) {
        delta.ctx.add(old.dot);
        state.drop(dotKey(old.dot));
      }
    state.add(key, seg);
    delta.add(key, seg);
    delta.ctx.add(seg.dot);
    return { state, delta };
  }

  const ops: OpSpec[] = [
    ...inner.ops.map((s) => ({ ...s, args: [{ pick: KEYS }, ...(s.args ?? [])], weight: 2 * (s.weight ?? 1) })),
    { op: "delete", args: [{ pick: KEYS }], weight: 1 },
  ];

  return {
    kind: "state",
    name: NAME,
    valueType: inner,
    ops,
    init: () => new ORMapState(),
    update(state: ORMapState, op: Op, ctx: Ctx) {
      if (!Array.isArray(op.args)) throw new OpError(NAME, String(op.op), "args must be an array");
      if (op.op === "delete" && op.args.length <= 1) {
        expectArity(NAME, op.op, op.args, 1);
        return { state, delta: remove(state, expectKey(NAME, op.op, op.args[0])) };
      }
      if (op.args.length === 0) throw new OpError(NAME, String(op.op), `expects the key first, then the ${inner.name} op's arguments`);
      return apply(state, expectKey(NAME, String(op.op), op.args[0]), op, ctx);
    },
    merge(a, b) {
      if (a === b) return a;
      // 1. Drop our segments that b has seen and no longer holds (deleted or replaced there).
      // drop(k) deletes only the entry being visited, which is safe while iterating a Map.
      for (const [k, key] of a.byDot) {
        const seg = a.keys.get(key)!.get(k)!;
        if (b.ctx.has(seg.dot) && !b.holds(seg.dot)) a.drop(k);
      }
      // 2. Take b's segments we have never seen (one we saw and lack was dropped here).
      for (const [key, segs] of b.keys) for (const seg of segs.values()) if (!a.ctx.has(seg.dot)) a.add(key, seg);
      a.ctx.merge(b.ctx);
      return a;
    },
    value(s) {
      return objectOf([...s.keys.keys()].map((key) => [key, inner.value(joined(s, key))] as const));
    },
    clone(s) {
      const out = new ORMapState();
      for (const [key, segs] of s.keys) for (const seg of segs.values()) out.add(key, seg);
      out.ctx.merge(s.ctx);
      return out;
    },
    conflicts: (s) => [...s.keys.keys()].sort(compareStrings).flatMap((key) => prefixConflicts(key, conflictsOf(inner, joined(s, key)))),
    // s's segments all replaced by d (the payloads are this map's deltas: see subsumedBy).
    subsumed(s, d) {
      for (const k of s.byDot.keys()) {
        const key = s.byDot.get(k)!;
        const seg = s.keys.get(key)!.get(k)!;
        if (!d.ctx.has(seg.dot) || d.holds(seg.dot)) return false;
      }
      return true;
    },
    codec: framedCodec(
      NAME,
      (w, s) => {
        writeCausalContext(w, s.ctx);
        const ids = new Map(s.ctx.replicas().map((id, i) => [id, i]));
        const keys = [...s.keys.keys()].sort(compareStrings);
        w.uint(keys.length);
        for (const key of keys) {
          const segs = s.segments(key);
          w.string(key).uint(segs.length);
          for (const seg of segs) {
            w.uint(ids.get(seg.dot[0])!).uint(seg.dot[1]);
            writeNested(w, inner, seg.payload);
          }
        }
      },
      (r) => {
        const out = new ORMapState();
        out.ctx.merge(readCausalContext(r));
        const ids = out.ctx.replicas();
        const n = r.count(2);
        let prev: string | undefined;
        for (let i = 0; i < n; i++) {
          const key = r.string();
          if (prev !== undefined && compareStrings(prev, key) >= 0) r.fail(`keys not strictly sorted (${JSON.stringify(prev)} then ${JSON.stringify(key)})`);
          prev = key;
          const m = r.count(3);
          if (m === 0) r.fail(`key ${JSON.stringify(key)} has no segments`);
          let prevDot: Dot | undefined;
          for (let j = 0; j < m; j++) {
            const at = r.uint();
            const id = ids[at] ?? r.fail(`segment replica index ${at} out of range (context names ${ids.length} replicas)`);
            const dot: Dot = Object.freeze([id, r.uint()] as const);
            if (dot[1] === 0) r.fail("segment counter 0 (counters start at 1)");
            if (prevDot && compareDots(prevDot, dot) >= 0) r.fail(`segments of key ${JSON.stringify(key)} not strictly sorted`);
            prevDot = dot;
            if (!out.ctx.has(dot)) r.fail(`segment (${dot[0]}, ${dot[1]}) is not in the causal context`);
            if (out.holds(dot)) r.fail(`segment (${dot[0]}, ${dot[1]}) appears under two keys`);
            const { state } = readNested(r, inner, `key ${JSON.stringify(key)}, segment (${dot[0]}, ${dot[1]})`);
            out.add(key, Object.freeze({ dot, payload: state }));
          }
        }
        return out;
      },
    ),
  };
}

/**
 * The OR-Map builtin. `resolve` turns the `value` spec into a type (core/registry.ts passes
 * resolveBuiltin); the default value type is imported directly, so building the registry
 * object calls no resolver.
 */
export function orMapType(resolve: Resolve): BuiltinCrdt & ORMapCrdt {
  const local: Resolve = (spec) => (spec === "pn-counter" ? pnCounter : resolve(spec));
  return builtin<ORMapOptions>(NAME, { value: "pn-counter" }, { value: (v) => void resolveSpec(NAME, "value", v, local) }, (o: CrdtOptions) =>
    makeORMap(resolveSpec(NAME, "value", o.value, local)),
  ) as BuiltinCrdt & ORMapCrdt;
}
