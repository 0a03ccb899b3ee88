/**
 * The StoreBacking of a node: a replica's objects, version vectors, knowledge and delta log as
 * rows of the node's SQLite database (format.ts), with an LRU of decoded objects in front.
 *
 * - Reads go to the cache, else to one indexed row; nothing is read at construction but the
 *   knowledge (one small row per collection) and the origin names (one per replica id).
 * - Writes go straight to the database, inside whatever transaction the NodeStore has open, and
 *   into the cache — all but the knowledge: every write changes the same row of its collection,
 *   so inside a NodeStore write it is kept in memory and written once per commit (`flush`, which
 *   the NodeStore calls before COMMIT), one row per batch instead of one per write.
 * - After a rollback the caches forget: the replica mutates what `object`/`vv`/`knowledge`
 *   return before it calls `put`, so the cache may hold values the database does not. After the
 *   whole transaction's rollback `reset()` re-reads the rows. After one write's (its savepoint)
 *   `undoWrite()` drops the cached objects (their rows are right) and puts back the knowledge as
 *   it was before that write: `knowledge()` keeps a copy the first time a write asks for it,
 *   since the batch's knowledge is not in the rows yet.
 *
 * Every BLOB is a framed, CRC-32C checked encoding (the object type's codec for states and
 * deltas, core's vector and context codecs): a damaged row is a DecodeError naming the row,
 * never a value.
 */
import type Database from "better-sqlite3";
import {
  CausalContext,
  causalContextCodec,
  DecodeError,
  type Codec,
  type LoggedDelta,
  type StoreBacking,
  type StoreCrdt,
  storeCodecs,
  type TxnMeta,
  VersionVector,
  versionVectorCodec,
} from "../../core/index.ts";
import { Lru } from "./lru.ts";

/** A cached object: `state` undefined when the collection has no such object (a cached miss). */
type Entry = { state: unknown; vv: VersionVector | undefined; disk: Map<string, number> };

type ObjectRow = { state: Uint8Array; vv: Uint8Array };

/** Told of each object written, inside the write's transaction (a read model kept in step: node/sql-read). */
export type PutListener = (collection: string, id: string, state: unknown) => void;
type LogRow = { id: string; delta: Uint8Array; txn: Uint8Array | null };

/** compareStrings of core/util/json.ts (UTF-16 code units), the order every answer must have. */
const compareStrings = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

/**
 * SQLite orders TEXT by its UTF-8 bytes (code points); the store orders by UTF-16 code units.
 * The two differ only between a character in U+E000–U+FFFF and one above U+FFFF, so the rows
 * come back in SQLite's order and are re-sorted only in that rare case.
 */
function inStoreOrder(ids: string[]): string[] {
  for (let i = 1; i < ids.length; i++) if (compareStrings(ids[i - 1]!, ids[i]!) > 0) return ids.sort(compareStrings);
  return ids;
}

/** Decodes a row's BLOB, naming the row in the DecodeError. */
function decodeRow<T>(codec: Codec<T>, bytes: unknown, where: string): T {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError(where, 0, `expected a BLOB, found ${typeof bytes}`);
  try {
    return codec.decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) throw new DecodeError(`${where} (${e.what})`, e.offset, e.reason);
    throw e;
  }
}

/**
 * The knowledge of each collection a write asked for, as it was before the write (undefined: none
 * yet). Two arrays emptied by their length, not a Map: a Map's clear() allocates its table anew,
 * and this is emptied at every write.
 */
class BeforeWrite {
  readonly collections: number[] = [];
  readonly contexts: (CausalContext | undefined)[] = [];

  get size(): number {
    return this.collections.length;
  }

  has(c: number): boolean {
    return this.collections.includes(c);
  }

  set(c: number, cc: CausalContext | undefined): void {
    this.collections.push(c);
    this.contexts.push(cc);
  }

  clear(): void {
    this.collections.length = 0;
    this.contexts.length = 0;
  }
}

