/**
 * StoreReplica: one node's store plus the messaging around it (docs/store.md). Pure and
 * deterministic: no I/O, no clock but the one passed in, no randomness.
 *
 * - `update(op)` applies a local op and returns the DeltaMessage to send to every peer.
 * - `receive(msg)` applies a peer's delta idempotently: its dot (origin, seq) is looked up in
 *   the collection's causal context first, so a duplicate changes nothing and returns false.
 * - `digest()`: per collection, the contiguous version vector of the updates applied.
 * - `missing(peerDigest)`: what the peer lacks and nothing else. Per collection and origin, the
 *   deltas above the peer's counter come from the delta log (joined per object: one message
 *   entry per object, not per update); where the log no longer holds them (compacted, or learnt
 *   through a sync rather than one by one) the objects those origins touched beyond the peer's
 *   counter are sent whole: the smallest set of object states that covers the gap, found through
 *   each object's own version vector (per origin, the highest seq that touched it).
 * - `applySync(msg)` merges such an answer; it raises the collection's knowledge to the sender's
 *   only when the answer was computed against a digest this replica still covers (a replica
 *   that lost state since it sent the digest merges the objects and keeps its knowledge).
 * - `compactLog(upTo?)` drops logged deltas at or below a digest (e.g. what every peer has
 *   acknowledged), or all of them; anti-entropy then falls back to object states.
 *
 * - `snapshot()` / `StoreReplica.restore()`: the durable image (state, knowledge, object
 *   vectors; not the log) for a storage interface, so a restart keeps everything applied.
 *
 * Everything that grows with the data — objects, their version vectors, knowledge, the log —
 * lives in a StoreBacking (backing.ts): MemoryBacking by default, a node's SQLite one on disk.
 * The replica keeps nothing of it between calls: every read goes through the backing and every
 * change ends in the matching `put*`, so a backing may drop its cache at any time. Objects are
 * read and written one at a time, through the store CRDT's own update and merge applied to a
 * one-object view of the store.
 *
 * Every method validates before it mutates: an error (OpError, StoreError, DecodeError from the
 * `*Bytes` variants) leaves the replica exactly as it was.
 */
import { CausalContext } from "../clock/causal-context.ts";
import { VersionVector } from "../clock/version-vector.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { CrdtError } from "../errors.ts";
import { objectOf } from "../crdt/_internals/object-of.ts";
import type { RecordCrdt } from "../crdt/record.ts";
import { compareStrings } from "../util/json.ts";
import type { StoreBacking } from "./backing.ts";
import { MemoryBacking } from "./memory-backing.ts";
import { snapshotCodec } from "./snapshot.ts";
import { type DeltaMessage, type StoreCodecs, storeCodecs, type StoreDigest, type SyncMessage, type SyncObject, type SyncPart } from "./messages.ts";
import type { ObjectUpdate, StoreCrdt, StoreState, StoreValue } from "./store-crdt.ts";

/** A message names something this store does not have (an unknown collection, a bad dot). */
export class StoreError extends CrdtError {
  override name = "StoreError";
}

export class StoreReplica {
  readonly codecs: StoreCodecs;
  readonly crdt: StoreCrdt;

  /**
   * `store`: a configured store type (`resolveBuiltin({ type: "store", collections: … })`);
   * `now`: the node's clock (LWW fields); `backing`: where objects, knowledge and the log live
   * (whatever it already holds is this replica's state).
   */
  constructor(
    readonly id: string,
    store: StateCrdt<any, unknown>,
    private readonly now: () => number = () => 0,
    readonly backing: StoreBacking = new MemoryBacking(),
  ) {
    if (typeof id !== "string" || id === "") throw new StoreError(`a store replica needs a non-empty id, got ${JSON.stringify(id)}`);
    if (store?.name !== "store" || !Array.isArray((store as Partial<StoreCrdt>).collections))
      throw new StoreError(`a store replica needs a store type (resolveBuiltin({ type: "store", collections: … })), got ${JSON.stringify(store?.name)}`);
    const crdt = (this.crdt = store as StoreCrdt);
    this.codecs = storeCodecs(crdt);
    this.ctx = { replica: id, now };
  }

  /** What the object types' updates may know (one object for every update). */
  private readonly ctx: Ctx;

  /** The whole store state: MemoryBacking's live map, or one read from the backing (every object: for tests and small stores). */
  get state(): StoreState {
    // The memory backing's map is the state itself: no copy on the simulator's and tests' path.
    if (this.backing instanceof MemoryBacking) return this.backing.state;
    const out: StoreState = new Map();
    for (const c of this.crdt.collections) {
      const objects = new Map<string, unknown>();
      for (const id of this.backing.ids(c)) objects.set(id, this.backing.object(c, id));
      if (objects.size > 0) out.set(c, objects);
    }
    return out;
  }

