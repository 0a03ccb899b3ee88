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
 * Every method validates before it mutates: an error (OpError, StoreError, DecodeError from the
 * `*Bytes` variants) leaves the replica exactly as it was.
 */
import { CausalContext } from "../clock/causal-context.ts";
import { VersionVector } from "../clock/version-vector.ts";
import type { Op, StateCrdt } from "../contract.ts";
import { CrdtError } from "../errors.ts";
import { compareStrings } from "../util/json.ts";
import { snapshotCodec } from "./snapshot.ts";
import { type DeltaMessage, type StoreCodecs, storeCodecs, type StoreDigest, type SyncMessage, type SyncObject, type SyncPart } from "./messages.ts";
import type { StoreCrdt, StoreState, StoreValue } from "./store-crdt.ts";

/** A message names something this store does not have (an unknown collection, a bad dot). */
export class StoreError extends CrdtError {
  override name = "StoreError";
}

type LogEntry = { id: string; delta: unknown };

export class StoreReplica {
  state: StoreState;
  readonly codecs: StoreCodecs;
  /** Per collection: the dots applied (vector + out-of-order cloud). */
  private readonly known = new Map<string, CausalContext>();
  /** Per collection and object: per origin, the highest seq that touched it. */
  private readonly objectVv = new Map<string, Map<string, VersionVector>>();
  /** Per collection and origin: seq → the update's object id and delta. */
  private readonly log = new Map<string, Map<string, Map<number, LogEntry>>>();

  readonly crdt: StoreCrdt;

  /** `store`: a configured store type (`resolveBuiltin({ type: "store", collections: … })`); `now`: the node's clock (LWW fields). */
  constructor(
    readonly id: string,
    store: StateCrdt<any, unknown>,
    private readonly now: () => number = () => 0,
  ) {
    if (typeof id !== "string" || id === "") throw new StoreError(`a store replica needs a non-empty id, got ${JSON.stringify(id)}`);
    if (store?.name !== "store" || !Array.isArray((store as Partial<StoreCrdt>).collections))
      throw new StoreError(`a store replica needs a store type (resolveBuiltin({ type: "store", collections: … })), got ${JSON.stringify(store?.name)}`);
    const crdt = (this.crdt = store as StoreCrdt);
    this.state = crdt.init(id);
    this.codecs = storeCodecs(crdt);
  }

  value(): StoreValue {
    return this.crdt.value(this.state);
  }

  // ---- local updates and peer deltas ------------------------------------------------------

  /** Applies a local op (`set ["customers", "A", "phone", v]`) and returns the message to broadcast. */
  update(op: Op): DeltaMessage {
    // The store CRDT validates collection, id and the object's op before it writes anything.
    const { delta } = this.crdt.update(this.state, op, { replica: this.id, now: this.now });
    // Validated by update: the collection and id of the op. An update that changed nothing
    // (a remove of an absent element) has an empty delta; it still takes a seq, with the
    // object type's initial state as its delta.
    const collection = op.args[0] as string;
    const id = op.args[1] as string;
    const d = delta.get(collection)?.get(id) ?? this.typeOf(collection).init(this.id);
    const cc = this.contextOf(collection);
    const seq = cc.next(this.id)[1];
    this.record(collection, id, this.id, seq, d);
    return { collection, id, origin: this.id, seq, delta: d };
  }

  /** Applies a peer's delta. Returns false (and changes nothing) when it was applied before. */
  receive(msg: DeltaMessage): boolean {
    this.typeOf(msg.collection);
    if (typeof msg.id !== "string" || msg.id === "") throw new StoreError(`delta for collection "${msg.collection}": bad object id ${JSON.stringify(msg.id)}`);
    if (typeof msg.origin !== "string" || msg.origin === "" || !Number.isSafeInteger(msg.seq) || msg.seq < 1)
      throw new StoreError(`delta for ${msg.collection}["${msg.id}"]: bad dot (${JSON.stringify(msg.origin)}, ${JSON.stringify(msg.seq)})`);
    const cc = this.contextOf(msg.collection);
    if (cc.has([msg.origin, msg.seq])) return false;
    this.crdt.merge(this.state, single(msg.collection, msg.id, msg.delta));
    cc.add([msg.origin, msg.seq]);
    this.record(msg.collection, msg.id, msg.origin, msg.seq, msg.delta);
    return true;
  }

  receiveBytes(bytes: Uint8Array): boolean {
    return this.receive(this.codecs.delta.decode(bytes));
  }

  // ---- anti-entropy -----------------------------------------------------------------------

  digest(): StoreDigest {
    const out: StoreDigest = new Map();
    for (const c of this.crdt.collections) {
      const cc = this.known.get(c);
      if (cc && !cc.isEmpty()) out.set(c, cc.clone());
    }
    return out;
  }

