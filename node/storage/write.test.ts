/**
 * `write(fn)`: one commit per write with sync "always"; with group commit one commit per batch
 * (by time or by size), and no promise resolved before its commit; a write that throws undoes
 * only itself; a commit that fails rejects its whole batch and leaves the store serving the
 * durable state; a full disk (SQLite's max_page_count, a real SQLITE_FULL) fails the write and
 * nothing else, and writes succeed again once there is room.
 */
import { afterEach, describe, expect, it } from "vitest";
import { failNextCommit } from "./_test/faults.ts";
import { bump, SCHEMA, tempDirs, views } from "./_test/workload.ts";
import { openNodeStore, type SqliteNodeStore, StorageError, type SyncPolicy } from "./index.ts";

const dirs = tempDirs();
const open: SqliteNodeStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  dirs.cleanup();
});

function store(sync: SyncPolicy, dir = dirs.make()): SqliteNodeStore {
  const s = openNodeStore(dir, { schema: SCHEMA, nodeId: "n1", sync });
  open.push(s);
  return s;
}

/** Settles pending microtasks and timers of 0 ms, so a promise that could resolve now has. */
const tick = () => new Promise((r) => setImmediate(r));

describe("write(fn) with sync always", () => {
  it("commits once per write and resolves with fn's result", async () => {
    const s = store({ mode: "always" });
    for (let i = 0; i < 5; i++) expect(await s.write(() => bump(s.backing, "a"))).toBe(i + 1);
    expect(s.commits).toBe(5);
    expect(views(s.backing, "a")).toBe(5);
  });

  it("a write that throws rolls back and rejects with fn's own error", async () => {
    const s = store({ mode: "always" });
    await s.write(() => bump(s.backing, "a"));
    await expect(
      s.write(() => {
        bump(s.backing, "a");
        bump(s.backing, "b");
        throw new RangeError("no");
      }),
    ).rejects.toThrow(RangeError);
    expect([views(s.backing, "a"), views(s.backing, "b"), s.backing.logSize()]).toEqual([1, 0, 1]);
    expect(s.backing.knowledge("views")?.toJSON()).toEqual({ vv: { n1: 1 }, cloud: [] });
  });

  it("refuses a nested write and an async fn", async () => {
    const s = store({ mode: "always" });
    let inner: Promise<unknown> | undefined;
    await s.write(() => {
      inner = s.write(() => 1);
    });
    await expect(inner).rejects.toThrow(/inside a write/);
    await expect(s.write(async () => 1)).rejects.toThrow(/must be synchronous/);
  });
});

