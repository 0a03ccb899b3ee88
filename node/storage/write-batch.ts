/**
 * `NodeStore.write(fn)`: transactions, savepoints and group commit over one better-sqlite3
 * connection. better-sqlite3 is synchronous, so `fn` runs to completion inside the transaction
 * before anything else can; only the batch (group commit) stays open across event-loop turns.
 *
 * - sync "always": BEGIN, fn, COMMIT (fsync: synchronous=FULL), then resolve.
 * - sync "group": the first write opens a batch (BEGIN); each write runs inside its own
 *   SAVEPOINT; the batch commits as soon as a turn of the event loop adds no write to it (no
 *   more are arriving: waiting longer would only idle), at the latest `maxWaitMs` after its first
 *   write, or when it holds `maxBatch` writes; every promise of the batch resolves once that
 *   COMMIT is on disk. The COMMIT runs with synchronous=NORMAL (no fsync) and the WAL's fsync
 *   runs on the thread pool (wal-sync.ts: as durable as FULL), so the next batch's writes run
 *   while the disk syncs the last one; batches committed during a sync share the next sync.
 *
 * `fn` throwing rolls back its savepoint (its own writes only) and rejects its promise. A commit
 * that fails — or an error after which SQLite has already rolled the whole transaction back
 * (SQLITE_FULL and SQLITE_IOERR may do that) — rejects every promise of the batch with a
 * StorageError. The hooks let the layer above keep part of a write in memory until the commit
 * (`beforeCommit` writes it) and forget what a rolled-back write left in its caches.
 *
 * `read(fn)` runs `fn` over durable state only: at once when no batch is open and every commit
 * is synced, else as soon as that is so — a write arriving meanwhile waits for the readers
 * instead of opening a batch — so a reader never sees a write that a crash could still take away.
 *
 * A WAL sync that fails leaves committed rows whose fate on disk is unknown: the batches waiting
 * for it are rejected and the store takes no more writes (a restart reads what the disk kept).
 */
import type Database from "better-sqlite3";
import type { SyncPolicy } from "./node-store.ts";
import { describe, StorageError } from "./errors.ts";
import { WalSync } from "./wal-sync.ts";

type Waiter = { resolve: (v: unknown) => void; reject: (e: unknown) => void; value: unknown };
type Batch = {
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  /** The end-of-turn check, and the number of writes it saw last time. */
  quiet: NodeJS.Immediate | undefined;
  seen: number;
};

/** What the layer above the transaction is told (sqlite-store.ts: the backing's caches and the sequencer's staged records). */
export type TransactionHooks = {
  /** A write's `fn` is about to run. */
  beginWrite(): void;
  /** The write's `fn` returned: the rows it still owes go into the transaction (inside its savepoint; throwing undoes the write). */
  endWrite(): void;
  /** The write's `fn` threw and its savepoint was rolled back: the earlier writes of the batch stand. */
  undoWrite(): void;
  /** Just before each COMMIT: write the rows kept in memory until now. Throwing fails the commit. */
  beforeCommit(): void;
  /** The whole transaction was rolled back: only the durable rows are left. */
  rolledBack(): void;
};

export const DEFAULT_MAX_BATCH = 1000;

