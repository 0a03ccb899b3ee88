/**
 * One node's store replica behind its NodeStore: every call that changes the replica runs inside
 * `store.write(...)` and resolves only once that write is durable, so whatever the caller does
 * next — answer a client, send the delta to peers, tell a watcher — happens after the disk has
 * it (write-ahead).
 *
 * Reads that leave the node — a client's get and list, the sync answer to a peer's digest — see
 * durable state only (`store.read`): with group commit a write sits in an open batch for up to
 * `--group-ms` before its commit, and a crash then takes it away, so such a read waits for that
 * commit. (A digest may count the open batch's updates: it only tells a peer what not to send,
 * and after a crash the next hello carries the durable one.)
 *
 * Watchers: the changed objects' values are taken inside the write (so they are what that write
 * left, not what a later batch has since changed) and go to the subscribers of their collection
 * once the write is durable.
 */
import { type CausalContextJson, type DeltaMessage, type StoreDigest, StoreReplica, type SyncMessage, type StoreCrdt } from "../core/index.ts";
import type { ObjectState, WriteAck } from "./protocol/requests.ts";
import type { NodeStore } from "./storage/node-store.ts";
import { objectIds, objectValue } from "./replica-reads.ts";

export type ChangeListener = (id: string, value: unknown) => void;

/** Objects' values as a write left them, for the watchers of their collections. */
type Changes = { collection: string; id: string; value: unknown }[];

export class ReplicaHost {
  readonly replica: StoreReplica;
  private readonly watchers = new Map<string, Set<ChangeListener>>();

  constructor(
    readonly store: NodeStore,
    readonly crdt: StoreCrdt,
    now: () => number,
  ) {
    // Everything the replica knows lives in the store's backing: after a rolled-back write the
    // store drops its cache and the replica reads the durable rows again (it keeps no copy).
    this.replica = new StoreReplica(store.nodeId, crdt, now, store.backing);
  }

  get id(): string {
    return this.replica.id;
  }

  /** Applies a local op; resolves with the delta to send once it is durable. Rejects (nothing changed) on a bad op. */
  async update(collection: string, id: string, op: string, args: unknown[]): Promise<DeltaMessage> {
    return (await this.write(collection, id, op, args)).delta;
  }

  /**
   * `update`, and the write's acknowledgement (WriteAck): its dot, the collection's causal
   * context taken inside the same write (what the node had applied when it made it), and the
   * object's delta in its type's encoding.
   */
  async write(collection: string, id: string, op: string, args: unknown[]): Promise<{ delta: DeltaMessage; ack: WriteAck; dropped?: true }> {
    const drop = this.dropEvery > 0 && ++this.updates % this.dropEvery === 0;
    let made: { delta: DeltaMessage; known: CausalContextJson; changes: Changes } | undefined;
    try {
      await this.store.write(() => {
        const delta = this.replica.update({ op, args: [collection, id, ...args] });
        made = { delta, known: this.replica.backing.knowledge(collection)!.toJSON(), changes: this.changes([delta]) };
        // The deliberate bug (dropEvery): the write is rolled back, and acknowledged all the same.
        if (drop) throw new DroppedWrite();
      });
    } catch (e) {
      if (!(e instanceof DroppedWrite)) throw e;
      return { delta: made!.delta, ack: this.ackOf(made!.delta, made!.known), dropped: true };
    }
    this.tell(made!.changes);
    return { delta: made!.delta, ack: this.ackOf(made!.delta, made!.known) };
  }

  /**
   * Testing only (`--test-drop-every N`, cluster mode's no-lost-writes check must catch it): every
   * N-th local update is rolled back yet acknowledged as written, and its delta never leaves.
   */
  dropEvery = 0;
  private updates = 0;

  private ackOf(d: DeltaMessage, known: CausalContextJson): WriteAck {
    const codec = this.crdt.typeOf(d.collection).codec;
    return { origin: d.origin, seq: d.seq, known, ...(codec ? { delta: Buffer.from(codec.encode(d.delta)).toString("base64") } : {}) };
  }

  /** An object's durable CRDT state (base64 of its type's encoding; null when absent, or when the type has no codec) and the collection's causal context. */
  state(collection: string, id: string): Promise<ObjectState> {
    return this.store.read(() => {
      this.replica.object(collection, id); // validates the collection and id (StoreError)
      const s = this.replica.backing.object(collection, id);
      const codec = this.crdt.typeOf(collection).codec;
      const known = this.replica.backing.knowledge(collection)?.toJSON() ?? { vv: {}, cloud: [] };
      return { state: s === undefined || !codec ? null : Buffer.from(codec.encode(s)).toString("base64"), known };
    });
  }