  value(): StoreValue {
    return this.crdt.value(this.state);
  }

  // ---- reading one collection or object ---------------------------------------------------

  /** An object's value (its type's value()), or undefined when the collection holds no such object. */
  object(collection: string, id: string): unknown {
    const crdt = this.typeOf(collection);
    if (typeof id !== "string" || id === "") throw new StoreError(`collection "${collection}": bad object id ${JSON.stringify(id) ?? String(id)}`);
    const s = this.backing.object(collection, id);
    return s === undefined ? undefined : crdt.value(s);
  }

  /**
   * Some fields of a record object, as `object` shows them (field → its type's value), or
   * undefined when there is no such object: the other fields' values are not computed. An object
   * of any other type gives its whole value, as `object` does. Throws on a field not in the schema.
   */
  objectFields(collection: string, id: string, fields: readonly string[]): Record<string, unknown> | undefined {
    const crdt = this.typeOf(collection) as Partial<RecordCrdt> & StateCrdt<any, unknown>;
    if (typeof id !== "string" || id === "") throw new StoreError(`collection "${collection}": bad object id ${JSON.stringify(id) ?? String(id)}`);
    const s = this.backing.object(collection, id);
    if (s === undefined) return undefined;
    if (typeof crdt.fieldType !== "function" || !(s instanceof Map)) return crdt.value(s) as Record<string, unknown>;
    const out: [string, unknown][] = [];
    for (const f of fields) {
      const t = crdt.fieldType(f);
      out.push([f, t.value(s.has(f) ? s.get(f) : t.init("_"))]);
    }
    return objectOf(out);
  }

  /** The ids of a collection's objects, ascending. */
  ids(collection: string): string[] {
    this.typeOf(collection);
    return [...this.backing.ids(collection)];
  }

  /** How many objects a collection holds. */
  count(collection: string): number {
    this.typeOf(collection);
    return this.backing.count(collection);
  }

  /** One collection's value: id → the object's value, ids sorted (the store value's entry for it). */
  valueOf(collection: string): Record<string, unknown> {
    const crdt = this.typeOf(collection);
    return objectOf([...this.backing.ids(collection)].map((id) => [id, crdt.value(this.backing.object(collection, id))] as const));
  }

  // ---- local updates and peer deltas ------------------------------------------------------

  /** Applies a local op (`set ["customers", "A", "phone", v]`) and returns the message to broadcast. */
  update(op: Op): DeltaMessage {
    // The store CRDT validates collection, id and the object's op before it writes anything,
    // then applies the op to the object as the backing holds it (no store state around it).
    return this.commitLocal(this.crdt.updateObject(op, this.ctx, (c, id) => this.backing.object(c, id)));
  }

  /** A local update applied to its object: takes the next seq, writes the object back and logs the delta. */
  private commitLocal(u: ObjectUpdate): DeltaMessage {
    const { collection, id } = u;
    // An update that changed nothing (a remove of an absent element) has no delta; it still
    // takes a seq, with the object type's initial state as its delta.
    const d = u.delta ?? this.typeOf(collection).init(this.id);
    const cc = this.backing.knowledge(collection) ?? new CausalContext();
    const seq = cc.next(this.id)[1];
    this.backing.putKnowledge(collection, cc);
    this.record(collection, id, u.state, this.id, seq, d);
    return { collection, id, origin: this.id, seq, delta: d };
  }

  /**
   * Applies several ops to one object as ONE update (`[{ op: "inc", args: ["views", 1] }, { op:
   * "set", args: ["_row", "live"] }]`: the object type's ops, without the collection and id) and
   * returns its one message: one dot, one logged delta (their deltas joined), the state applying
   * them one by one would leave. All or nothing: a failing op leaves the replica as it was.
   */
  updateObject(collection: string, id: string, ops: readonly Op[]): DeltaMessage {
    const u = this.crdt.updateObjectMany(collection, id, ops, this.ctx, (c, i) => this.backing.object(c, i));
    return this.commitLocal(u);
  }

  /** Applies a peer's delta. Returns false (and changes nothing) when it was applied before. */
  receive(msg: DeltaMessage): boolean {
    this.typeOf(msg.collection);
    if (typeof msg.id !== "string" || msg.id === "") throw new StoreError(`delta for collection "${msg.collection}": bad object id ${JSON.stringify(msg.id)}`);
    if (typeof msg.origin !== "string" || msg.origin === "" || !Number.isSafeInteger(msg.seq) || msg.seq < 1)
      throw new StoreError(`delta for ${msg.collection}["${msg.id}"]: bad dot (${JSON.stringify(msg.origin)}, ${JSON.stringify(msg.seq)})`);
    const cc = this.backing.knowledge(msg.collection) ?? new CausalContext();
    if (cc.has([msg.origin, msg.seq])) return false;
    const view = this.viewOf(msg.collection, msg.id);
    this.crdt.merge(view, single(msg.collection, msg.id, msg.delta));
    cc.add([msg.origin, msg.seq]);
    this.backing.putKnowledge(msg.collection, cc);
    this.record(msg.collection, msg.id, view.get(msg.collection)?.get(msg.id), msg.origin, msg.seq, msg.delta);
    return true;
  }

