/**
 * MemoryBacking: the StoreBacking of plain Maps — what a StoreReplica used when it kept
 * everything itself, and the reference every other backing is tested against. `object`, `vv`
 * and `knowledge` return the stored references themselves (the replica mutates them in place,
 * and `put*` merely stores the reference again), so the memory path costs no copy and no
 * encoding.
 *
 * `touchedAbove` reads an index per collection and origin (the ids that origin ever touched)
 * instead of every object: a peer that missed a few updates of one origin costs the objects
 * that origin touched, not the whole store. Each candidate is checked against its live version
 * vector, so the index only has to be a superset — which `put` keeps it, whatever vector it is
 * given.
 */
import type { CausalContext } from "../clock/causal-context.ts";
import type { VersionVector } from "../clock/version-vector.ts";
import { compareStrings } from "../util/json.ts";
import type { LoggedDelta, StoreBacking } from "./backing.ts";
import type { TxnMeta } from "./messages.ts";
import type { StoreState } from "./store-crdt.ts";

export class MemoryBacking implements StoreBacking {
  /** collection → id → object state: the live store state (a StoreReplica's `state`). */
  readonly state: StoreState = new Map();
  private readonly vvs = new Map<string, Map<string, VersionVector>>();
  /** collection → origin → the ids that origin touched (a superset of those it touches now). */
  private readonly touched = new Map<string, Map<string, Set<string>>>();
  private readonly known = new Map<string, CausalContext>();
  /** collection → origin → seq → the logged update. */
  private readonly log = new Map<string, Map<string, Map<number, LoggedDelta>>>();
  private logged = 0;
  /** collection → id → the last transaction that wrote the object. */
  private readonly txns = new Map<string, Map<string, TxnMeta>>();

  txn(collection: string, id: string): TxnMeta | undefined {
    return this.txns.get(collection)?.get(id);
  }

  putTxn(collection: string, id: string, txn: TxnMeta): void {
    let m = this.txns.get(collection);
    if (!m) this.txns.set(collection, (m = new Map()));
    m.set(id, txn);
  }

  object(collection: string, id: string): unknown {
    return this.state.get(collection)?.get(id);
  }

  vv(collection: string, id: string): VersionVector | undefined {
    return this.vvs.get(collection)?.get(id);
  }

  put(collection: string, id: string, state: unknown, vv: VersionVector): void {
    let objects = this.state.get(collection);
    if (!objects) this.state.set(collection, (objects = new Map()));
    objects.set(id, state);
    let vvs = this.vvs.get(collection);
    if (!vvs) this.vvs.set(collection, (vvs = new Map()));
    vvs.set(id, vv);
    let byOrigin = this.touched.get(collection);
    if (!byOrigin) this.touched.set(collection, (byOrigin = new Map()));
    for (const origin of vv.replicaIds()) {
      const ids = byOrigin.get(origin);
      if (ids) ids.add(id);
      else byOrigin.set(origin, new Set([id]));
    }
  }

  ids(collection: string): string[] {
    return [...(this.state.get(collection)?.keys() ?? [])].sort(compareStrings);
  }

  count(collection: string): number {
    return this.state.get(collection)?.size ?? 0;
  }

  touchedAbove(collection: string, origin: string, above: number): string[] {
    const candidates = this.touched.get(collection)?.get(origin);
    if (!candidates) return [];
    const vvs = this.vvs.get(collection)!;
    const out: string[] = [];
    for (const id of candidates) if (vvs.get(id)!.get(origin) > above) out.push(id);
    return out.sort(compareStrings);
  }

  knowledge(collection: string): CausalContext | undefined {
    return this.known.get(collection);
  }

  putKnowledge(collection: string, cc: CausalContext): void {
    this.known.set(collection, cc);
  }

  logPut(collection: string, origin: string, seq: number, entry: LoggedDelta): void {
    let origins = this.log.get(collection);
    if (!origins) this.log.set(collection, (origins = new Map()));
    let entries = origins.get(origin);
    if (!entries) origins.set(origin, (entries = new Map()));
    if (!entries.has(seq)) this.logged++;
    entries.set(seq, entry);
  }

  logGet(collection: string, origin: string, seq: number): LoggedDelta | undefined {
    return this.log.get(collection)?.get(origin)?.get(seq);
  }

  logCompact(floor: (collection: string, origin: string) => number): number {
    let dropped = 0;
    for (const [c, origins] of this.log)
      for (const [origin, entries] of origins) {
        const f = floor(c, origin);
        // Deleting the entry being visited is safe while iterating a Map: no snapshot needed.
        for (const s of entries.keys())
          if (s <= f) {
            entries.delete(s);
            dropped++;
          }
      }
    this.logged -= dropped;
    return dropped;
  }

  logSize(): number {
    return this.logged;
  }
}
