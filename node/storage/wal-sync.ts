/**
 * The fsync of a SQLite database's write-ahead log, done by the node instead of by SQLite, so
 * that group commit can run it on libuv's thread pool while the next batch's writes run.
 *
 * Why it is as durable as synchronous=FULL: in WAL mode the only sync FULL adds over NORMAL is
 * the WAL's, after each COMMIT (https://sqlite.org/pragma.html#pragma_synchronous); NORMAL
 * still syncs the WAL before a checkpoint, the database after it, and the WAL's header when the
 * file is reused. COMMIT has written the transaction's frames into the WAL (write(2), in the
 * page cache) by the time it returns; fsync(2) on our own descriptor of the same file flushes
 * the file's data whatever descriptor wrote it. So a batch whose `sync` has called back is on
 * disk exactly as FULL would have put it there — and nothing is acknowledged before that.
 *
 * SQLite syncs a new WAL's directory entry at the WAL's first sync (os_unix.c, DIRSYNC); so do
 * we, once per WAL file we open.
 */
import { closeSync, fsync, fsyncSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";

export class WalSync {
  private fd: number | undefined;
  private ino: number | undefined;
  /** Descriptors of a WAL file SQLite replaced (never expected while the store is open), closed with the rest. */
  private readonly retired: number[] = [];
  private inFlight = 0;
  private closing = false;

  constructor(private readonly walFile: string) {}

  /** Syncs the WAL on the thread pool; `done(null)` once everything committed before the call is on disk. */
  sync(done: (err: Error | null) => void): void {
    let fd: number | undefined;
    try {
      fd = this.descriptor();
    } catch (e) {
      queueMicrotask(() => done(e as Error));
      return;
    }
    // No WAL yet: nothing was ever committed into one, so nothing waits for a sync.
    if (fd === undefined) return queueMicrotask(() => done(null));
    this.inFlight++;
    fsync(fd, (err) => {
      if (--this.inFlight === 0 && this.closing) this.closeAll();
      done(err);
    });
  }

  /** Syncs the WAL now (close, and a commit whose caller cannot wait); throws on failure. */
  syncNow(): void {
    const fd = this.descriptor();
    if (fd !== undefined) fsyncSync(fd);
  }

  /** Closes the descriptors once no sync is running on them. */
  close(): void {
    this.closing = true;
    if (this.inFlight === 0) this.closeAll();
  }

  /** Our descriptor of the WAL file now at its path (undefined when there is none), opened on first use. */
  private descriptor(): number | undefined {
    let ino: number;
    try {
      ino = statSync(this.walFile).ino;
    } catch (e) {
      if ((e as { code?: unknown }).code === "ENOENT") return undefined;
      throw e;
    }
    if (this.fd !== undefined && ino === this.ino) return this.fd;
    if (this.fd !== undefined) this.retired.push(this.fd);
    this.fd = openSync(this.walFile, "r");
    this.ino = ino;
    const dir = openSync(dirname(this.walFile), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return this.fd;
  }

  private closeAll(): void {
    for (const fd of this.retired.splice(0)) closeSync(fd);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
