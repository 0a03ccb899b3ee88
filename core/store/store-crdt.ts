/**
 * The store: a node's keyed objects, as one state-based CRDT. Option `collections` maps each
 * collection name to the CRDT type of its objects (any nestable builtin, usually a record
 * schema): `{ "customers": { "type": "record", "fields": { "phone": "mv-register" } },
 * "views": "pn-counter" }`. Objects are created by their first update; ids are non-empty strings.
 *
 * - Ops: any op of the collection's type, with the collection and the object id first:
 *   `set ["customers", "A", "phone", v]` (a record field), `inc ["views", "video-1", 1]`
 *   (a counter), `add ["tags", "A", "vip"]` (an or-set). An unknown collection, a bad id, an
 *   unknown field or an op the field's type does not take is an OpError naming them all.
 * - No object delete (objects are identities; clear a register field with null instead, or
 *   give the collection an or-map type when keys must come and go).
 * - Delta of an update: a store holding only that object's delta ("set customer A's phone to
 *   X" is one small message whose size does not depend on the other objects or fields).
 * - Value: collection → id → the object type's value, every configured collection present
 *   (an empty one as {}), keys sorted.
 * - Conflicts: the MV places of every object, with the path [collection, id, field…].
 *
 * State: collection → id → object state, holding only collections and objects written or merged.
 * Encoding: header, then the non-empty collections by ascending schema index (names sorted), each
 * as (index, object count, then per object by ascending id: id, length-prefixed nested encoding);
 * objects in their initial state are left out, so equal states give equal bytes. Nested
 * encodings are unchecked (version-1) frames: the store's own frame ends with the checksum.
 *
 * The messaging around it — per-collection version-vector digests, the delta log, anti-entropy
 * that ships only what a peer lacks — is StoreReplica (replica.ts).
 */
import type { BuiltinCrdt, CrdtOptions, Ctx, Op, StateCrdt } from "../contract.ts";
import { framedCodec, nestedCodec } from "../encoding/framed-codec.ts";
import type { Reader } from "../encoding/reader.ts";
import type { Writer } from "../encoding/writer.ts";
import { CrdtOptionError, OpError } from "../errors.ts";
import { compareStrings } from "../util/json.ts";
import { builtin } from "../crdt/_internals/builtin.ts";
import {
  bottomTest,
  bytesEqual,
  cloneState,
  type Conflict,
  conflictsOf,
  prefixConflicts,
  readNested,
  relabelOpError,
  type Resolve,
  resolveSpec,
  type TypeSpec,
} from "../crdt/_internals/nested.ts";
import { objectOf } from "../crdt/_internals/object-of.ts";
import { type RecordCrdt, recordType } from "../crdt/record.ts";

export type StoreState = Map<string, Map<string, unknown>>;
export type StoreValue = Record<string, Record<string, unknown>>;
export type StoreOptions = { collections: Record<string, TypeSpec> };

export type StoreCrdt = StateCrdt<StoreState, StoreValue> & {
  /** The collection names, sorted (their index is their wire number). */
  readonly collections: readonly string[];
  /** The object type of a collection; throws an OpError naming the known ones when unknown. */
  typeOf(collection: string): StateCrdt<any, unknown>;
  conflicts(state: StoreState): Conflict[];
  /** One object's encoding (used by the messaging layer), and the reader of it. */
  writeObject(w: Writer, collection: string, state: unknown): void;
  readObject(r: Reader, collection: string, where: string): unknown;
  /**
   * An op applied to one object, read through `read` once the op's collection and id are known
   * to be valid (the state it returns may be mutated): what `update` does to a store state, and
   * what StoreReplica does to its backing's object without building a store state around it.
   */
  updateObject(op: Op, ctx: Ctx, read: (collection: string, id: string) => unknown): ObjectUpdate;
  /**
   * Several ops of one object (its type's ops, without the collection and id: `inc ["views", 1]`)
   * applied in order as ONE update: the state after them all and their deltas joined into one —
   * what applying them one by one would leave, with one delta instead of several. All or
   * nothing: an op that fails leaves the object as it was before the first (OpError naming it).
   */
  updateObjectMany(collection: string, id: string, ops: readonly Op[], ctx: Ctx, read: (collection: string, id: string) => unknown): ObjectUpdate;
};

