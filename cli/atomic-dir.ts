/**
 * Writes a directory as one step: readers see the old directory or the new one, whole, never a
 * mix. The new content is built in a temp dir beside the target (same parent, so the renames
 * stay on one file system and are atomic), then swapped in: old aside, new in, old removed.
 * Writers of the same directory take its lock (dir-lock.ts) for the whole build-and-swap.
 *
 * A writer that dies leaves at most its temp dir, the old dir moved aside, or a lock: the next
 * writer of that directory, holding the lock, cleans them up — and if the death fell between the
 * two renames, first puts the old directory back where it was.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { lockDir, lockFileOf, pidAlive } from "./dir-lock.ts";

const tmpName = (base: string) => `.${base}.tmp-${process.pid}`;
const oldName = (base: string) => `.${base}.old-${process.pid}`;

/** Leftovers of writers of `base` that died: temp dirs, moved-aside old dirs, private lock files. */
function leftovers(parent: string, base: string): { tmp: string[]; old: string[]; lockFiles: string[] } {
  const names = readdirSync(parent).sort();
  const lockFile = basename(lockFileOf(join(parent, base)));
  const privateLock = (n: string) => /^\.(?:stale-)?(\d+)$/.exec(n.slice(lockFile.length));
  return {
    tmp: names.filter((n) => n.startsWith(`.${base}.tmp-`)),
    old: names.filter((n) => n.startsWith(`.${base}.old-`)),
    lockFiles: names.filter((n) => n.startsWith(lockFile) && privateLock(n) && !pidAlive(Number(privateLock(n)![1]))),
  };
}

/** Called with the lock held: no live writer of this directory owns any of these. */
function cleanUp(parent: string, dir: string): void {
  const left = leftovers(parent, basename(dir));
  const restore = !existsSync(dir) ? left.old[0] : undefined;
  if (restore !== undefined) renameSync(join(parent, restore), dir);
  for (const n of [...left.tmp, ...left.old.filter((n) => n !== restore), ...left.lockFiles]) rmSync(join(parent, n), { recursive: true, force: true });
}

export type AtomicDirOptions = {
  /** How long to wait for another writer of the same directory. */
  waitMs?: number;
};

/**
 * Runs `fn` holding the lock of `dir`, after cleaning up what dead writers of `dir` left (so
 * `dir` is whole when `fn` starts). For work done in place, like rewriting a run's views.
 */
export function withDirLock<T>(dir: string, fn: () => T, o: AtomicDirOptions = {}): T {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const release = lockDir(dir, o.waitMs === undefined ? {} : { waitMs: o.waitMs });
  try {
    cleanUp(parent, dir);
    return fn();
  } finally {
    release();
  }
}

/**
 * Replaces `dir` with what `fill` writes into the temp dir it is given. If `fill` throws, `dir`
 * is untouched and the temp dir is removed.
 */
export function writeDirAtomically(dir: string, fill: (tmp: string) => void, o: AtomicDirOptions = {}): void {
  const parent = dirname(dir);
  const base = basename(dir);
  withDirLock(
    dir,
    () => {
      const tmp = join(parent, tmpName(base));
      try {
        mkdirSync(tmp);
        fill(tmp);
        swapIn(dir, tmp, join(parent, oldName(base)));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    o,
  );
}

/** A directory replaced but not yet committed (replaceDirHeld). */
export type HeldDir = { commit(): void; rollBack(): void };

/**
 * Replaces `dir` now with what `fill` writes, and keeps holding its lock while the caller goes on
 * writing into it (a run streaming its trace): `commit` then removes the old directory, `rollBack`
 * puts it back; both release the lock. A writer killed meanwhile leaves the new directory as far
 * as it got (the next writer removes the old one, as for any leftover).
 */
export function replaceDirHeld(dir: string, fill: (tmp: string) => void, o: AtomicDirOptions = {}): HeldDir {
  const parent = dirname(dir);
  const base = basename(dir);
  mkdirSync(parent, { recursive: true });
  const release = lockDir(dir, o.waitMs === undefined ? {} : { waitMs: o.waitMs });
  const tmp = join(parent, tmpName(base));
  const old = join(parent, oldName(base));
  try {
    cleanUp(parent, dir);
    mkdirSync(tmp);
    fill(tmp);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    release();
    throw e;
  }
  let done = false;
  const finish = (keepNew: boolean) => {
    if (done) return;
    done = true;
    try {
      if (keepNew) rmSync(old, { recursive: true, force: true });
      else {
        rmSync(dir, { recursive: true, force: true });
        if (existsSync(old)) renameSync(old, dir);
      }
    } finally {
      release();
    }
  };
  return { commit: () => finish(true), rollBack: () => finish(false) };
}

function swapIn(dir: string, tmp: string, old: string): void {
  if (!existsSync(dir)) return renameSync(tmp, dir);
  renameSync(dir, old);
  try {
    renameSync(tmp, dir);
  } catch (e) {
    renameSync(old, dir);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}
