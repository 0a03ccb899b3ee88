/**
 * Durable storage of one replica: a snapshot plus a log of records written after it (ops or
 * deltas), the shape of every write-ahead-logging store. Writes are staged and become durable
 * only at `sync()` (fsync); a crash loses whatever was staged since the last sync and nothing
 * else. `snapshot(state)` is a staged write too: at the sync that makes it durable it replaces
 * the previous snapshot and the log records written before it (compaction).
 *
 * This is a pure interface: core/ does no I/O. {@link MemoryStorage} is the reference
 * implementation (the simulator's disk is built on it); a real store writes the same records to
 * a file and fsyncs, and must keep the same contract:
 *
 * - records come back from `load()` in the order they were appended;
 * - a record is durable iff a `sync()` completed after it was appended;
 * - staged writes are applied in order at sync, so a snapshot staged after some records and
 *   before others keeps exactly the later ones.
 *
 * Recovery is the caller's: start from `snapshot` (or the initial state) and re-apply `log`.
 * For CRDTs re-applying is safe even if a record is already reflected in the snapshot (merge is
 * idempotent; op logs are keyed by (origin, seq) and deduplicated by the caller).
 */

/** What a restarting replica finds on disk: the last durable snapshot and the records after it. */
export type Durable<S, R> = { snapshot: S | undefined; log: R[] };

export interface ReplicaStorage<S, R> {
  /** Stages one record (an op or a delta). Not durable until the next `sync()`. */
  append(record: R): void;
  /** Stages a snapshot that, once synced, replaces the previous snapshot and every earlier record. */
  snapshot(state: S): void;
  /** Makes every staged write durable, in order. */
  sync(): void;
  /** The durable content (what a restart reads). Never includes unsynced writes. */
  load(): Durable<S, R>;
  /** Number of staged, not yet durable writes. */
  readonly pending: number;
}

type Staged<S, R> = { snap: true; state: S } | { snap: false; record: R };

/**
 * In-memory reference implementation. `crash()` models power loss: staged writes vanish.
 * Values are stored by reference: callers must not mutate a state or record after handing it
 * over (clone first if needed), exactly as they could not change bytes already written.
 */
export class MemoryStorage<S, R> implements ReplicaStorage<S, R> {
  private durableSnapshot: S | undefined = undefined;
  private durableLog: R[] = [];
  private staged: Staged<S, R>[] = [];
  /** Syncs completed so far (for tests and statistics). */
  syncs = 0;

  constructor(initial?: S) {
    this.durableSnapshot = initial;
  }

  append(record: R): void {
    this.staged.push({ snap: false, record });
  }

  snapshot(state: S): void {
    this.staged.push({ snap: true, state });
  }

  sync(): void {
    this.syncs++;
    if (this.staged.length === 0) return;
    for (const w of this.staged) {
      if (w.snap) {
        this.durableSnapshot = w.state;
        this.durableLog = [];
      } else this.durableLog.push(w.record);
    }
    this.staged = [];
  }

  load(): Durable<S, R> {
    return { snapshot: this.durableSnapshot, log: [...this.durableLog] };
  }

  get pending(): number {
    return this.staged.length;
  }

  /** Number of durable log records (records since the last durable snapshot). */
  get logLength(): number {
    return this.durableLog.length;
  }

  /** Power loss: every staged write is lost. Returns how many were. */
  crash(): number {
    const lost = this.staged.length;
    this.staged = [];
    return lost;
  }
}
