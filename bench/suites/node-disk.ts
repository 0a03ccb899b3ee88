/**
 * The node's disk (node/storage, SQLite in WAL mode; with group commit synchronous=NORMAL and the
 * node's own WAL fsync before each acknowledgement, as durable as FULL: wal-sync.ts), against raw
 * better-sqlite3 on the same disk in the same run (WAL, synchronous=FULL):
 *
 * Writes are a StoreReplica's `update` over the store's backing (what a node does for a client).
 *
 * - durable writes/s: the store with sync "always" (one fsync'd commit per write) against raw
 *   upserts of the same customer rows into a plain table, one autocommit per row; the store with
 *   group commit (64 writes in flight, as from 64 clients; maxWaitMs 2) against raw upserts
 *   committed in batches of the same size as the store's batches (the same number of fsyncs).
 *   A ratio of 1 would mean the store costs nothing over writing the row itself.
 * - bytes on disk per record: a store of RECORDS customers (phone and email set: two updates
 *   each) against a plain table (id, phone, email) of the same rows; with the delta log, and
 *   after compacting it (what a node holds once every peer has the updates).
 * - opening that store in a fresh process: time, and RSS over the process's own before opening
 *   (then after 1,000 reads spread over the key range).
 *
 * RECORDS is 100,000 by default; `BENCH_NODE_DISK_RECORDS=1000000 npm run bench -- node-disk`
 * builds the 1M-record store (a few minutes on the shared machine).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type Database from "better-sqlite3";
import { openNodeStore, type SqliteNodeStore } from "../../node/storage/index.ts";
import { QUICK_CHECK_MAX_BYTES } from "../../node/storage/open-checks.ts";
import { customerId, emailOf, phoneOf, replicaOver, SCHEMA } from "../node-disk-workload.ts";
import type { BenchRow } from "../types.ts";

export const name = "node-disk";

const require = createRequire(import.meta.url);
const RECORDS = Number(process.env.BENCH_NODE_DISK_RECORDS ?? 100_000);
const ROUNDS = 3;
const ALWAYS_WRITES = 300;
const GROUP_WRITES = 6_400;
const IN_FLIGHT = 64;
/** Writes touch this many customers, so both inserts and updates happen. */
const WORKING_SET = 5_000;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const row = (n: string, value: number, unit: string, note?: string): BenchRow =>
  note === undefined ? { suite: name, name: n, value, unit } : { suite: name, name: n, value, unit, note };

function rawDb(Driver: typeof Database, file: string): Database.Database {
  const db = new Driver(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE customers (id TEXT PRIMARY KEY, phone TEXT, email TEXT) WITHOUT ROWID");
  return db;
}

/** Raw upserts of the same rows the store writes, `perCommit` rows per transaction. Returns rows/s. */
function rawUpserts(Driver: typeof Database, dir: string, writes: number, perCommit: number): number {
  const file = join(dir, `raw-${perCommit}.db`);
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  const db = rawDb(Driver, file);
  const upsert = db.prepare<[string, string]>("INSERT INTO customers (id, phone) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET phone = excluded.phone");
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) upsert.run(customerId(i % WORKING_SET), phoneOf(i));
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < writes; i += perCommit) batch(i, Math.min(writes, i + perCommit));
  const rate = writes / seconds(start);
  db.close();
  return rate;
}

/** Store writes with `inFlight` outstanding at a time; returns writes/s. */
async function storeWrites(store: SqliteNodeStore, writes: number, inFlight: number): Promise<number> {
  const { setField } = replicaOver(store.backing);
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    for (let i = next++; i < writes; i = next++) await store.write(() => setField(customerId(i % WORKING_SET), "phone", phoneOf(i), i));
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return writes / seconds(start);
}

