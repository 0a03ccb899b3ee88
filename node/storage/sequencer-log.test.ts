/**
 * The sequencer's log on disk: core's Sequencer over `store.sequencer` continues after a close
 * and reopen without repeating a number (snapshots and log truncation included); records
 * synced inside a write are durable with it and gone with it when it is rolled back; a sync
 * outside any write commits at once.
 */
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { Sequencer } from "../../core/index.ts";
import { SCHEMA, tempDirs } from "./_test/workload.ts";
import { openNodeStore, type SqliteNodeStore } from "./index.ts";

const Driver = createRequire(import.meta.url)("better-sqlite3") as typeof Database;
const dirs = tempDirs();
const open: SqliteNodeStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  dirs.cleanup();
});

function store(dir: string): SqliteNodeStore {
  const s = openNodeStore(dir, { schema: SCHEMA, nodeId: "n1", sync: { mode: "group", maxWaitMs: 5 } });
  open.push(s);
  return s;
}

/** Asks for the next number of `name` inside one write, as a node serves `next`; resolves once durable. */
async function next(s: SqliteNodeStore, seq: Sequencer, client: string, requestId: number, name = "invoice"): Promise<number> {
  const step = await s.write(() => seq.handle({ type: "seq.next", client, requestId, name, done: requestId }));
  const msg = step.out[0]?.msg as { n: number } | undefined;
  if (!msg) throw new Error("no answer");
  return msg.n;
}

describe("the sequencer's durable log", () => {
  it("never repeats a number across closes and reopens (with snapshots every 3 records)", async () => {
    const dir = dirs.make();
    const got: number[] = [];
    let req = 0;
    for (let round = 0; round < 4; round++) {
      const s = store(dir);
      const seq = Sequencer.recover(s.sequencer, { snapshotEvery: 3 });
      for (let i = 0; i < 5; i++) got.push(await next(s, seq, round % 2 ? "c1" : "c2", ++req));
      await s.close();
    }
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const db = new Driver(`${dir}/memoconductor.db`, { readonly: true });
    try {
      // Snapshots replaced the records before them: the log holds fewer rows than the 20 assignments.
      expect(db.prepare("SELECT count(*) FROM seq_log").pluck().get()).toBeLessThan(3);
      expect(db.prepare("SELECT count(*) FROM seq_snapshot").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it("a retried request gets the same number after a restart", async () => {
    const dir = dirs.make();
    let s = store(dir);
    const n = await next(s, Sequencer.recover(s.sequencer), "c", 7);
    await s.close();
    s = store(dir);
    expect(await next(s, Sequencer.recover(s.sequencer), "c", 7)).toBe(n);
  });

  it("records of a write that is rolled back are not kept, staged or durable", async () => {
    const s = store(dirs.make());
    const seq = Sequencer.recover(s.sequencer);
    expect(await next(s, seq, "c", 1)).toBe(1);
    await expect(
      s.write(() => {
        seq.handle({ type: "seq.next", client: "c", requestId: 2, name: "invoice", done: 2 });
        throw new Error("the answer could not be built");
      }),
    ).rejects.toThrow("could not be built");
    expect(s.sequencer.pending).toBe(0);
    expect(s.sequencer.load().log.map((r) => r.n)).toEqual([1]);
    // The node rebuilds its sequencer after a rejected write; numbering goes on from the durable log.
    expect(await next(s, Sequencer.recover(s.sequencer), "c", 3)).toBe(2);
  });

  it("append + sync outside a write commits at once (sync returning means durable)", () => {
    const s = store(dirs.make());
    s.sequencer.append({ name: "x", n: 1, client: "c", requestId: 1, done: 0 });
    expect(s.sequencer.pending).toBe(1);
    const before = s.commits;
    s.sequencer.sync();
    expect([s.sequencer.pending, s.commits - before]).toEqual([0, 1]);
    expect(s.db.inTransaction).toBe(false);
    expect(s.db.prepare("SELECT n FROM seq_log").pluck().all()).toEqual([1]);
  });
});
