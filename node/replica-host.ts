/**
 * One node's store replica behind its NodeStore: every call that changes the replica runs inside
 * `store.write(...)` and resolves only once that write is durable, so whatever the caller does
 * next — answer a client, send the delta to peers, tell a watcher — happens after the disk has
 * it (write-ahead). Reads (get, list, digest, missing) go to the replica directly, which reads the
 * store's backing (its cache, else the rows).
 *
 * Watchers: after each durable change, the changed objects' new values go to the subscribers of
 * their collection.
 */
import { type DeltaMessage, type StoreDigest, StoreReplica, type SyncMessage, type StoreCrdt } from "../core/index.ts";
import type { NodeStore } from "./storage/node-store.ts";
import { objectIds, objectValue } from "./replica-reads.ts";

export type ChangeListener = (id: string, value: unknown) => void;

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
    const delta = await this.store.write(() => this.replica.update({ op, args: [collection, id, ...args] }));
    this.changed(collection, [id]);
    return delta;
  }

  /**
   * Runs several local updates as one durable write: `fn` calls `replica.update` for each and
   * returns what it made (`deltas`, to send) with its result. Resolves once durable, after the
   * watchers heard of every object it changed; rejects (nothing changed) when `fn` throws.
   */
  async updateMany<T extends { deltas: readonly DeltaMessage[] }>(fn: () => T): Promise<T> {
    const out = await this.store.write(fn);
    const ids = new Map<string, Set<string>>();
    for (const d of out.deltas) {
      let set = ids.get(d.collection);
      if (!set) ids.set(d.collection, (set = new Set()));
      set.add(d.id);
    }
    for (const [collection, set] of ids) this.changed(collection, [...set]);
    return out;
  }

  /** Applies peers' deltas in one write; resolves with those that were new (to pass on). */
  async receive(deltas: DeltaMessage[]): Promise<DeltaMessage[]> {
    const fresh = await this.store.write(() => deltas.filter((d) => this.replica.receive(d)));
    for (const d of fresh) this.changed(d.collection, [d.id]);
    return fresh;
  }

  /** Objects merged from peers' sync answers since the node started: as joined deltas from the sender's log, and sent whole. What a catch-up cost. */
  readonly synced = { deltaObjects: 0, wholeObjects: 0 };

  /** Merges a peer's answer to this node's digest; resolves with the number of objects merged. */
  async applySync(msg: SyncMessage): Promise<number> {
    if (msg.parts.length === 0) return 0;
    const merged = await this.store.write(() => this.replica.applySync(msg));
    // Counted once durable: a sync whose write failed brought nothing.
    for (const p of msg.parts)
      for (const o of p.objects) {
        if (o.full) this.synced.wholeObjects++;
        else this.synced.deltaObjects++;
      }
    for (const p of msg.parts)
      this.changed(
        p.collection,
        p.objects.map((o) => o.id),
      );
    return merged;
  }

  digest(): StoreDigest {
    return this.replica.digest();
  }

  missing(peer: StoreDigest): SyncMessage {
    return this.replica.missing(peer);
  }

  /** An object's value (MV fields as sorted arrays, as the simulator prints them), or null when absent. Throws StoreError on an unknown collection. */
  get(collection: string, id: string): unknown {
    return objectValue(this.replica, collection, id);
  }

  /** Every object of a collection, ascending by id. */
  list(collection: string): { id: string; value: unknown }[] {
    return objectIds(this.replica, collection).map((id) => ({ id, value: objectValue(this.replica, collection, id) }));
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

  private changed(collection: string, ids: string[]): void {
    const set = this.watchers.get(collection);
    if (!set || set.size === 0) return;
    for (const id of ids) {
      const value = objectValue(this.replica, collection, id);
      for (const fn of set) fn(id, value);
    }
  }
}