export class SqliteBacking implements StoreBacking {
  private readonly cache: Lru<Entry>;
  private readonly index: Map<string, number>;
  private readonly codecs: Codec<unknown>[];
  private readonly txnCodec: Codec<TxnMeta>;
  private readonly known = new Map<number, CausalContext>();
  /** Collections whose knowledge changed since the last flush. */
  private readonly knownDirty = new Set<number>();
  /** Inside a write: the knowledge as it was before the write, per collection it asked for (undefined: none yet). */
  private readonly knownBefore = new BeforeWrite();
  private inWrite = false;
  /**
   * Inside a write: the (collection, origin, seq, id) entries a put raised in an object's vector,
   * not yet backed by a row. The update's own logPut (right after its put) takes its entry off;
   * those left at the write's end — an entry raised by a merge, with no log entry of its own —
   * get their `touched` row then (format.ts, version 3).
   */
  private unlogged: { c: number; o: number; seq: number; id: string }[] = [];
  private readonly originIds = new Map<string, number>();
  /** Object counts per collection, and the log's size: counted on first ask, then kept. */
  private readonly counts = new Map<number, number>();
  private logCount: number | undefined;
  private readonly putListeners: PutListener[] = [];
  private readonly flushListeners: (() => void)[] = [];
  /** The entry read last (in the cache, or forgotten with it), with its collection number and id: a write reads an object, its vector, then puts it. */
  private lastC = -1;
  private lastId = "";
  private lastEntry: Entry | undefined;

  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly crdt: StoreCrdt,
    cacheObjects: number,
  ) {
    this.cache = new Lru(cacheObjects);
    this.index = new Map(crdt.collections.map((c, i) => [c, i]));
    this.codecs = crdt.collections.map((c) => {
      const codec = crdt.typeOf(c).codec;
      if (!codec) throw new Error(`collection "${c}": its type has no codec, so it cannot be stored`);
      return codec as Codec<unknown>;
    });
    this.txnCodec = storeCodecs(crdt).txn;
    this.q = {
      object: db.prepare<[number, string], ObjectRow>("SELECT state, vv FROM objects WHERE c = ? AND id = ?"),
      vv: db.prepare<[number, string], Uint8Array>("SELECT vv FROM objects WHERE c = ? AND id = ?").pluck(),
      // put knows whether the row exists (its cache or its vector read): an UPDATE then, not an upsert's failed insert first.
      addObject: db.prepare<[number, string, Uint8Array, Uint8Array]>("INSERT INTO objects (c, id, state, vv) VALUES (?, ?, ?, ?)"),
      setObject: db.prepare<[Uint8Array, Uint8Array, number, string]>("UPDATE objects SET state = ?, vv = ? WHERE c = ? AND id = ?"),
      ids: db.prepare<[number], string>("SELECT id FROM objects WHERE c = ? ORDER BY id").pluck(),
      count: db.prepare<[number], number>("SELECT count(*) FROM objects WHERE c = ?").pluck(),
      // Never lowered: a row whose seq is at or above the object's entry is as good as an exact one (touchedAbove checks the vector).
      touch: db.prepare<[number, number, string, number]>(
        "INSERT INTO touched (c, origin, id, seq) VALUES (?, ?, ?, ?) ON CONFLICT (c, origin, id) DO UPDATE SET seq = max(seq, excluded.seq)",
      ),
      // Before log entries are dropped: each object's highest dropped seq, as its row (the log no longer answers for it).
      touchFromLog: db.prepare<[number, number, number]>(
        "INSERT INTO touched (c, origin, id, seq) SELECT c, origin, id, max(seq) FROM delta_log WHERE c = ? AND origin = ? AND seq <= ? GROUP BY id ON CONFLICT (c, origin, id) DO UPDATE SET seq = max(seq, excluded.seq)",
      ),
      touchedAbove: db
        .prepare<[number, number, number, number, number, number], string>(
          "SELECT id FROM touched WHERE c = ? AND origin = ? AND seq > ? UNION SELECT id FROM delta_log WHERE c = ? AND origin = ? AND seq > ?",
        )
        .pluck(),
      knowledge: db.prepare<[], { c: number; cc: Uint8Array }>("SELECT c, cc FROM knowledge"),
      putKnowledge: db.prepare<[number, Uint8Array]>("INSERT INTO knowledge (c, cc) VALUES (?, ?) ON CONFLICT (c) DO UPDATE SET cc = excluded.cc"),
      origins: db.prepare<[], { n: number; name: string }>("SELECT n, name FROM origins"),
      addOrigin: db.prepare<[string]>("INSERT INTO origins (name) VALUES (?)"),
      logAdd: db.prepare<[number, number, number, string, Uint8Array, Uint8Array | null]>(
        "INSERT OR IGNORE INTO delta_log (c, origin, seq, id, delta, txn) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      logReplace: db.prepare<[string, Uint8Array, Uint8Array | null, number, number, number]>(
        "UPDATE delta_log SET id = ?, delta = ?, txn = ? WHERE c = ? AND origin = ? AND seq = ?",
      ),
      logGet: db.prepare<[number, number, number], LogRow>("SELECT id, delta, txn FROM delta_log WHERE c = ? AND origin = ? AND seq = ?"),
      txn: db.prepare<[number, string], Uint8Array | null>("SELECT txn FROM objects WHERE c = ? AND id = ?").pluck(),
      putTxn: db.prepare<[Uint8Array, number, string]>("UPDATE objects SET txn = ? WHERE c = ? AND id = ?"),
      logDropUpTo: db.prepare<[number, number, number]>("DELETE FROM delta_log WHERE c = ? AND origin = ? AND seq <= ?"),
      logCount: db.prepare<[], number>("SELECT count(*) FROM delta_log").pluck(),
    };
    this.reset();
  }

  /** Forgets every cached value and re-reads the knowledge and origins (after a rollback; at open). */
  reset(): void {
    this.unlogged = [];
    this.known.clear();
    this.knownDirty.clear();
    for (const { c, cc } of this.q.knowledge.all()) {
      const name = this.crdt.collections[c];
      if (name === undefined) throw new DecodeError("knowledge row", 0, `collection number ${c} is not in the schema (${this.crdt.collections.length} collections)`);
      this.known.set(c, decodeRow(causalContextCodec, cc, `knowledge of collection "${name}"`));
    }
    this.forgetRows();
  }

  /** A write begins: knowledge changes are kept for `flush`, and undone by `undoWrite`. */
  beginWrite(): void {
    this.inWrite = true;
    this.knownBefore.clear();
    if (this.unlogged.length > 0) this.unlogged = [];
  }

  /** The write's `fn` returned: writes the `touched` rows its unlogged vector entries need (it may throw: the write is then undone). */
  endWrite(): void {
    if (this.unlogged.length > 0) {
      for (const u of this.unlogged) this.q.touch.run(u.c, u.o, u.id, u.seq);
      this.unlogged = [];
    }
    this.inWrite = false;
    this.knownBefore.clear();
  }

  /** The write's savepoint was rolled back: its rows are gone; forget what it left in memory. */
  undoWrite(): void {
    for (let i = 0; i < this.knownBefore.size; i++) {
      const c = this.knownBefore.collections[i]!;
      const before = this.knownBefore.contexts[i];
      if (before === undefined) this.known.delete(c);
      else this.known.set(c, before);
    }
    this.unlogged = [];
    this.endWrite();
    this.forgetRows();
  }

  /** Writes the knowledge changed since the last flush (before COMMIT). */
  flush(): void {
    for (const c of this.knownDirty) {
      const cc = this.known.get(c);
      if (cc !== undefined) this.q.putKnowledge.run(c, causalContextCodec.encode(cc));
    }
    this.knownDirty.clear();
    for (const fn of this.flushListeners) fn();
  }

  /** Calls `fn` at each flush: inside the transaction, just before its COMMIT (a listener that throws fails the commit); returns the unsubscribe. */
  onFlush(fn: () => void): () => void {
    this.flushListeners.push(fn);
    return () => {
      const at = this.flushListeners.indexOf(fn);
      if (at >= 0) this.flushListeners.splice(at, 1);
    };
  }

  /** Forgets what is cached of the rows (objects, counts, origins): re-read on demand. */
  private forgetRows(): void {
    this.cache.clear();
    this.lastC = -1;
    this.lastEntry = undefined;
    this.counts.clear();
    this.logCount = undefined;
    this.originIds.clear();
    for (const { n, name } of this.q.origins.all()) this.originIds.set(name, n);
  }

  /** Decoded objects held in memory now (for tests and statistics). */
  get cachedObjects(): number {
    return this.cache.size;
  }

  // ---- objects ----------------------------------------------------------------------------

  object(collection: string, id: string): unknown {
    return this.entry(collection, id).state;
  }

  vv(collection: string, id: string): VersionVector | undefined {
    return this.entry(collection, id).vv;
  }

  put(collection: string, id: string, state: unknown, vv: VersionVector): void {
    const c = this.numberOf(collection);
    const cached = this.lastC === c && this.lastId === id ? this.lastEntry : this.cache.get(c, id);
    let disk: Map<string, number>;
    let existed: boolean;
    if (cached) {
      disk = cached.disk;
      existed = cached.state !== undefined;
    } else {
      const bytes = this.q.vv.get(c, id);
      existed = bytes !== undefined;
      disk = existed ? new Map(decodeRow(versionVectorCodec, bytes, `version vector of ${collection}["${id}"]`).entries()) : new Map();
    }
    const stateBytes = this.codecs[c]!.encode(state);
    const vvBytes = versionVectorCodec.encode(vv);
    // An UPDATE that finds no row would lose the write silently: insert then (never expected).
    if (!existed || this.q.setObject.run(stateBytes, vvBytes, c, id).changes === 0) this.q.addObject.run(c, id, stateBytes, vvBytes);
    if (!existed) {
      const n = this.counts.get(c);
      if (n !== undefined) this.counts.set(c, n + 1);
    }
    // The origin index (format.ts, version 3): an entry the vector raised needs a `touched`
    // row unless the log holds the update that raised it — the write's own logPut, usually, so
    // inside a write it waits for the write's end; outside one it is written now. `disk` (this
    // entry's own map, or one just decoded) is the vector as last put.
    for (const origin of vv.replicaIds()) {
      const seq = vv.get(origin);
      if (disk.get(origin) === seq) continue;
      const o = this.originNumber(origin);
      if (this.inWrite) this.unlogged.push({ c, o, seq, id });
      else this.q.touch.run(c, o, id, seq);
      disk.set(origin, seq);
    }
    // An entry the vector dropped keeps its row: touchedAbove checks each candidate's vector.
    if (disk.size > vv.size) for (const origin of disk.keys()) if (vv.get(origin) === 0) disk.delete(origin);
    if (cached) {
      // Changed in place: it is already the most recently used, no need to move it again.
      cached.state = state;
      cached.vv = vv;
    } else this.cache.set(c, id, { state, vv, disk });
    // Same transaction as the object's row: a listener that throws rolls the write back.
    for (const fn of this.putListeners) fn(collection, id, state);
  }

  /** Calls `fn` after each object put, inside the write's transaction; returns the unsubscribe. */
  onPut(fn: PutListener): () => void {
    this.putListeners.push(fn);
    return () => {
      const at = this.putListeners.indexOf(fn);
      if (at >= 0) this.putListeners.splice(at, 1);
    };
  }

  ids(collection: string): Iterable<string> {
    return inStoreOrder(this.q.ids.all(this.numberOf(collection)));
  }

  count(collection: string): number {
    const c = this.numberOf(collection);
    let n = this.counts.get(c);
    if (n === undefined) this.counts.set(c, (n = this.q.count.get(c) ?? 0));
    return n;
  }

  /**
   * The candidates — the log's entries of `origin` above `above`, the `touched` rows above it,
   * and the current write's unlogged entries — each checked against the object's vector: a row
   * may be above the object's entry (a dropped one) and a log entry may name an object that
   * does not exist (an update that changed nothing), but no object whose entry is above is
   * missed (format.ts, version 3).
   */
  touchedAbove(collection: string, origin: string, above: number): Iterable<string> {
    const c = this.numberOf(collection);
    const o = this.originIds.get(origin);
    if (o === undefined) return [];
    const candidates = new Set(this.q.touchedAbove.all(c, o, above, c, o, above));
    for (const u of this.unlogged) if (u.c === c && u.o === o && u.seq > above) candidates.add(u.id);
    const out: string[] = [];
    for (const id of candidates) if ((this.vv(collection, id)?.get(origin) ?? 0) > above) out.push(id);
    return out.sort(compareStrings);
  }

  /** The last transaction that wrote an object (read from its row: only whole objects of a sync answer ask). */
  txn(collection: string, id: string): TxnMeta | undefined {
    const bytes = this.q.txn.get(this.numberOf(collection), id);
    return bytes === null || bytes === undefined ? undefined : decodeRow(this.txnCodec, bytes, `transaction of ${collection}["${id}"]`);
  }

  /** After the object's put, in the same write. */
  putTxn(collection: string, id: string, txn: TxnMeta): void {
    this.q.putTxn.run(this.txnCodec.encode(txn), this.numberOf(collection), id);
  }

  // ---- knowledge --------------------------------------------------------------------------

  knowledge(collection: string): CausalContext | undefined {
    const c = this.numberOf(collection);
    const cc = this.known.get(c);
    // The caller may change it in place: keep what undoWrite would put back.
    if (this.inWrite && !this.knownBefore.has(c)) this.knownBefore.set(c, cc?.clone());
    return cc;
  }

  putKnowledge(collection: string, cc: CausalContext): void {
    const c = this.numberOf(collection);
    if (!this.inWrite) this.q.putKnowledge.run(c, causalContextCodec.encode(cc));
    else {
      if (!this.knownBefore.has(c)) this.knownBefore.set(c, this.known.get(c));
      this.knownDirty.add(c);
    }
    this.known.set(c, cc);
  }

  // ---- the delta log ----------------------------------------------------------------------

  logPut(collection: string, origin: string, seq: number, entry: LoggedDelta): void {
    const c = this.numberOf(collection);
    const o = this.originNumber(origin);
    const bytes = this.codecs[c]!.encode(entry.delta);
    const txn = entry.txn ? this.txnCodec.encode(entry.txn) : null;
    // The log now answers for the entry this update raised in its object's vector (its put, just before).
    const u = this.unlogged;
    for (let i = u.length - 1; i >= 0; i--) {
      const e = u[i]!;
      if (e.seq === seq && e.o === o && e.c === c && e.id === entry.id) {
        // Order does not matter (endWrite upserts, touchedAbove sorts): the last takes its place.
        u[i] = u[u.length - 1]!;
        u.pop();
        break;
      }
    }
    if (this.q.logAdd.run(c, o, seq, entry.id, bytes, txn).changes === 1) {
      if (this.logCount !== undefined) this.logCount++;
    } else this.q.logReplace.run(entry.id, bytes, txn, c, o, seq);
  }

  logGet(collection: string, origin: string, seq: number): LoggedDelta | undefined {
    const c = this.numberOf(collection);
    const o = this.originIds.get(origin);
    if (o === undefined) return undefined;
    const row = this.q.logGet.get(c, o, seq);
    if (row === undefined) return undefined;
    const delta = decodeRow(this.codecs[c]!, row.delta, `logged delta (${collection}, ${origin}, ${seq})`);
    if (row.txn === null) return { id: row.id, delta };
    return { id: row.id, delta, txn: decodeRow(this.txnCodec, row.txn, `transaction of logged delta (${collection}, ${origin}, ${seq})`) };
  }

  logCompact(floor: (collection: string, origin: string) => number): number {
    let dropped = 0;
    // Every origin that ever wrote is in `origins`: a handful of rows, so no scan of the log.
    const origins = [...this.originIds].sort((a, b) => compareStrings(a[0], b[0]));
    for (const [c, collection] of this.crdt.collections.entries())
      for (const [origin, o] of origins) {
        const f = floor(collection, origin);
        if (!(f >= 1)) continue;
        // The log stops answering for these entries: `touched` rows take over first.
        this.q.touchFromLog.run(c, o, f);
        dropped += this.q.logDropUpTo.run(c, o, f).changes;
      }
    if (this.logCount !== undefined) this.logCount -= dropped;
    return dropped;
  }

  logSize(): number {
    return (this.logCount ??= this.q.logCount.get() ?? 0);
  }

  // ---- internals --------------------------------------------------------------------------

  private numberOf(collection: string): number {
    const c = this.index.get(collection);
    if (c === undefined) throw new Error(`unknown collection ${JSON.stringify(collection)} (the store's collections: ${this.crdt.collections.join(", ")})`);
    return c;
  }

  private originNumber(origin: string): number {
    let o = this.originIds.get(origin);
    if (o === undefined) this.originIds.set(origin, (o = Number(this.q.addOrigin.run(origin).lastInsertRowid)));
    return o;
  }

  /** The entry read last (fields, not an object: one per object read). */
  private remember(c: number, id: string, e: Entry): void {
    this.lastC = c;
    this.lastId = id;
    this.lastEntry = e;
  }

  private entry(collection: string, id: string): Entry {
    const c = this.numberOf(collection);
    // A write reads an object, then its vector, then puts it: one move to the LRU's end is enough.
    if (this.lastC === c && this.lastId === id) return this.lastEntry!;
    let e = this.cache.get(c, id);
    if (e) {
      this.remember(c, id, e);
      return e;
    }
    const row = this.q.object.get(c, id);
    if (row === undefined) e = { state: undefined, vv: undefined, disk: new Map() };
    else {
      const vv = decodeRow(versionVectorCodec, row.vv, `version vector of ${collection}["${id}"]`);
      e = { state: decodeRow(this.codecs[c]!, row.state, `state of ${collection}["${id}"]`), vv, disk: new Map(vv.entries()) };
    }
    this.cache.set(c, id, e);
    this.remember(c, id, e);
    return e;
  }
}