  /** The answer to a peer's digest: everything this replica knows that the peer lacks. */
  missing(peer: StoreDigest): SyncMessage {
    for (const c of peer.keys()) this.typeOf(c);
    const parts: SyncPart[] = [];
    for (const c of this.crdt.collections) {
      const cc = this.known.get(c);
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
      const log = this.log.get(c)?.get(origin);
      if (log === undefined || seqs.some((s) => !log.has(s))) {
        unlogged.push(origin);
        continue;
      }
      for (const s of seqs) {
        const e = log.get(s)!;
        const list = deltas.get(e.id);
        if (list) list.push(e.delta);
        else deltas.set(e.id, [e.delta]);
      }
    }
    if (!any) return null;
    const objects = this.objectsOf(c);
    const vvs = this.objectVv.get(c)!;
    const ids = unlogged.length > 0 ? [...objects.keys()] : [...deltas.keys()];
    const out: SyncObject[] = [];
    for (const id of ids.sort(compareStrings)) {
      const vv = vvs.get(id)!;
      // Sent whole if an unlogged origin touched it with an update the peer lacks (a seq above
      // the peer's vector; the peer's rare out-of-order dots are ignored: one object too many).
      if (unlogged.some((o) => vv.get(o) > base.vv.get(o))) {
        out.push({ id, full: true, vv: vv.clone(), state: copy(crdt, objects.get(id)) });
        continue;
      }
      const list = deltas.get(id);
      if (!list) continue;
      let joined = copy(crdt, list[0]);
      for (let i = 1; i < list.length; i++) joined = crdt.merge(joined, list[i]);
      out.push({ id, full: false, vv: vv.clone(), state: joined });
    }
    return { collection: c, base: base.clone(), known: cc.clone(), objects: out };
  }

  /** Merges an answer to this replica's digest. Returns the number of objects merged. */
  applySync(msg: SyncMessage): number {
    for (const p of msg.parts) this.typeOf(p.collection);
    let merged = 0;
    for (const p of msg.parts) {
      const cc = this.contextOf(p.collection);
      // Knowledge may be raised only if this replica still has everything the answer assumed.
      const covered = includes(cc, p.base);
      this.objectsOf(p.collection);
      const vvs = this.objectVv.get(p.collection)!;
      for (const o of p.objects) {
        this.crdt.merge(this.state, single(p.collection, o.id, o.state));
        if (o.full || covered) {
          const vv = vvs.get(o.id);
          if (vv) vv.merge(o.vv);
          else vvs.set(o.id, o.vv.clone());
        } else if (!vvs.has(o.id)) vvs.set(o.id, new VersionVector());
        merged++;
      }
      if (covered) cc.merge(p.known);
    }
    return merged;
  }

  applySyncBytes(bytes: Uint8Array): number {
    return this.applySync(this.codecs.sync.decode(bytes));
  }

  // ---- the delta log ----------------------------------------------------------------------

  /** Drops logged deltas at or below `upTo`'s vectors (e.g. what every peer has acknowledged), or every logged delta. */
  compactLog(upTo?: StoreDigest): number {
    let dropped = 0;
    for (const [c, origins] of this.log)
      for (const [origin, entries] of origins) {
        const floor = upTo === undefined ? Infinity : (upTo.get(c)?.vv.get(origin) ?? 0);
        // Deleting the entry being visited is safe while iterating a Map: no snapshot needed.
        for (const s of entries.keys())
          if (s <= floor) {
            entries.delete(s);
            dropped++;
          }
      }
    return dropped;
  }

  /** Deltas held in the log (all collections and origins). */
  logSize(): number {
    let n = 0;
    for (const origins of this.log.values()) for (const entries of origins.values()) n += entries.size;
    return n;
  }

  // ---- durability -------------------------------------------------------------------------

  /** Everything but the (volatile) delta log, encoded: what a node writes to durable storage. */
  snapshot(): Uint8Array {
    return snapshotCodec(this.crdt).encode({ id: this.id, state: this.state, known: this.known, objectVv: this.objectVv });
  }

  /** A replica rebuilt from `snapshot()` bytes (DecodeError on malformed ones), with an empty delta log. */
  static restore(store: StateCrdt<any, unknown>, bytes: Uint8Array, now?: () => number): StoreReplica {
    const probe = new StoreReplica("_", store);
    const snap = snapshotCodec(probe.crdt).decode(bytes);
    const r = new StoreReplica(snap.id, store, now);
    r.state = snap.state;
    for (const [c, cc] of snap.known) r.known.set(c, cc);
    for (const [c, vvs] of snap.objectVv) r.objectVv.set(c, vvs);
    return r;
  }

  // ---- internals --------------------------------------------------------------------------

  private typeOf(c: string): StateCrdt<any, unknown> {
    if (typeof c !== "string" || !this.crdt.collections.includes(c))
      throw new StoreError(`unknown collection ${JSON.stringify(c) ?? String(c)} (the store's collections: ${this.crdt.collections.join(", ")})`);
    return this.crdt.typeOf(c);
  }

  private contextOf(c: string): CausalContext {
    let cc = this.known.get(c);
    if (!cc) this.known.set(c, (cc = new CausalContext()));
    return cc;
  }

  private objectsOf(c: string): Map<string, unknown> {
    let m = this.state.get(c);
    if (!m) this.state.set(c, (m = new Map()));
    if (!this.objectVv.has(c)) this.objectVv.set(c, new Map());
    return m;
  }

  /** Logs an applied update and raises its object's version vector. */
  private record(c: string, id: string, origin: string, seq: number, delta: unknown): void {
    this.objectsOf(c);
    const vvs = this.objectVv.get(c)!;
    const vv = vvs.get(id);
    if (!vv) vvs.set(id, new VersionVector().set(origin, seq));
    else if (vv.get(origin) < seq) vv.set(origin, seq);
    let origins = this.log.get(c);
    if (!origins) this.log.set(c, (origins = new Map()));
    let entries = origins.get(origin);
    if (!entries) origins.set(origin, (entries = new Map()));
    entries.set(seq, { id, delta });
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
