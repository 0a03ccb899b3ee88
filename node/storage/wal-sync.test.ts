/**
 * Group commit with the WAL's own fsync (wal-sync.ts): a write is acknowledged only once the
 * sync that covers its COMMIT has called back; the next batch's writes run meanwhile; a reader
 * waits for a moment when everything committed is synced and no batch is open (and holds off
 * new batches until then); a failed sync rejects what it covered and every later write.
 * The sync is held or failed by hand, as a slow or failing disk would.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bump, SCHEMA, tempDirs, views } from "./_test/workload.ts";
import { openNodeStore, type SqliteNodeStore, StorageError } from "./index.ts";
import { WalSync } from "./wal-sync.ts";

const dirs = tempDirs();
const open: SqliteNodeStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  dirs.cleanup();
});

function groupStore(dir = dirs.make()): SqliteNodeStore {
  const s = openNodeStore(dir, { schema: SCHEMA, nodeId: "n1", sync: { mode: "group", maxWaitMs: 5 } });
  open.push(s);
  return s;
}

/** Holds the store's WAL syncs until `release(err?)` ends the oldest held one (the real fsync runs then). */
function holdSyncs(s: SqliteNodeStore): { held(): number; release(err?: Error): void } {
  const wal = s.walSync;
  if (!wal) throw new Error("the store has no WAL sync of its own (sync always?)");
  const sync = wal.sync.bind(wal);
  const held: ((err: Error | null) => void)[] = [];
  wal.sync = (done) => held.push(done);
  return {
    held: () => held.length,
    release: (err) => {
      const done = held.shift();
      if (!done) throw new Error("no sync is held");
      if (err) done(err);
      else sync(done);
    },
  };
}

/** Lets pending immediates, timers of a few ms and I/O callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 30));

describe("group commit over the WAL's own sync", () => {
  it("acknowledges a write only once the sync of its commit calls back, and runs the next batch meanwhile", async () => {
    const s = groupStore();
    const hold = holdSyncs(s);
    const acked: string[] = [];
    const first = s.write(() => bump(s.backing, "a")).then(() => acked.push("first"));
    await settle();
    expect([s.commits, hold.held(), acked]).toEqual([1, 1, []]);
    const second = s.write(() => bump(s.backing, "b")).then(() => acked.push("second"));
    await settle();
    // The second batch committed while the first one's sync was running; it waits for the next sync.
    expect([s.commits, hold.held(), acked]).toEqual([2, 1, []]);
    hold.release();
    await first;
    await settle();
    expect([acked, hold.held()]).toEqual([["first"], 1]);
    hold.release();
    await second;
    expect(acked).toEqual(["first", "second"]);
  });

  it("a read waits until every commit is synced, and a write arriving meanwhile waits for the read", async () => {
    const s = groupStore();
    const hold = holdSyncs(s);
    const w1 = s.write(() => bump(s.backing, "a"));
    await settle();
    expect([s.commits, hold.held()]).toEqual([1, 1]);
    let seen: [number, number] | undefined;
    const read = s.read(() => (seen = [views(s.backing, "a"), views(s.backing, "b")]));
    let ran = false;
    const w2 = s.write(() => {
      ran = true;
      return bump(s.backing, "b");
    });
    await settle();
    expect([seen, ran, s.commits]).toEqual([undefined, false, 1]);
    hold.release();
    await Promise.all([w1, read]);
    expect(seen).toEqual([1, 0]);
    await settle();
    expect(ran).toBe(true);
    hold.release();
    await w2;
    expect(views(s.backing, "b")).toBe(1);
  });

  it("a failed sync rejects the writes it covered and every later one; a restart reads what the disk kept", async () => {
    const dir = dirs.make();
    const s = groupStore(dir);
    await s.write(() => bump(s.backing, "a"));
    const hold = holdSyncs(s);
    const lost = s.write(() => bump(s.backing, "a"));
    await settle();
    hold.release(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
    await expect(lost).rejects.toThrow(/the write-ahead log could not be synced to disk \(EIO: i\/o error, fsync\): the store takes no more writes/);
    await expect(s.write(() => bump(s.backing, "b"))).rejects.toBeInstanceOf(StorageError);
    await s.close();
    const again = openNodeStore(dir);
    open.push(again);
    // The rejected write's commit happened (only its sync failed): whether the disk kept it is unknown, never half of it.
    expect([1, 2]).toContain(views(again.backing, "a"));
    expect(views(again.backing, "b")).toBe(0);
  });

  it("with sync always there is no sync of the node's own: SQLite's COMMIT syncs", () => {
    const s = openNodeStore(dirs.make(), { schema: SCHEMA, nodeId: "n1", sync: { mode: "always" } });
    open.push(s);
    expect([s.walSync, s.db.pragma("synchronous", { simple: true })]).toEqual([undefined, 2]);
    expect(groupStore().db.pragma("synchronous", { simple: true })).toBe(1);
  });
});

describe("WalSync", () => {
  it("calls back at once when there is no WAL file yet, and syncs one once it exists", async () => {
    const dir = dirs.make();
    const wal = new WalSync(`${dir}/none-wal`);
    await expect(new Promise((r) => wal.sync(r))).resolves.toBeNull();
    wal.syncNow();
    const s = groupStore(dir);
    await s.write(() => bump(s.backing, "a"));
    const own = new WalSync(`${s.file}-wal`);
    await expect(new Promise((r) => own.sync(r))).resolves.toBeNull();
    own.syncNow();
    own.close();
    wal.close();
  });
});
