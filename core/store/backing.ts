/**
 * Where a StoreReplica keeps what grows with the data: each object's state and version vector,
 * each collection's knowledge (causal context), and the delta log. The replica itself holds
 * nothing between calls but its schema, codecs and this backing, so that
 *
 * - in the simulator and in tests the backing is plain Maps in memory (MemoryBacking), and
 * - a real node passes one over SQLite (node/storage): a store of a million objects opens
 *   without reading them, memory holds what was touched (the backing's cache), and a failed
 *   commit is undone by dropping the cache and re-reading the durable rows — the replica has no
 *   copy of its own to fall out of step.
 *
 * Contract (MemoryBacking is the reference; node/storage keeps the same):
 *
 * - `object`/`vv`/`knowledge` return the live value, or undefined when absent. The replica may
 *   mutate what they return, and always calls the matching `put*` afterwards, in the same call
 *   of one of its methods, with the same (or a replacing) value: a cached backing encodes and
 *   writes there; MemoryBacking just stores the reference.
 * - `ids` and `touchedAbove` yield ids in ascending compareStrings order (core/util/json.ts), so
 *   every answer the replica builds is deterministic whatever the backing.
 * - `put` always gets a state (never undefined) with its vector: an update that changed nothing
 *   (its delta the type's initial state) creates no object and no vector, only a log entry.
 * - `logCompact`'s floor is a safe integer (Number.MAX_SAFE_INTEGER to drop everything).
 * - Atomicity and durability are the caller's: a node wraps each replica call in one storage
 *   transaction; the backing itself only reads and writes.
 */
import type { CausalContext } from "../clock/causal-context.ts";
import type { VersionVector } from "../clock/version-vector.ts";
import type { TxnMeta } from "./messages.ts";

/** One logged update: the object it touched and its delta, and the transaction that made it if one did. */
export type LoggedDelta = { id: string; delta: unknown; txn?: TxnMeta };

export interface StoreBacking {
  // ---- objects ----------------------------------------------------------------------------
  /** An object's state, or undefined when the collection holds no such object. */
  object(collection: string, id: string): unknown;
  /** An object's version vector (per origin, the highest seq that touched it), or undefined. */
  vv(collection: string, id: string): VersionVector | undefined;
  /** Writes an object's state and version vector (a new object, or a changed one). */
  put(collection: string, id: string, state: unknown, vv: VersionVector): void;
  /** Every object id of a collection, ascending. */
  ids(collection: string): Iterable<string>;
  /** Number of objects of a collection. */
  count(collection: string): number;
  /** The ids whose version vector's entry for `origin` is above `above`, ascending: the objects an update of origin past `above` touched. */
  touchedAbove(collection: string, origin: string, above: number): Iterable<string>;
  /**
   * The metadata of the last transaction that wrote an object (sent with it when it goes whole
   * in a sync answer), and its write; plain updates leave it as it was. Optional: a backing
   * without them keeps no transaction metadata beside objects (logged updates still carry theirs).
   */
  txn?(collection: string, id: string): TxnMeta | undefined;
  putTxn?(collection: string, id: string, txn: TxnMeta): void;

  // ---- knowledge --------------------------------------------------------------------------
  /** A collection's causal context (the dots applied), or undefined before the first. */
  knowledge(collection: string): CausalContext | undefined;
  putKnowledge(collection: string, cc: CausalContext): void;

  // ---- the delta log ----------------------------------------------------------------------
  logPut(collection: string, origin: string, seq: number, entry: LoggedDelta): void;
  logGet(collection: string, origin: string, seq: number): LoggedDelta | undefined;
  /** Drops the entries with seq ≤ floor(collection, origin); returns how many were dropped. */
  logCompact(floor: (collection: string, origin: string) => number): number;
  /** Entries held, all collections and origins. */
  logSize(): number;
}
