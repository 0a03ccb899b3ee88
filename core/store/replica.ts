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
 *   These three live in anti-entropy.ts, reaching the store through a port, as the hold does.
 * - `compactLog(upTo?)` drops logged deltas at or below a digest (e.g. what every peer has
 *   acknowledged), or all of them; anti-entropy then falls back to object states.
 *
 * - `transact(ops)` applies several local ops as one transaction: each takes a dot, and each
 *   delta carries the transaction's metadata (every update's collection, object and seq).
 *   `receive`/`receiveAll`/`applySync` apply a transaction's updates only together: an update
 *   (a peer's delta, or a sync object joining one) whose transaction lists a dot this replica
 *   neither knows nor holds is *prepared* — kept aside in memory (the hold: txn-hold.ts), its
 *   dots left out of the knowledge (so a digest asks for them again, and a crash loses nothing
 *   durable) — until the last one arrives; then all of them are merged in the same call: read
 *   atomicity, RAMP's commit, decided locally because every dot of a transaction ends up on
 *   every replica.
 *   Plain updates never wait (docs/design.md, "Transactions on a node").
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
import type { StoreBacking } from "./backing.ts";
import { applySync, digest, mergeObject, missing, type SyncPort } from "./anti-entropy.ts";
import { MemoryBacking } from "./memory-backing.ts";
import { snapshotCodec } from "./snapshot.ts";
import { type DeltaMessage, MAX_TXN_UPDATES, type StoreCodecs, storeCodecs, type StoreDigest, type SyncMessage, type TxnMeta } from "./messages.ts";
import type { ObjectUpdate, StoreCrdt, StoreState, StoreValue } from "./store-crdt.ts";
import { type HeldDelta, heldCount, heldDots, holdDelta, type HoldPort, holdStats, knownDot, newTxnHold, settle } from "./txn-hold.ts";

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
    this.holdPort = {
      knowledge: (c) => backing.knowledge(c),
      putKnowledge: (c, cc) => backing.putKnowledge(c, cc),
      applyDelta: (msg, cc) => this.applyDelta(msg, cc),
      mergeObject: (c, o, covered) => mergeObject(this.syncPort, c, o, covered),
      putTxn: (c, id, txn) => {
        if (backing.object(c, id) !== undefined) backing.putTxn?.(c, id, txn);
      },
    };
    this.syncPort = {
      collections: crdt.collections,
      typeOf: (c) => this.typeOf(c),
      backing,
      join: (c, id, state) => {
        const view = this.viewOf(c, id);
        this.crdt.merge(view, single(c, id, state));
        return view.get(c)?.get(id);
      },
      hold: this.hold,
      holdPort: this.holdPort,
      holding: () => !this.testNoTxnHold,
    };
  }

  /** Anti-entropy's port onto the backing, the store CRDT's merge and the hold (core/store/anti-entropy.ts). */
  private readonly syncPort: SyncPort;

  /** Transactions' updates held until they are whole (core/store/txn-hold.ts), and its port onto the backing and this replica's merges. */
  private readonly hold = newTxnHold();
  private readonly holdPort: HoldPort;

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
    return this.updateWith(op, undefined);
  }

  /**
   * Applies several local ops as one transaction: each takes a dot of this replica, and every
   * delta returned carries the transaction's metadata (so peers apply them together, never
   * part). The ops are checked one by one as they are applied: a failing one throws, and the
   * ones before it stay applied unless the caller's storage rolls the write back (a node runs
   * a transaction in one store write, which does).
   */
  transact(ops: readonly Op[]): DeltaMessage[] {
    if (!Array.isArray(ops) || ops.length === 0 || ops.length > MAX_TXN_UPDATES)
      throw new StoreError(`a transaction needs 1 to ${MAX_TXN_UPDATES} updates, got ${Array.isArray(ops) ? ops.length : JSON.stringify(ops)}`);
    // Each update's seq is known before it is made (one past this replica's highest in its
    // collection, counting the transaction's earlier ones), so every delta and log entry carries
    // the whole metadata from the start.
    const next = new Map<string, number>();
    const members = ops.map((op) => {
      const [collection, id] = Array.isArray(op?.args) ? op.args : [];
      this.typeOf(collection as string);
      if (typeof id !== "string" || id === "") throw new StoreError(`collection "${String(collection)}": bad object id ${JSON.stringify(id) ?? String(id)}`);
      const c = collection as string;
      let seq = next.get(c);
      if (seq === undefined) {
        const cc = this.backing.knowledge(c);
        seq = cc ? maxSeq(cc, this.id) : 0;
      }
      next.set(c, ++seq);
      return { collection: c, id, seq };
    });
    const txn: TxnMeta = { origin: this.id, members };
    return ops.map((op, i) => {
      const d = this.updateWith(op, txn);
      if (d.seq !== members[i]!.seq || d.collection !== members[i]!.collection || d.id !== members[i]!.id)
        throw new StoreError(
          `transaction update ${i} took (${d.collection}, "${d.id}", ${d.seq}), not the (${members[i]!.collection}, "${members[i]!.id}", ${members[i]!.seq}) its metadata lists`,
        );
      return d;
    });
  }

  /**
   * Makes local updates already applied in the current write one transaction after the fact
   * (a SQL `BEGIN; … COMMIT;`, whose statements read what the earlier ones wrote): re-logs each
   * with the transaction's metadata and returns the deltas carrying it. Call it in the same
   * storage write as the updates, before anything of them leaves the replica.
   */
  seal(deltas: readonly DeltaMessage[]): DeltaMessage[] {
    if (deltas.length === 0) return [];
    if (deltas.length > MAX_TXN_UPDATES) throw new StoreError(`a transaction needs 1 to ${MAX_TXN_UPDATES} updates, got ${deltas.length}`);
    for (const d of deltas)
      if (d.origin !== this.id || d.txn) throw new StoreError(`seal: (${d.collection}, "${d.id}", ${d.origin}:${d.seq}) is not a plain local update of replica ${this.id}`);
    const txn: TxnMeta = { origin: this.id, members: deltas.map((d) => ({ collection: d.collection, id: d.id, seq: d.seq })) };
    for (const d of deltas) {
      this.backing.logPut(d.collection, d.origin, d.seq, { id: d.id, delta: d.delta, txn });
      if (this.backing.object(d.collection, d.id) !== undefined) this.backing.putTxn?.(d.collection, d.id, txn);
    }
    return deltas.map((d) => ({ ...d, txn }));
  }

  private updateWith(op: Op, txn: TxnMeta | undefined): DeltaMessage {
    // The store CRDT validates collection, id and the object's op before it writes anything,
    // then applies the op to the object as the backing holds it (no store state around it).
    return this.commitLocal(
      this.crdt.updateObject(op, this.ctx, (c, id) => this.backing.object(c, id)),
      txn,
    );
  }

  /**
   * A local update applied to its object: takes the next seq, writes the object back and logs the
   * delta (with its transaction's metadata when it is part of one).
   */
  private commitLocal(u: ObjectUpdate, txn: TxnMeta | undefined): DeltaMessage {
    const { collection, id } = u;
    // An update that changed nothing (a remove of an absent element) has no delta; it still
    // takes a seq, with the object type's initial state as its delta.
    const d = u.delta ?? this.typeOf(collection).init(this.id);
    const cc = this.backing.knowledge(collection) ?? new CausalContext();
    const seq = cc.next(this.id)[1];
    this.backing.putKnowledge(collection, cc);
    knownDot(this.hold, collection, this.id, seq);
    this.record(collection, id, u.state, this.id, seq, d, txn);
    return txn ? { collection, id, origin: this.id, seq, delta: d, txn } : { collection, id, origin: this.id, seq, delta: d };
  }

  /**
   * Applies several ops to one object as ONE update (`[{ op: "inc", args: ["views", 1] }, { op:
   * "set", args: ["_row", "live"] }]`: the object type's ops, without the collection and id) and
   * returns its one message: one dot, one logged delta (their deltas joined), the state applying
   * them one by one would leave. All or nothing: a failing op leaves the replica as it was.
   */
  updateObject(collection: string, id: string, ops: readonly Op[]): DeltaMessage {
    const u = this.crdt.updateObjectMany(collection, id, ops, this.ctx, (c, i) => this.backing.object(c, i));
    return this.commitLocal(u, undefined);
  }

  /**
   * Applies a peer's delta. Returns false (and changes nothing) when it was applied (or is held)
   * before. A transaction's delta is held until every update of its transaction is here, then
   * they are applied together (`receiveAll` says which were applied).
   */
  receive(msg: DeltaMessage): boolean {
    const fresh = this.take(msg);
    if (fresh && msg.txn) settle(this.hold, this.holdPort);
    return fresh;
  }

  /**
   * Applies peers' deltas (a frame of them) and returns those applied now, in order: the new
   * plain ones and every transaction made whole by them (including updates held from before).
   * Updates of a transaction still partial are held; duplicates are left out.
   */
  receiveAll(msgs: readonly DeltaMessage[]): DeltaMessage[] {
    const out: DeltaMessage[] = [];
    let held = false;
    for (const m of msgs) {
      if (!this.take(m)) continue;
      if (m.txn) held = true;
      else out.push(m);
    }
    if (held) out.push(...settle(this.hold, this.holdPort));
    return out;
  }

  /**
   * Testing only, a deliberate bug (a node's `--test-no-txn-hold`): a transaction's delta or sync
   * object is applied as it arrives, not held until its transaction is whole — a read may then
   * see part of a transaction (cluster mode's read-atomic check must catch it).
   */
  testNoTxnHold = false;

  /** Updates held back until their transactions are whole (prepared), for tests and statistics. */
  get preparedCount(): number {
    return heldCount(this.hold);
  }

  /**
   * What the transaction hold keeps in memory: updates held (as `preparedCount`), the
   * transactions they list, and those transactions' members (each a dot with its collection
   * and object id): unbounded, see docs/design.md "Limits".
   */
  holdStats(): { updates: number; transactions: number; members: number } {
    return holdStats(this.hold);
  }

  /** The metadata of the last transaction that wrote an object, if the backing keeps it. */
  txnOf(collection: string, id: string): TxnMeta | undefined {
    this.typeOf(collection);
    return this.backing.txn?.(collection, id);
  }

  /**
   * Validates a delta and applies it (plain) or holds it (a transaction's): false when known or held already.
   */
  private take(msg: DeltaMessage): boolean {
    this.typeOf(msg.collection);
    if (typeof msg.id !== "string" || msg.id === "") throw new StoreError(`delta for collection "${msg.collection}": bad object id ${JSON.stringify(msg.id)}`);
    if (typeof msg.origin !== "string" || msg.origin === "" || !Number.isSafeInteger(msg.seq) || msg.seq < 1)
      throw new StoreError(`delta for ${msg.collection}["${msg.id}"]: bad dot (${JSON.stringify(msg.origin)}, ${JSON.stringify(msg.seq)})`);
    const cc = this.backing.knowledge(msg.collection) ?? new CausalContext();
    if (cc.has([msg.origin, msg.seq])) return false;
    if (msg.txn && !this.testNoTxnHold) {
      const t = msg.txn;
      if (t.origin !== msg.origin || !t.members.some((m) => m.collection === msg.collection && m.id === msg.id && m.seq === msg.seq))
        throw new StoreError(`delta for ${msg.collection}["${msg.id}"]: its transaction does not list it`);
      return holdDelta(this.hold, msg as HeldDelta, this.holdPort);
    }
    this.applyDelta(msg, cc);
    return true;
  }

  private applyDelta(msg: DeltaMessage, cc: CausalContext): void {
    const view = this.viewOf(msg.collection, msg.id);
    this.crdt.merge(view, single(msg.collection, msg.id, msg.delta));
    cc.add([msg.origin, msg.seq]);
    this.backing.putKnowledge(msg.collection, cc);
    knownDot(this.hold, msg.collection, msg.origin, msg.seq);
    this.record(msg.collection, msg.id, view.get(msg.collection)?.get(msg.id), msg.origin, msg.seq, msg.delta, msg.txn);
  }

  receiveBytes(bytes: Uint8Array): boolean {
    return this.receive(this.codecs.delta.decode(bytes));
  }

  // ---- anti-entropy (anti-entropy.ts) ----------------------------------------------------

  /** Per collection, the dots applied (collections without any left out). */
  digest(): StoreDigest {
    return digest(this.syncPort);
  }

  /**
   * The answer to a peer's digest: everything this replica knows that the peer lacks, less the
   * dots the peer reports `pending` (its `pending()`: held until their transactions are whole).
   */
  missing(peer: StoreDigest, pending?: StoreDigest): SyncMessage {
    return missing(this.syncPort, peer, pending);
  }

  /**
   * Per collection, the dots this replica holds back until their transactions are whole (none
   * of them in the digest): sent beside the digest, so the peer does not send them again
   * (collections holding none left out; empty when nothing is held).
   */
  pending(): StoreDigest {
    return heldDots(this.hold);
  }

  /**
   * Merges an answer to this replica's digest. Returns the number of objects merged or held (an
   * object joining a transaction's update is held until the transaction is whole; while any
   * object of a collection is held, its knowledge is not raised for the origins such objects
   * name, so it never claims a dot that is not visible).
   */
  applySync(msg: SyncMessage): number {
    return applySync(this.syncPort, msg);
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
  private record(c: string, id: string, state: unknown, origin: string, seq: number, delta: unknown, txn?: TxnMeta): void {
    if (state !== undefined) {
      const vv = this.backing.vv(c, id) ?? new VersionVector();
      if (vv.get(origin) < seq) vv.set(origin, seq);
      this.backing.put(c, id, state, vv);
      if (txn) this.backing.putTxn?.(c, id, txn);
    }
    this.backing.logPut(c, origin, seq, txn ? { id, delta, txn } : { id, delta });
  }
}

/** The highest seq of `replica` a context holds (vector or cloud). */
function maxSeq(cc: CausalContext, replica: string): number {
  let max = cc.vv.get(replica);
  for (const s of cc.cloudOf(replica) ?? []) if (s > max) max = s;
  return max;
}

/** A store state holding one object: what the store CRDT's merge takes. */
function single(c: string, id: string, state: unknown): StoreState {
  return new Map([[c, new Map([[id, state]])]]);
}