  receiveBytes(bytes: Uint8Array): boolean {
    return this.receive(this.codecs.delta.decode(bytes));
  }

  // ---- anti-entropy -----------------------------------------------------------------------

  digest(): StoreDigest {
    const out: StoreDigest = new Map();
    for (const c of this.crdt.collections) {
      const cc = this.backing.knowledge(c);
      if (cc && !cc.isEmpty()) out.set(c, cc.clone());
    }
    return out;
  }

  /** The answer to a peer's digest: everything this replica knows that the peer lacks. */
  missing(peer: StoreDigest): SyncMessage {
    for (const c of peer.keys()) this.typeOf(c);
    const parts: SyncPart[] = [];
    for (const c of this.crdt.collections) {
      const cc = this.backing.knowledge(c);
      if (!cc) continue;
      const base = peer.get(c) ?? new CausalContext();
      const part = this.missingIn(c, cc, base);
      if (part) parts.push(part);
    }
    return { parts };
  }

  private missingIn(c: string, cc: CausalContext, base: CausalContext): SyncPart | null {
    const crdt = this.typeOf(c);
    const deltas = new Map<string, unknown[]>();
    const unlogged: string[] = [];
    let any = false;
    for (const origin of cc.replicas()) {
      const seqs = lacking(cc, base, origin);
      if (seqs.length === 0) continue;
      any = true;
      // An origin is served from the log only if the log holds every update of it the peer lacks.
      const entries = [];
      for (const s of seqs) {
        const e = this.backing.logGet(c, origin, s);
        if (e === undefined) break;
        entries.push(e);
      }
      if (entries.length < seqs.length) {
        unlogged.push(origin);
        continue;
      }
      for (const e of entries) {
        const list = deltas.get(e.id);
        if (list) list.push(e.delta);
        else deltas.set(e.id, [e.delta]);
      }
    }
    if (!any) return null;
    // Sent whole: the objects an unlogged origin touched with an update the peer lacks (a seq
    // above the peer's vector; the peer's rare out-of-order dots are ignored: one object too many).
    const whole = new Set<string>();
    for (const o of unlogged) for (const id of this.backing.touchedAbove(c, o, base.vv.get(o))) whole.add(id);
    const out: SyncObject[] = [];
    for (const id of [...new Set([...whole, ...deltas.keys()])].sort(compareStrings)) {
      const state = this.backing.object(c, id);
      // An update that changed nothing (its delta the type's initial state) created no object:
      // it is shipped on the delta path alone, as a joined delta with an empty vector.
      if (state === undefined && unlogged.length > 0) continue;
      const vv = this.backing.vv(c, id)?.clone() ?? new VersionVector();
      if (whole.has(id)) {
        out.push({ id, full: true, vv, state: copy(crdt, state) });
        continue;
      }
      const list = deltas.get(id)!;
      let joined = copy(crdt, list[0]);
      for (let i = 1; i < list.length; i++) joined = crdt.merge(joined, list[i]);
      out.push({ id, full: false, vv, state: joined });
    }
    return { collection: c, base: base.clone(), known: cc.clone(), objects: out };
  }

  /** Merges an answer to this replica's digest. Returns the number of objects merged. */
  applySync(msg: SyncMessage): number {
    for (const p of msg.parts) this.typeOf(p.collection);
    let merged = 0;
    for (const p of msg.parts) {
      const c = p.collection;
      const cc = this.backing.knowledge(c) ?? new CausalContext();
      // Knowledge may be raised only if this replica still has everything the answer assumed.
      const covered = includes(cc, p.base);
      for (const o of p.objects) {
        const view = this.viewOf(c, o.id);
        this.crdt.merge(view, single(c, o.id, o.state));
        const state = view.get(c)?.get(o.id);
        if (state !== undefined) {
          const vv = this.backing.vv(c, o.id) ?? new VersionVector();
          if (o.full || covered) vv.merge(o.vv);
          this.backing.put(c, o.id, state, vv);
        }
        merged++;
      }
      if (covered) this.backing.putKnowledge(c, cc.merge(p.known));
    }
    return merged;
  }

