/**
 * Directories written whole (atomic-dir.ts) under a per-directory lock (dir-lock.ts): a failed
 * write leaves the old directory as it was, leftovers of a dead writer are cleaned (or, for a
 * death between the two renames, the old directory restored), a stale lock is taken over, and a
 * live one makes a second writer give up naming the holder's pid.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeDirAtomically } from "./atomic-dir.ts";
import { LockBusyError, lockDir, lockFileOf, pidAlive } from "./dir-lock.ts";

const root = mkdtempSync(join(tmpdir(), "mc-atomic-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const parentDir = () => {
  const p = join(root, String(++n));
  mkdirSync(p);
  return p;
};
const files = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
const put = (content: Record<string, string>) => (tmp: string) => {
  for (const [f, t] of Object.entries(content)) writeFileSync(join(tmp, f), t);
};

/** The pid of a process that has ended (a child run to completion). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""], { timeout: 20_000 });
  expect(pidAlive(r.pid!)).toBe(false);
  return r.pid!;
}

describe("writeDirAtomically", () => {
  it("replaces the directory whole (files the new content lacks are gone) and leaves nothing beside it", () => {
    const parent = parentDir();
    const dir = join(parent, "7");
    writeDirAtomically(dir, put({ "a.txt": "old a", "trace.jsonl": "old trace" }));
    writeDirAtomically(dir, put({ "a.txt": "new a" }));
    expect(files(dir)).toEqual({ "a.txt": "new a" });
    expect(readdirSync(parent)).toEqual(["7"]);
  });

  it("a writer that throws between two writes leaves the old directory intact and no temp dir", () => {
    const parent = parentDir();
    const dir = join(parent, "7");
    writeDirAtomically(dir, put({ "a.txt": "old a", "b.txt": "old b" }));
    const crash = (tmp: string) => {
      writeFileSync(join(tmp, "a.txt"), "new a");
      throw new Error("crash between writes");
    };
    expect(() => writeDirAtomically(dir, crash)).toThrow("crash between writes");
    expect(files(dir)).toEqual({ "a.txt": "old a", "b.txt": "old b" });
    expect(readdirSync(parent)).toEqual(["7"]);
  });

  it("cleans up after a writer killed mid-write: its lock, temp dir and private lock file", () => {
    const parent = parentDir();
    const dir = join(parent, "7");
    writeDirAtomically(dir, put({ "a.txt": "old" }));
    const dead = deadPid();
    writeFileSync(lockFileOf(dir), `${dead}\n`);
    writeFileSync(`${lockFileOf(dir)}.${dead}`, `${dead}\n`);
    mkdirSync(join(parent, `.7.tmp-${dead}`));
    writeFileSync(join(parent, `.7.tmp-${dead}`, "a.txt"), "half");
    writeDirAtomically(dir, put({ "a.txt": "new" }));
    expect(files(dir)).toEqual({ "a.txt": "new" });
    expect(readdirSync(parent)).toEqual(["7"]);
  });

  it("a writer killed between its two renames: the old directory is put back, and stays if the next write fails", () => {
    const parent = parentDir();
    const dir = join(parent, "7");
    const dead = deadPid();
    mkdirSync(join(parent, `.7.old-${dead}`));
    writeFileSync(join(parent, `.7.old-${dead}`, "a.txt"), "old");
    mkdirSync(join(parent, `.7.tmp-${dead}`));
    writeFileSync(lockFileOf(dir), `${dead}\n`);
    expect(() =>
      writeDirAtomically(dir, () => {
        throw new Error("fails too");
      }),
    ).toThrow("fails too");
    expect(files(dir)).toEqual({ "a.txt": "old" });
    expect(readdirSync(parent)).toEqual(["7"]);
  });

  it("a second writer of the same directory while the first is writing is refused, and the first completes", () => {
    const parent = parentDir();
    const dir = join(parent, "7");
    let inner: unknown;
    writeDirAtomically(dir, (tmp) => {
      writeFileSync(join(tmp, "a.txt"), "first");
      try {
        writeDirAtomically(dir, put({ "a.txt": "second", "trace.jsonl": "x" }), { waitMs: 50 });
      } catch (e) {
        inner = e;
      }
      writeFileSync(join(tmp, "b.txt"), "first");
    });
    expect(inner).toBeInstanceOf(LockBusyError);
    expect((inner as Error).message).toBe(`${dir} is being written by another run (pid ${process.pid}); try again when it ends`);
    expect(files(dir)).toEqual({ "a.txt": "first", "b.txt": "first" });
    expect(readdirSync(parent)).toEqual(["7"]);
  });
});

describe("lockDir", () => {
  it("takes over a lock whose process is dead, and releases only its own lock", () => {
    const dir = join(parentDir(), "7");
    const lock = lockFileOf(dir);
    writeFileSync(lock, `${deadPid()}\n`);
    const release = lockDir(dir, { waitMs: 0 });
    expect(readFileSync(lock, "utf8")).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it("waits for a live holder for the time given, then names its pid", async () => {
    const dir = join(parentDir(), "7");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore", timeout: 60_000 });
    try {
      await new Promise((r) => holder.once("spawn", r));
      writeFileSync(lockFileOf(dir), `${holder.pid}\n`);
      expect(() => lockDir(dir, { waitMs: 100 })).toThrow(`${dir} is being written by another run (pid ${holder.pid})`);
      expect(readFileSync(lockFileOf(dir), "utf8")).toBe(`${holder.pid}\n`);
    } finally {
      process.kill(holder.pid!);
    }
  });
});