  /**
   * Runs several local updates as one durable write: `fn` calls `replica.update` for each and
   * returns what it made (`deltas`, to send) with its result. Resolves once durable, after the
   * watchers heard of every object it changed; rejects (nothing changed) when `fn` throws.
   */
  async updateMany<T extends { deltas: readonly DeltaMessage[] }>(fn: () => T): Promise<T> {
    const [out, changes] = await this.store.write(() => {
      const out = fn();
      return [out, this.changes(out.deltas)] as const;
    });
    this.tell(changes);
    return out;
  }

  /** Runs several local updates as one transaction in one durable write; resolves with its deltas once durable. Rejects (nothing changed) on a bad op. */
  async txn(updates: readonly { collection: string; id: string; op: string; args: unknown[] }[]): Promise<DeltaMessage[]> {
    const { deltas } = await this.updateMany(() => ({ deltas: this.replica.transact(updates.map((u) => ({ op: u.op, args: [u.collection, u.id, ...u.args] }))) }));
    return deltas;
  }

  /** Several objects' durable values read in one `store.read` (so never part of a transaction), in the order asked; null where absent. */
  getMany(keys: readonly { collection: string; id: string }[]): Promise<unknown[]> {
    return this.store.read(() => keys.map((k) => objectValue(this.replica, k.collection, k.id)));
  }

  /** Applies peers' deltas in one write; resolves with those applied (to pass on): new plain ones and whole transactions. */
  async receive(deltas: DeltaMessage[]): Promise<DeltaMessage[]> {
    const [fresh, changes] = await this.store.write(() => {
      // Applied now: the new plain ones, and every transaction made whole (a partial one is held: replica.ts).
      const fresh = this.replica.receiveAll(deltas);
      return [fresh, this.changes(fresh)] as const;
    });
    this.tell(changes);
    return fresh;
  }

  /** Objects merged from peers' sync answers since the node started: as joined deltas from the sender's log, and sent whole. What a catch-up cost. */
  readonly synced = { deltaObjects: 0, wholeObjects: 0 };

  /** Merges a peer's answer to this node's digest; resolves with the number of objects merged. */
  async applySync(msg: SyncMessage): Promise<number> {
    if (msg.parts.length === 0) return 0;
    const [merged, changes] = await this.store.write(() => {
      const merged = this.replica.applySync(msg);
      return [merged, this.changes(msg.parts.flatMap((p) => p.objects.map((o) => ({ collection: p.collection, id: o.id }))))] as const;
    });
    // Counted once durable: a sync whose write failed brought nothing.
    for (const p of msg.parts)
      for (const o of p.objects) {
        if (o.full) this.synced.wholeObjects++;
        else this.synced.deltaObjects++;
      }
    this.tell(changes);
    return merged;
  }

  digest(): StoreDigest {
    return this.replica.digest();
  }

  /**
   * The digest and the pending dots (held until their transactions are whole; absent when none),
   * as a hello or digest frame carries them: the peer sends neither again.
   */
  digestAndPending(): { digest: StoreDigest; pending?: StoreDigest } {
    const pending = this.replica.pending();
    return pending.size > 0 ? { digest: this.replica.digest(), pending } : { digest: this.replica.digest() };
  }

  /** What a peer of digest `peer` lacks (less its `pending` dots), from durable state only (sent to it: it must not carry a write a crash can take away). */
  missing(peer: StoreDigest, pending?: StoreDigest): Promise<SyncMessage> {
    return this.store.read(() => this.replica.missing(peer, pending));
  }

  /** An object's durable value (MV fields as sorted arrays, as the simulator prints them), or null when absent. Rejects with a StoreError on an unknown collection. */
  get(collection: string, id: string): Promise<unknown> {
    return this.store.read(() => objectValue(this.replica, collection, id));
  }

  /** Every object of a collection, ascending by id, as durable. */
  list(collection: string): Promise<{ id: string; value: unknown }[]> {
    return this.store.read(() => objectIds(this.replica, collection).map((id) => ({ id, value: objectValue(this.replica, collection, id) })));
  }

  /** Calls `fn` with each change of `collection` from now on; returns the unsubscribe. */
  subscribe(collection: string, fn: ChangeListener): () => void {
    this.checkCollection(collection);
    let set = this.watchers.get(collection);
    if (!set) this.watchers.set(collection, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  checkCollection(collection: string): void {
    this.replica.count(collection);
  }

  /** Inside a write: the values the watched ones of these objects have now, each object once (a statement or a batch of deltas may touch one many times). */
  private changes(objects: readonly { collection: string; id: string }[]): Changes {
    const out: Changes = [];
    const seen = new Set<string>();
    for (const { collection, id } of objects) {
      if (!this.watchers.get(collection)?.size) continue;
      const key = `${collection}\u0000${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ collection, id, value: objectValue(this.replica, collection, id) });
    }
    return out;
  }

  /** Once durable: tells the watchers. */
  private tell(changes: Changes): void {
    for (const { collection, id, value } of changes) for (const fn of this.watchers.get(collection) ?? []) fn(id, value);
  }
}

/** Thrown inside a write to roll it back: the dropEvery bug. */
class DroppedWrite extends Error {}