  applySyncBytes(bytes: Uint8Array): number {
    return this.applySync(this.codecs.sync.decode(bytes));
  }

  // ---- the delta log ----------------------------------------------------------------------

  /** Drops logged deltas at or below `upTo`'s vectors (e.g. what every peer has acknowledged), or every logged delta. */
  compactLog(upTo?: StoreDigest): number {
    // MAX_SAFE_INTEGER rather than Infinity: seqs are safe integers, and a SQL backing binds it as one.
    return this.backing.logCompact(upTo === undefined ? () => Number.MAX_SAFE_INTEGER : (c, origin) => upTo.get(c)?.vv.get(origin) ?? 0);
  }

  /** Deltas held in the log (all collections and origins). */
  logSize(): number {
    return this.backing.logSize();
  }

  // ---- durability -------------------------------------------------------------------------

  /** Everything but the (volatile) delta log, encoded: what a node writes to durable storage. */
  snapshot(): Uint8Array {
    const known = new Map<string, CausalContext>();
    const objectVv = new Map<string, Map<string, VersionVector>>();
    for (const c of this.crdt.collections) {
      const cc = this.backing.knowledge(c);
      if (cc) known.set(c, cc);
      const vvs = new Map<string, VersionVector>();
      for (const id of this.backing.ids(c)) vvs.set(id, this.backing.vv(c, id)!);
      if (vvs.size > 0) objectVv.set(c, vvs);
    }
    return snapshotCodec(this.crdt).encode({ id: this.id, state: this.state, known, objectVv });
  }

  /**
   * A replica rebuilt from `snapshot()` bytes (DecodeError on malformed ones), with an empty
   * delta log, written into `backing` (an empty one; the default: a new MemoryBacking).
   */
  static restore(store: StateCrdt<any, unknown>, bytes: Uint8Array, now?: () => number, backing: StoreBacking = new MemoryBacking()): StoreReplica {
    const probe = new StoreReplica("_", store);
    const snap = snapshotCodec(probe.crdt).decode(bytes);
    const r = new StoreReplica(snap.id, store, now, backing);
    // The decoder checked that the vectors name exactly the objects of the state.
    for (const [c, objects] of snap.state) for (const [id, s] of objects) backing.put(c, id, s, snap.objectVv.get(c)!.get(id)!);
    for (const [c, cc] of snap.known) backing.putKnowledge(c, cc);
    return r;
  }

  // ---- internals --------------------------------------------------------------------------

  private typeOf(c: string): StateCrdt<any, unknown> {
    if (typeof c !== "string" || !this.crdt.collections.includes(c))
      throw new StoreError(`unknown collection ${JSON.stringify(c) ?? String(c)} (the store's collections: ${this.crdt.collections.join(", ")})`);
    return this.crdt.typeOf(c);
  }

  /** A store state holding the object as the backing has it, or nothing when it has none: what the store CRDT's update and merge then write into. */
  private viewOf(c: string, id: string): StoreState {
    const s = this.backing.object(c, id);
    return s === undefined ? new Map() : single(c, id, s);
  }

  /**
   * After an update was applied to the object (its state now, undefined while it is still
   * absent: an update that changed nothing creates no object): raises its version vector,
   * writes it back and logs the update.
   */
  private record(c: string, id: string, state: unknown, origin: string, seq: number, delta: unknown): void {
    if (state !== undefined) {
      const vv = this.backing.vv(c, id) ?? new VersionVector();
      if (vv.get(origin) < seq) vv.set(origin, seq);
      this.backing.put(c, id, state, vv);
    }
    this.backing.logPut(c, origin, seq, { id, delta });
  }
}

/** The seqs of `origin` that `cc` holds and `peer` does not, ascending. */
function lacking(cc: CausalContext, peer: CausalContext, origin: string): number[] {
  const out: number[] = [];
  for (let s = peer.vv.get(origin) + 1; s <= cc.vv.get(origin); s++) if (!peer.has([origin, s])) out.push(s);
  const cloud = cc.cloudOf(origin);
  if (cloud) for (const s of [...cloud].sort((a, b) => a - b)) if (!peer.has([origin, s])) out.push(s);
  return out;
}

/** Whether `a` holds every dot of `b`. */
function includes(a: CausalContext, b: CausalContext): boolean {
  if (!a.vv.dominates(b.vv)) return false;
  for (const d of b.cloud()) if (!a.has(d)) return false;
  return true;
}

/** A store state holding one object: what the store CRDT's merge takes. */
function single(c: string, id: string, state: unknown): StoreState {
  return new Map([[c, new Map([[id, state]])]]);
}

function copy(crdt: StateCrdt, s: unknown): unknown {
  return crdt.clone ? crdt.clone(s) : structuredClone(s);
}