/**
 * An op's effect on its object: the state after it — undefined when the object is still absent
 * (an update that left a new object initial creates nothing) — and the delta, undefined when
 * the update changed nothing (its delta the initial state).
 */
export type ObjectUpdate = { collection: string; id: string; state: unknown; delta: unknown };

const NAME = "store";

/** A record field that was absent before a multi-op update (updateObjectMany puts that back on failure). */
const ABSENT = Symbol("absent");

/** Ids offered to random workloads (explore, laws): few, so that objects collide. */
export const STORE_ARBITRARY_IDS = ["a", "b", "c"];

export const DEFAULT_STORE_COLLECTIONS: Readonly<Record<string, TypeSpec>> = Object.freeze({ customers: "record" });

function checkCollections(collections: unknown, resolve: Resolve): Map<string, StateCrdt<any, unknown>> {
  if (collections === null || typeof collections !== "object" || Array.isArray(collections))
    throw new CrdtOptionError(NAME, "collections", `must be an object mapping collection names to CRDT types, got ${JSON.stringify(collections) ?? String(collections)}`);
  const names = Object.keys(collections).sort(compareStrings);
  if (names.length === 0) throw new CrdtOptionError(NAME, "collections", "must name at least one collection");
  const out = new Map<string, StateCrdt<any, unknown>>();
  for (const c of names) {
    if (c === "") throw new CrdtOptionError(NAME, "collections", "a collection name must not be empty");
    out.set(c, resolveSpec(NAME, `collections.${c}`, (collections as Record<string, unknown>)[c], resolve));
  }
  return out;
}