describe("write(fn) with group commit", () => {
  it("one commit for the writes of a time window, and no promise resolves before it", async () => {
    const s = store({ mode: "group", maxWaitMs: 200 });
    const resolved: number[] = [];
    const seenAtResolve: [number, boolean][] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      s
        .write(() => bump(s.backing, `k${i}`))
        .then(() => {
          resolved.push(i);
          seenAtResolve.push([s.commits, s.db.inTransaction]);
        }),
    );
    await tick();
    expect(resolved).toEqual([]);
    expect([s.commits, s.db.inTransaction]).toEqual([0, true]); // written in the open batch, not committed
    await Promise.all(all);
    expect(s.commits).toBe(1);
    expect(resolved).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // When each promise resolved, its batch had been committed (and no new one was open).
    expect(seenAtResolve).toEqual(Array(10).fill([1, false]));
  });

  it("ackBeforeCommit (the deliberate bug cluster mode's durability check must catch): resolved at once, committed only by the timer", async () => {
    const s = store({ mode: "group", maxWaitMs: 150, ackBeforeCommit: true });
    await s.write(() => bump(s.backing, "a"));
    await tick();
    await tick();
    expect([s.commits, s.db.inTransaction]).toEqual([0, true]); // answered, yet not on disk: a kill -9 now loses it
    await new Promise((r) => setTimeout(r, 300));
    expect([s.commits, s.db.inTransaction]).toEqual([1, false]);
  });

  it("commits as soon as a batch holds maxBatch writes", async () => {
    const s = store({ mode: "group", maxWaitMs: 60_000, maxBatch: 3 });
    const all = Array.from({ length: 6 }, () => s.write(() => bump(s.backing, "a")));
    expect(s.commits).toBe(2); // at the 3rd and the 6th write, without waiting for the timer
    await Promise.all(all);
    expect(views(s.backing, "a")).toBe(6);
  });

  it("a write that throws undoes only its own writes; the rest of its batch commits", async () => {
    const dir = dirs.make();
    const s = store({ mode: "group", maxWaitMs: 20 }, dir);
    const ok1 = s.write(() => bump(s.backing, "a"));
    const bad = s.write(() => {
      bump(s.backing, "a", "n1", 100);
      bump(s.backing, "b");
      throw new Error("no");
    });
    const ok2 = s.write(() => bump(s.backing, "c"));
    await expect(bad).rejects.toThrow("no");
    expect(await Promise.all([ok1, ok2])).toEqual([1, 2]);
    expect(s.commits).toBe(1);
    await s.close();
    const again = openNodeStore(dir);
    open.push(again);
    expect(["a", "b", "c"].map((id) => views(again.backing, id))).toEqual([1, 0, 1]);
    expect(again.backing.knowledge("views")?.toJSON()).toEqual({ vv: { n1: 2 }, cloud: [] });
  });

  it("a failed commit rejects every write of the batch with a StorageError; the store serves the durable state and writes again", async () => {
    const dir = dirs.make();
    const s = store({ mode: "group", maxWaitMs: 20 }, dir);
    await s.write(() => bump(s.backing, "a"));
    failNextCommit(s);
    const batch = [s.write(() => bump(s.backing, "a")), s.write(() => bump(s.backing, "b"))];
    const results = await Promise.allSettled(batch);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/commit failed, 2 write\(s\) rolled back: SQLITE_IOERR: disk I\/O error/);
    }
    expect([views(s.backing, "a"), views(s.backing, "b"), s.backing.logSize()]).toEqual([1, 0, 1]);
    expect(s.backing.knowledge("views")?.toJSON()).toEqual({ vv: { n1: 1 }, cloud: [] });
    expect(await s.write(() => bump(s.backing, "b"))).toBe(2);
    await s.close();
    const again = openNodeStore(dir);
    open.push(again);
    expect([views(again.backing, "a"), views(again.backing, "b")]).toEqual([1, 1]);
  });

  it("close() commits the open batch first", async () => {
    const dir = dirs.make();
    const s = store({ mode: "group", maxWaitMs: 60_000 }, dir);
    const w = s.write(() => bump(s.backing, "a"));
    await s.close();
    await expect(w).resolves.toBe(1);
    await expect(s.write(() => 1)).rejects.toThrow(/closed/);
    const again = openNodeStore(dir);
    open.push(again);
    expect(views(again.backing, "a")).toBe(1);
  });
});

describe("a full disk (SQLITE_FULL through max_page_count)", () => {
  /** A write big enough to need new pages: 300 new objects. */
  const big = (s: SqliteNodeStore) => () => {
    for (let i = 0; i < 300; i++) bump(s.backing, `big-${i}`);
  };

  for (const sync of [{ mode: "always" }, { mode: "group", maxWaitMs: 10 }] satisfies SyncPolicy[]) {
    it(`fails the write, keeps nothing of it, and writes again once there is room (sync ${sync.mode})`, async () => {
      const dir = dirs.make();
      const s = store(sync, dir);
      for (let i = 0; i < 5; i++) await s.write(() => bump(s.backing, "a"));
      const pages = s.db.pragma("page_count", { simple: true }) as number;
      s.db.pragma(`max_page_count = ${pages}`);
      const small = s.write(() => bump(s.backing, "a"));
      const full = s.write(big(s));
      const err = await full.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StorageError);
      expect(String(err)).toMatch(/SQLITE_FULL/);
      // The small write either committed (SQLite kept the transaction) or was rejected with the
      // batch (SQLite dropped it): never half of it. Its fate and the reads must agree.
      const smallOk = await small.then(
        () => true,
        () => false,
      );
      const expectA = smallOk ? 6 : 5;
      expect([views(s.backing, "a"), views(s.backing, "big-0"), s.backing.count("views")]).toEqual([expectA, 0, 1]);
      expect(s.backing.knowledge("views")?.toJSON()).toEqual({ vv: { n1: expectA }, cloud: [] });
      s.db.pragma("max_page_count = 1073741823");
      await s.write(big(s));
      expect(views(s.backing, "big-299")).toBe(1);
      await s.close();
      const again = openNodeStore(dir);
      open.push(again);
      expect([views(again.backing, "a"), views(again.backing, "big-299"), again.backing.count("views")]).toEqual([expectA, 1, 301]);
      expect(again.backing.logSize()).toBe(expectA + 300);
    });
  }
});
