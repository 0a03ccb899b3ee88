/**
 * One writer at a time per directory: an exclusive lock file `<parent>/<name>.lock` holding the
 * writer's pid. A second writer polls for a bounded time, then gives up naming the holder; a lock
 * whose pid is no longer alive (a writer killed mid-write) is taken over.
 *
 * The lock file is made complete before it appears (written under a private name, then
 * hard-linked into place, which fails if a lock exists), so a reader never sees it empty.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** How long a second writer waits for the first (writing a run directory takes well under this). */
export const LOCK_WAIT_MS = 10_000;
const POLL_MS = 20;

export class LockBusyError extends Error {}

export function lockFileOf(dir: string): string {
  return join(dirname(dir), `${basename(dir)}.lock`);
}

/** Whether a process with this pid exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const pidIn = (file: string): number | undefined => {
  try {
    const n = Number(readFileSync(file, "utf8").trim());
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined; // gone meanwhile
  }
};

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** Creates `lock` holding our pid; false if a lock is already there. */
function tryCreate(lock: string): boolean {
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    linkSync(mine, lock);
    return true;
  } catch (e) {
    if (errnoOf(e) === "EEXIST") return false;
    if (!["EPERM", "ENOTSUP", "ENOSYS"].includes(errnoOf(e) ?? "")) throw e;
    // A file system without hard links: create it exclusively in place (a reader may then see
    // it empty for an instant, and waits as for a live holder).
    return createExclusive(lock);
  } finally {
    unlinkSync(mine);
  }
}

function createExclusive(lock: string): boolean {
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
    return true;
  } catch (e) {
    if (errnoOf(e) === "EEXIST") return false;
    throw e;
  }
}

/**
 * Removes a lock left by dead `pid`. Two writers may find the same stale lock: the lock is moved
 * aside first, and if what was moved is not the stale one (the other writer had already taken
 * over and locked), it is put back.
 */
function takeOver(lock: string, pid: number): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch (e) {
    if (errnoOf(e) === "ENOENT") return;
    throw e;
  }
  if (pidIn(aside) !== pid) {
    try {
      linkSync(aside, lock);
    } catch (e) {
      if (errnoOf(e) !== "EEXIST") throw e;
    }
  }
  unlinkSync(aside);
}

/**
 * Takes the lock of `dir` and returns its release. Throws LockBusyError when another live
 * process holds it for longer than `waitMs`.
 */
export function lockDir(dir: string, o: { waitMs?: number } = {}): () => void {
  const lock = lockFileOf(dir);
  const deadline = Date.now() + (o.waitMs ?? LOCK_WAIT_MS);
  for (;;) {
    if (tryCreate(lock)) break;
    const holder = pidIn(lock);
    if (holder !== undefined && holder !== process.pid && !pidAlive(holder)) {
      takeOver(lock, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(`${dir} is being written by another run (pid ${holder ?? "unknown"}); try again when it ends`);
    sleep(POLL_MS);
  }
  return () => {
    if (pidIn(lock) === process.pid) unlinkSync(lock);
  };
}