function makeStore(schema: Map<string, StateCrdt<any, unknown>>): StoreCrdt {
  const names = [...schema.keys()];
  const index = new Map(names.map((c, i) => [c, i]));
  // Objects are nested in the store's frame: their unchecked encodings (the store's checksum covers them).
  const nested = new Map(names.map((c) => [c, nestedCodec(schema.get(c)!.codec!)]));
  const codecOf = (c: string) => nested.get(c)!;
  const bottom = new Map(names.map((c) => [c, codecOf(c).encode(schema.get(c)!.init("_"))]));
  const list = names.join(", ");
  const bottomOf = new Map(names.map((c) => [c, bottomTest(schema.get(c)!)]));
  const isBottom = (c: string, s: unknown) => bottomOf.get(c)!(s);

  const typeOf = (c: string): StateCrdt<any, unknown> => {
    const t = typeof c === "string" ? schema.get(c) : undefined;
    if (!t) throw new OpError(NAME, "-", `unknown collection ${JSON.stringify(c) ?? String(c)} (the store's collections: ${list})`);
    return t;
  };

  /** Validates the collection and id of an op; errors name them and the known collections. */
  const target = (op: Op): { c: string; id: string; crdt: StateCrdt<any, unknown> } => {
    const name = String(op.op);
    if (!Array.isArray(op.args)) throw new OpError(NAME, name, "args must be an array");
    if (op.args.length < 2) throw new OpError(NAME, name, `expects the collection and the object id first, e.g. ["${names[0]}", "id-1", …] (collections: ${list})`);
    const [c, id] = op.args;
    if (typeof c !== "string" || !schema.has(c)) throw new OpError(NAME, name, `unknown collection ${JSON.stringify(c) ?? String(c)} (the store's collections: ${list})`);
    if (typeof id !== "string" || id === "") throw new OpError(NAME, name, `collection "${c}": the object id must be a non-empty string, got ${JSON.stringify(id) ?? String(id)}`);
    return { c, id, crdt: schema.get(c)! };
  };

  function updateObject(op: Op, ctx: Ctx, read: (collection: string, id: string) => unknown): ObjectUpdate {
    const { c, id, crdt } = target(op);
    const current = read(c, id);
    let res: { state: unknown; delta: unknown };
    try {
      res = crdt.update(current ?? crdt.init(ctx.replica), { op: op.op, args: op.args.slice(2) }, ctx);
    } catch (e) {
      relabelOpError(NAME, String(op.op), `${c}["${id}"] (${crdt.name})`, e);
    }
    // An object still in its initial state (e.g. a remove of an absent tag) is not created:
    // states only grow, so "present ⇔ not initial" keeps the value a function of the bytes.
    const state = current !== undefined || !isBottom(c, res.state) ? res.state : undefined;
    return { collection: c, id, state, delta: isBottom(c, res.delta) ? undefined : res.delta };
  }

  function updateObjectMany(collection: string, id: string, ops: readonly Op[], ctx: Ctx, read: (collection: string, id: string) => unknown): ObjectUpdate {
    if (!Array.isArray(ops) || ops.length === 0) throw new OpError(NAME, "-", `${collection}["${id}"]: expects at least one op`);
    if (ops.length === 1) return updateObject({ op: ops[0]!.op, args: [collection, id, ...(Array.isArray(ops[0]!.args) ? ops[0]!.args : [])] }, ctx, read);
    const { c, crdt } = target({ op: ops[0]!.op, args: [collection, id] });
    const current = read(c, id);
    const fieldType = (crdt as Partial<RecordCrdt>).fieldType;
    // A record's fields are updated in place, each by its own type: before an op that another
    // follows, its field is copied (only that field), so a later op that fails can put it back.
    // Any other type: the ops run on a copy of the object, which replaces it once all succeed.
    const record = typeof fieldType === "function";
    let state: unknown = current === undefined ? crdt.init(ctx.replica) : record ? current : cloneState(crdt, current);
    // A new object is discarded on failure: nothing to put back.
    const saved = record && current !== undefined ? new Map<string, unknown>() : undefined;
    let delta: unknown;
    /** Record fields whose delta in `delta` is a copy of ours (safe to merge into). */
    let owned: Set<string> | undefined;
    let at = 0;
    try {
      for (; at < ops.length; at++) {
        const op = ops[at]!;
        if (saved && at < ops.length - 1 && Array.isArray(op.args)) {
          const f = op.args[0];
          if (typeof f === "string" && !saved.has(f) && (crdt as RecordCrdt).fields.includes(f)) {
            const m = state as Map<string, unknown>;
            saved.set(f, m.has(f) ? cloneState(fieldType!(f), m.get(f)) : ABSENT);
          }
        }
        const res = crdt.update(state, op, ctx);
        state = res.state;
        if (delta === undefined) delta = res.delta;
        else if (record) {
          // Record deltas hold the fields the op touched: a field seen before is joined into our copy.
          const joined = delta as Map<string, unknown>;
          for (const [f, d] of res.delta as Map<string, unknown>) {
            const t = fieldType!(f);
            if (!joined.has(f)) joined.set(f, d);
            else {
              owned ??= new Set();
              if (!owned.has(f)) {
                joined.set(f, cloneState(t, joined.get(f)));
                owned.add(f);
              }
              joined.set(f, t.merge(joined.get(f), d));
            }
          }
        } else delta = crdt.merge(at === 1 ? cloneState(crdt, delta) : delta, res.delta);
      }
    } catch (e) {
      if (saved && current !== undefined) {
        const m = current as Map<string, unknown>;
        for (const [f, s] of saved) {
          if (s === ABSENT) m.delete(f);
          else m.set(f, s);
        }
      }
      relabelOpError(NAME, String(ops[at]?.op), `${c}["${id}"] (${crdt.name})`, e);
    }
    const kept = current !== undefined || !isBottom(c, state) ? state : undefined;
    return { collection: c, id, state: kept, delta: isBottom(c, delta) ? undefined : delta };
  }

  const writeObject = (w: Writer, c: string, s: unknown) => {
    const bytes = codecOf(c).encode(s);
    w.uint(bytes.length).raw(bytes);
  };
  const readObject = (r: Reader, c: string, where: string) => readNested(r, schema.get(c)!, where).state;

  return {
    kind: "state",
    name: NAME,
    collections: names,
    typeOf,
    writeObject,
    readObject,
    // Every op of every collection's type, on a few colliding ids.
    ops: names.flatMap((c) => schema.get(c)!.ops.map((s) => ({ ...s, args: [c, { pick: STORE_ARBITRARY_IDS }, ...(s.args ?? [])] }))),
    init: () => new Map(),
    updateObject,
    updateObjectMany,
    update(state: StoreState, op: Op, ctx: Ctx) {
      const u = updateObject(op, ctx, (c, id) => state.get(c)?.get(id));
      if (u.state !== undefined) {
        const objects = state.get(u.collection);
        if (objects) objects.set(u.id, u.state);
        else state.set(u.collection, new Map([[u.id, u.state]]));
      }
      return { state, delta: u.delta === undefined ? new Map() : new Map([[u.collection, new Map([[u.id, u.delta]])]]) };
    },
    merge(a, b) {
      if (a === b) return a;
      for (const [c, theirs] of b) {
        const crdt = schema.get(c)!;
        let mine = a.get(c);
        if (!mine) a.set(c, (mine = new Map()));
        // Insertion-ordered Maps are fine here: nothing observable reads them unsorted.
        for (const [id, s] of theirs) {
          if (mine.has(id)) mine.set(id, crdt.merge(mine.get(id), s));
          else if (!isBottom(c, s)) mine.set(id, cloneState(crdt, s));
        }
      }
      return a;
    },
    value: (s) =>
      objectOf(
        names.map((c) => {
          const crdt = schema.get(c)!;
          return [c, objectOf([...(s.get(c) ?? [])].map(([id, x]) => [id, crdt.value(x)] as const))] as const;
        }),
      ),
    clone: (s) => new Map([...s].map(([c, m]) => [c, new Map([...m].map(([id, x]) => [id, cloneState(schema.get(c)!, x)]))])),
    // Initial-state objects are left out of the encoding: a store of only those encodes like init.
    isBottom(s) {
      for (const [c, objects] of s) for (const x of objects.values()) if (!isBottom(c, x)) return false;
      return true;
    },
    conflicts: (s) =>
      names.flatMap((c) => {
        const objects = s.get(c);
        if (!objects) return [];
        const ids = [...objects.keys()].sort(compareStrings);
        return ids.flatMap((id) => prefixConflicts(c, prefixConflicts(id, conflictsOf(schema.get(c)!, objects.get(id)))));
      }),
    codec: framedCodec(
      NAME,
      (w, s) => {
        const present: [number, [string, Uint8Array][]][] = [];
        for (const c of names) {
          const objects = s.get(c);
          if (!objects) continue;
          const codec = codecOf(c);
          const encoded: [string, Uint8Array][] = [];
          for (const id of [...objects.keys()].sort(compareStrings)) {
            const bytes = codec.encode(objects.get(id));
            if (!bytesEqual(bytes, bottom.get(c)!)) encoded.push([id, bytes]);
          }
          if (encoded.length > 0) present.push([index.get(c)!, encoded]);
        }
        w.uint(present.length);
        for (const [at, objects] of present) {
          w.uint(at).uint(objects.length);
          for (const [id, bytes] of objects) w.string(id).uint(bytes.length).raw(bytes);
        }
      },
      (r) => {
        const n = r.count(2);
        const out: StoreState = new Map();
        let prev = -1;
        for (let i = 0; i < n; i++) {
          const at = r.uint();
          const c = names[at] ?? r.fail(`collection index ${at} out of range (the store has ${names.length} collections: ${list})`);
          if (at <= prev) r.fail(`collection indexes not strictly ascending (${prev} then ${at})`);
          prev = at;
          const count = r.count(3);
          if (count === 0) r.fail(`collection "${c}" is present but empty (empty collections are left out)`);
          const objects = new Map<string, unknown>();
          let last: string | undefined;
          for (let j = 0; j < count; j++) {
            const id = r.string();
            if (id === "") r.fail(`collection "${c}": empty object id`);
            if (last !== undefined && compareStrings(last, id) >= 0) r.fail(`collection "${c}": ids not strictly ascending ("${last}" then "${id}")`);
            last = id;
            const { bytes, state } = readNested(r, schema.get(c)!, `${c}["${id}"]`);
            if (bytesEqual(bytes, bottom.get(c)!)) r.fail(`${c}["${id}"] holds its initial state (such objects are left out)`);
            objects.set(id, state);
          }
          out.set(c, objects);
        }
        return out;
      },
    ),
  };
}

/** The store builtin; `resolve` turns a collection's spec into its type (core/registry.ts passes resolveBuiltin). */
export function storeType(resolve: Resolve): BuiltinCrdt & StoreCrdt {
  // The default schema's record, built here: the registry is still being built when this runs.
  const defaultRecord = recordType(resolve);
  const local: Resolve = (spec) => (spec === "record" ? defaultRecord : resolve(spec));
  return builtin<StoreOptions>(NAME, { collections: { ...DEFAULT_STORE_COLLECTIONS } }, { collections: (v) => void checkCollections(v, local) }, (o: CrdtOptions) =>
    makeStore(checkCollections(o.collections, local)),
  ) as BuiltinCrdt & StoreCrdt;
}
