/**
 * What a node keeps on disk, as the rest of the node sees it: the store replica's backing, the
 * sequencer's log, the node's identity and schema, and one way to write — `write(fn)`, which
 * runs `fn` (replica or sequencer calls that touch the backing) inside the current write batch
 * and resolves once that batch is durable.
 *
 * Durability (`sync`):
 * - `{ mode: "always" }`: every `write` is its own transaction, committed with fsync before its
 *   promise resolves.
 * - `{ mode: "group", maxWaitMs }`: writes join an open batch; the batch commits (one fsync) as
 *   soon as a turn of the event loop adds no write to it, at the latest when `maxWaitMs` has
 *   passed since its first write, or when it holds `maxBatch` writes, and every
 *   promise of the batch resolves once that commit is fsynced (off the event loop:
 *   write-batch.ts, wal-sync.ts). Nothing is acknowledged before.
 *
 * A failed commit (full disk, I/O error) rejects every promise of the batch with a StorageError,
 * rolls the transaction back and drops the backing's cache, so the replica sees exactly the
 * durable state again; the node goes on serving.
 *
 * Implemented over better-sqlite3 in sqlite-store.ts (the on-disk format is in docs/design.md).
 */
import type { SequencerStorage, StoreBacking } from "../../core/index.ts";

/**
 * `ackBeforeCommit` is a deliberate bug for testing only (cluster mode's durability check must
 * catch it): a write is answered at once and committed only when `maxWaitMs` has passed.
 */
export type SyncPolicy = { mode: "always" } | { mode: "group"; maxWaitMs: number; maxBatch?: number; ackBeforeCommit?: boolean };

export type NodeStoreOptions = {
  /** The store's collections (a scenario's store options, `{ collections: {...} }`). Required when the directory is new; when given for an existing one it must equal the stored schema. */
  schema?: { collections: Record<string, unknown> };
  /** The tables' canonical SQL (`SqlSchema.toSql()`) when the store holds SQL tables: stored with a new directory (whose `schema` must be its store spec); when given for an existing one it must equal the stored one. */
  sqlSchema?: string;
  /** The node's replica id. Chosen (and stored) at creation when absent; must match an existing directory's. */
  nodeId?: string;
  sync?: SyncPolicy;
  /** Decoded objects kept in memory (an LRU); default 10 000. */
  cacheObjects?: number;
};

export interface NodeStore {
  readonly nodeId: string;
  /** The schema stored in the directory (as given at creation). */
  readonly schema: { collections: Record<string, unknown> };
  /** The SQL schema stored in the directory (canonical SQL), when it was made with one. */
  readonly sqlSchema: string | undefined;
  readonly backing: StoreBacking;
  /** The durable log of a sequencer this node serves (one log for all sequence names). */
  readonly sequencer: SequencerStorage;
  /** Runs `fn` in the current write batch; resolves with its result once the batch is durable. `fn` throwing rolls back its own writes only and rejects. */
  write<T>(fn: () => T): Promise<T>;
  /**
   * Runs `fn` (reads of the backing) over durable state only: at once when no write batch is
   * open and every commit is synced, else as soon as that is so (a write arriving meanwhile waits
   * for the readers).
   * A client's read or a sync answer to a peer never shows a write a crash could still take away.
   */
  read<T>(fn: () => T): Promise<T>;
  /** Commits any open batch, then closes the database. */
  close(): Promise<void>;
}