/** Size of a database file with its WAL checkpointed into it. */
function bytesOnDisk(db: Database.Database, file: string): number {
  db.pragma("wal_checkpoint(TRUNCATE)");
  return statSync(file).size;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Rounds interleave the store and its raw baseline, and the median of each is kept: on a shared
 * machine the disk's fsync rate drifts during a run, and both sides see the same drift.
 */
async function throughput(Driver: typeof Database, dir: string): Promise<BenchRow[]> {
  const always = openNodeStore(join(dir, "always"), { schema: SCHEMA, nodeId: "bench-node", sync: { mode: "always" } });
  const group = openNodeStore(join(dir, "group"), { schema: SCHEMA, nodeId: "bench-node", sync: { mode: "group", maxWaitMs: 2 } });
  const rawAlways: number[] = [];
  const storeAlways: number[] = [];
  const rawBatched: number[] = [];
  const storeGroup: number[] = [];
  let perCommit = 1;
  for (let round = 0; round < ROUNDS; round++) {
    rawAlways.push(rawUpserts(Driver, dir, ALWAYS_WRITES, 1));
    storeAlways.push(await storeWrites(always, ALWAYS_WRITES, 1));
    const commits = group.commits;
    storeGroup.push(await storeWrites(group, GROUP_WRITES, IN_FLIGHT));
    perCommit = Math.max(1, Math.round(GROUP_WRITES / (group.commits - commits)));
    rawBatched.push(rawUpserts(Driver, dir, GROUP_WRITES, perCommit));
  }
  await always.close();
  await group.close();
  const [ra, sa, rb, sg] = [rawAlways, storeAlways, rawBatched, storeGroup].map(median) as [number, number, number, number];
  return [
    row("raw upserts, one commit each", ra, "rows/s", "better-sqlite3, WAL, synchronous=FULL: the disk's fsync rate"),
    row("store writes, sync always", sa, "writes/s", `ratio to raw ${(sa / ra).toFixed(2)}`),
    row(`raw upserts, ${perCommit} per commit`, rb, "rows/s", "the same batch size as the store's group commit below"),
    row(
      "store writes, group commit",
      sg,
      "writes/s",
      `${IN_FLIGHT} in flight, maxWaitMs 2, ${perCommit} writes per commit; ratio to raw batched ${(sg / rb).toFixed(2)}, to raw one-commit-each ${(sg / ra).toFixed(1)}`,
    ),
  ];
}

async function sizeAndOpen(Driver: typeof Database, dir: string): Promise<BenchRow[]> {
  const storeDir = join(dir, "big");
  const store = openNodeStore(storeDir, { schema: SCHEMA, nodeId: "bench-node", sync: { mode: "group", maxWaitMs: 50, maxBatch: 5_000 }, cacheObjects: 1_000 });
  const { setField } = replicaOver(store.backing);
  const buildStart = process.hrtime.bigint();
  const CHUNK = 5_000;
  for (let from = 0; from < RECORDS; from += CHUNK) {
    const writes: Promise<void>[] = [];
    for (let i = from; i < Math.min(RECORDS, from + CHUNK); i++)
      writes.push(
        store.write(() => {
          setField(customerId(i), "phone", phoneOf(i), i);
          setField(customerId(i), "email", emailOf(i), i);
        }),
      );
    await Promise.all(writes);
  }
  const buildS = seconds(buildStart);
  const withLog = bytesOnDisk(store.db, store.file);
  await store.write(() => store.backing.logCompact(() => Number.MAX_SAFE_INTEGER));
  store.db.exec("VACUUM");
  const compacted = bytesOnDisk(store.db, store.file);
  await store.close();

  const plainFile = join(dir, "plain.db");
  const plain = rawDb(Driver, plainFile);
  const insert = plain.prepare<[string, string, string]>("INSERT INTO customers (id, phone, email) VALUES (?, ?, ?)");
  plain.transaction(() => {
    for (let i = 0; i < RECORDS; i++) insert.run(customerId(i), phoneOf(i), emailOf(i));
  })();
  const plainBytes = bytesOnDisk(plain, plainFile);
  plain.close();

  const tsx = pathToFileURL(require.resolve("tsx")).href;
  const child = fileURLToPath(new URL("../node-disk-open.ts", import.meta.url));
  const r = spawnSync(process.execPath, ["--import", tsx, child, storeDir, "1000", String(RECORDS)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node-disk bench: the open child failed: ${r.stderr}`);
  const o = JSON.parse(r.stdout) as { openMs: number; rssBefore: number; rssOpen: number; rssRead: number; found: number; bytes: number };
  if (o.found !== 1000) throw new Error(`node-disk bench: the open child found ${o.found} of 1000 records`);
  const mb = (b: number) => b / 1024 / 1024;
  const k = RECORDS.toLocaleString("en-US");
  return [
    row(`build a ${k}-record store`, RECORDS / buildS, "records/s", "2 updates per record, group commit of 5,000 writes"),
    row("bytes per record, store with its delta log", withLog / RECORDS, "B", `ratio to plain table ${(withLog / plainBytes).toFixed(2)}`),
    row("bytes per record, store, log compacted", compacted / RECORDS, "B", `ratio to plain table ${(compacted / plainBytes).toFixed(2)}`),
    row("bytes per record, plain SQLite table (id, phone, email)", plainBytes / RECORDS, "B"),
    row(
      `open a ${k}-record store`,
      o.openMs,
      "ms",
      `fresh process; ${(o.bytes / 1024 / 1024).toFixed(0)} MB file, ${o.bytes <= QUICK_CHECK_MAX_BYTES ? "quick_check run (≤ 64 MiB)" : "no quick_check (> 64 MiB)"}`,
    ),
    row(`RSS after opening a ${k}-record store`, mb(o.rssOpen - o.rssBefore), "MB", `over the process's own ${mb(o.rssBefore).toFixed(0)} MB (better-sqlite3 loaded)`),
    row(`RSS after 1,000 reads of a ${k}-record store`, mb(o.rssRead - o.rssBefore), "MB", "cacheObjects 10,000"),
  ];
}

export async function run(): Promise<BenchRow[]> {
  const Driver = require("better-sqlite3") as typeof Database;
  const dir = mkdtempSync(join(tmpdir(), "memoconductor-node-disk-"));
  try {
    return [...(await throughput(Driver, dir)), ...(await sizeAndOpen(Driver, dir))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