export class WriteBatcher {
  private batch: Batch | undefined;
  private running = false;
  private closed = false;
  /** Commits made so far (for tests and the benchmark: group commit makes fewer). */
  commits = 0;
  /** Prepared once: a savepoint per write is the batch's per-write overhead, so it is not re-parsed. */
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  /** Group commit: the WAL's own fsync (undefined with sync "always": SQLite syncs each COMMIT). */
  readonly wal: WalSync | undefined;
  /** Committed, waiting for the next WAL sync; and those whose sync is running. */
  private unsynced: Waiter[] = [];
  private syncing: Waiter[] | undefined;
  /** Reads waiting for durable, quiet state; and the writes that arrived after them. */
  private readonly readers: (() => void)[] = [];
  private readonly deferred: (() => void)[] = [];
  /** Set when a WAL sync failed: every later write is refused with it. */
  private broken: StorageError | undefined;
  private readonly ackBeforeCommit: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly policy: SyncPolicy,
    private readonly hooks: TransactionHooks,
    walFile: string,
  ) {
    if (policy.mode === "group") {
      if (!(Number.isFinite(policy.maxWaitMs) && policy.maxWaitMs >= 0)) throw new StorageError(`sync group: maxWaitMs must be a number ≥ 0, got ${policy.maxWaitMs}`);
      const max = policy.maxBatch ?? DEFAULT_MAX_BATCH;
      if (!Number.isSafeInteger(max) || max < 1) throw new StorageError(`sync group: maxBatch must be a positive integer, got ${policy.maxBatch}`);
    } else if (policy.mode !== "always") throw new StorageError(`sync mode must be "always" or "group", got ${JSON.stringify((policy as { mode: unknown }).mode)}`);
    this.ackBeforeCommit = policy.mode === "group" && policy.ackBeforeCommit === true;
    this.savepoint = db.prepare("SAVEPOINT w");
    this.release = db.prepare("RELEASE w");
    if (policy.mode === "group") {
      db.pragma("synchronous = NORMAL");
      this.wal = new WalSync(walFile);
    }
  }

  /** Whether a `write` callback is running now (the sequencer log joins its transaction). */
  inWrite(): boolean {
    return this.running;
  }

  write<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError("the store is closed"));
    if (this.running) return Promise.reject(new StorageError("write() called inside a write: run everything in one write"));
    if (this.policy.mode === "always") return this.writeAlone(fn);
    if (this.broken) return Promise.reject(this.broken);
    // Readers wait for a quiet moment: a new batch would put it off, maybe for ever under load.
    if (!this.batch && this.readers.length > 0) return new Promise<T>((resolve, reject) => this.deferred.push(() => this.write(fn).then(resolve, reject)));
    return this.writeInBatch(fn, this.policy.maxWaitMs, this.policy.maxBatch ?? DEFAULT_MAX_BATCH);
  }

  /** Runs `fn` over durable state: now when no batch is open and every commit is synced, else as soon as that is so. */
  read<T>(fn: () => T): Promise<T> {
    if (this.quiet()) return attempt(fn);
    return new Promise<T>((resolve, reject) => this.readers.push(() => attempt(fn).then(resolve, reject)));
  }

  /** Runs `rows` and commits at once, with the open batch if there is one (a sequencer sync outside a write). */
  commitNow(rows: () => void): void {
    if (this.closed) throw new StorageError("the store is closed");
    if (this.broken) throw this.broken;
    if (!this.batch) this.db.exec("BEGIN IMMEDIATE");
    try {
      rows();
    } catch (e) {
      this.failTransaction(`write failed: ${describe(e)}`, e);
      throw new StorageError(`write failed: ${describe(e)}`, { cause: e });
    }
    if (this.batch) this.commitBatch(true);
    else if (!this.commit()) throw new StorageError("commit failed: the sequencer's records were not written");
    else this.syncNow();
  }

  /** Commits an open batch (if any), syncs what is committed and refuses further writes. */
  close(): void {
    // Closed first: a write that waited for a reader (run by the last commit) is refused, not begun.
    this.closed = true;
    try {
      if (this.batch) this.commitBatch(true);
      else this.syncNow();
    } finally {
      this.wal?.close();
    }
  }

  private writeAlone<T>(fn: () => T): Promise<T> {
    try {
      this.db.exec("BEGIN IMMEDIATE");
    } catch (e) {
      return Promise.reject(new StorageError(`cannot begin a transaction: ${describe(e)}`, { cause: e }));
    }
    let value: T;
    try {
      value = this.run(fn);
      this.hooks.endWrite();
    } catch (e) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.hooks.rolledBack();
      return Promise.reject(wrap(e));
    }
    let failure: unknown;
    if (!this.commit((e) => (failure = e))) return Promise.reject(new StorageError(`commit failed, the write was rolled back: ${describe(failure)}`, { cause: failure }));
    return Promise.resolve(value);
  }

  private writeInBatch<T>(fn: () => T, maxWaitMs: number, maxBatch: number): Promise<T> {
    if (!this.batch) {
      try {
        this.db.exec("BEGIN IMMEDIATE");
      } catch (e) {
        return Promise.reject(new StorageError(`cannot begin a transaction: ${describe(e)}`, { cause: e }));
      }
      const batch: Batch = { waiters: [], timer: undefined, quiet: undefined, seen: 0 };
      const endOfTurn = () => {
        if (this.batch !== batch) return;
        if (batch.waiters.length === batch.seen) return this.commitBatch();
        batch.seen = batch.waiters.length;
        batch.quiet = setImmediate(endOfTurn);
      };
      // Test-only ackBeforeCommit (cluster mode's broken node): no early commit, only the timer's.
      if (!this.ackBeforeCommit) batch.quiet = setImmediate(endOfTurn);
      this.batch = batch;
      batch.timer = setTimeout(() => {
        if (this.batch === batch) this.commitBatch();
      }, maxWaitMs);
    }
    let value: T;
    try {
      this.savepoint.run();
      value = this.run(fn);
      // Inside the savepoint: endWrite may still write rows (the backing's), undone with it if that fails.
      this.hooks.endWrite();
      this.release.run();
    } catch (e) {
      this.rollbackOne(e);
      return Promise.reject(wrap(e));
    }
    if (this.ackBeforeCommit) {
      // The deliberate bug: answered now, committed up to maxWaitMs later — a kill -9 in between loses an acknowledged write.
      this.batch.waiters.push({ resolve: () => {}, reject: () => {}, value });
      if (this.batch.waiters.length >= maxBatch) this.commitBatch();
      return Promise.resolve(value);
    }
    const promise = new Promise<T>((resolve, reject) => this.batch!.waiters.push({ resolve: resolve as (v: unknown) => void, reject, value }));
    if (this.batch.waiters.length >= maxBatch) this.commitBatch();
    return promise;
  }

  /** Undoes one write of the batch; if SQLite already dropped the whole transaction, fails the batch. */
  private rollbackOne(e: unknown): void {
    if (this.db.inTransaction) {
      try {
        this.db.exec("ROLLBACK TO w; RELEASE w");
        this.hooks.undoWrite();
        return;
      } catch {
        // The savepoint is gone with the transaction: fall through and fail the batch.
      }
    }
    this.failTransaction(`a write in the batch failed and took the transaction with it: ${describe(e)}`, e);
  }

  /** Commits the open batch; its promises resolve once the WAL is synced: at once if `syncNow` (the caller cannot wait), else after the next sync on the thread pool. */
  private commitBatch(syncNow = false): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    clearTimeout(batch.timer);
    clearImmediate(batch.quiet);
    let failure: unknown;
    if (this.commit((e) => (failure = e))) {
      this.unsynced.push(...batch.waiters);
      if (syncNow) this.syncNow();
      else this.startSync();
    } else {
      const err = new StorageError(`commit failed, ${batch.waiters.length} write(s) rolled back: ${describe(failure)}`, { cause: failure });
      for (const w of batch.waiters) w.reject(err);
    }
    this.drain();
  }

  /** Starts a WAL sync for the committed batches, unless one is running (they wait for the next, started when it ends). */
  private startSync(): void {
    if (this.syncing || this.unsynced.length === 0 || !this.wal) return;
    const waiters = (this.syncing = this.unsynced);
    this.unsynced = [];
    this.wal.sync((err) => {
      this.syncing = undefined;
      if (err) this.fail(err, waiters);
      else for (const w of waiters) w.resolve(w.value);
      // Emptied: a syncNow() meanwhile may have resolved them already.
      waiters.length = 0;
      this.startSync();
      this.drain();
    });
  }

  /** Syncs the WAL now and resolves every committed write, those of a running sync too (it covers less). */
  private syncNow(): void {
    const waiters = [...(this.syncing ?? []), ...this.unsynced];
    if (this.syncing) this.syncing.length = 0;
    this.unsynced = [];
    try {
      this.wal?.syncNow();
    } catch (e) {
      this.fail(e, waiters);
      throw this.broken;
    }
    for (const w of waiters) w.resolve(w.value);
  }

  /** A WAL sync failed: what it covered may or may not be on disk, so it is rejected and the store takes no more writes. */
  private fail(e: unknown, waiters: Waiter[]): void {
    this.broken ??= new StorageError(`the write-ahead log could not be synced to disk (${describe(e)}): the store takes no more writes; restart the node`, { cause: e });
    for (const w of [...waiters, ...this.unsynced.splice(0)]) w.reject(this.broken);
  }

  /** No batch open and every commit synced: what a reader may see is exactly what is on disk. */
  private quiet(): boolean {
    return !this.batch && !this.syncing && this.unsynced.length === 0;
  }

  /** Runs the waiting readers once the state is quiet, then the writes that waited for them. */
  private drain(): void {
    if (!this.quiet()) return;
    for (const r of this.readers.splice(0)) r();
    for (const w of this.deferred.splice(0)) w();
  }

  /** COMMIT (after the hooks' deferred rows); on failure rolls back, tells the hooks and returns false. */
  private commit(onError?: (e: unknown) => void): boolean {
    try {
      this.hooks.beforeCommit();
      this.db.exec("COMMIT");
      this.commits++;
      return true;
    } catch (e) {
      onError?.(e);
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.hooks.rolledBack();
      return false;
    }
  }

  /** Rolls back the whole open transaction and rejects every waiting promise of the batch. */
  private failTransaction(reason: string, cause: unknown): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
    this.hooks.rolledBack();
    const batch = this.batch;
    this.batch = undefined;
    if (!batch) return;
    clearTimeout(batch.timer);
    clearImmediate(batch.quiet);
    const err = new StorageError(`${reason} (${batch.waiters.length} earlier write(s) of the batch rolled back too)`, { cause });
    for (const w of batch.waiters) w.reject(err);
    this.drain();
  }

  private run<T>(fn: () => T): T {
    this.running = true;
    this.hooks.beginWrite();
    try {
      const value = fn();
      if (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function")
        throw new StorageError("write(fn): fn must be synchronous (it returned a promise; the transaction cannot wait for it)");
      return value;
    } finally {
      this.running = false;
    }
  }
}

/** `fn`'s result, or its error, as a promise. */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** fn's own errors (OpError, StoreError, DecodeError…) pass through; SQLite's become StorageErrors. */
function wrap(e: unknown): unknown {
  if (e instanceof Error && e.name === "SqliteError") return new StorageError(`write failed, rolled back: ${describe(e)}`, { cause: e });
  return e;
}
