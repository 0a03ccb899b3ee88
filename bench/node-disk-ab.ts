/**
 * Same-process A/B of the node-disk group-commit workload between two checkouts (not a suite:
 * run by hand). Both checkouts' stores are loaded into ONE process (two module graphs) and their
 * rounds interleaved, so both see the same load on a shared machine; what is compared is the
 * CPU time per durable write (process.cpuUsage), not the wall clock the disk's fsync dominates.
 * Raw batched upserts (64 per commit) are measured in the same process for reference.
 *
 *   BASE=/path/to/other/checkout nice npx tsx bench/node-disk-ab.ts
 *
 * BASE defaults to this checkout (an A/A run: the noise floor). ROUNDS (8) and WRITES (6,400)
 * per round. Prints one JSON line: medians of µs of CPU per write, and new/base (median of the
 * per-round ratios). A checkout without node_modules needs a symlink to one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import type * as Storage from "../node/storage/index.ts";
import type * as Workload from "./node-disk-workload.ts";

const here = resolve(fileURLToPath(new URL("..", import.meta.url)));
const roots = { base: resolve(process.env.BASE ?? here), new: here };
const WRITES = Number(process.env.WRITES ?? 6400);
const ROUNDS = Number(process.env.ROUNDS ?? 8);
const WORKING_SET = 5000;
const IN_FLIGHT = 64;

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Side = { store: Storage.SqliteNodeStore; w: typeof Workload; set: ReturnType<typeof Workload.replicaOver>["setField"]; next: number; cpu: number[] };

const dir = mkdtempSync(join(tmpdir(), "memoconductor-node-disk-ab-"));
const sides = {} as Record<"base" | "new", Side>;
for (const [k, root] of Object.entries(roots) as ["base" | "new", string][]) {
  const storage = (await import(join(root, "node/storage/index.ts"))) as typeof Storage;
  const w = (await import(join(root, "bench/node-disk-workload.ts"))) as typeof Workload;
  const store = storage.openNodeStore(join(dir, k), { schema: w.SCHEMA, nodeId: w.NODE, sync: { mode: "group", maxWaitMs: 2 } });
  sides[k] = { store, w, set: w.replicaOver(store.backing).setField, next: 0, cpu: [] };
}

async function storeRound(s: Side): Promise<number> {
  const from = s.next;
  s.next += WRITES;
  let i = 0;
  const start = cpu();
  const worker = async () => {
    for (let k = i++; k < WRITES; k = i++) await s.store.write(() => s.set(s.w.customerId((from + k) % WORKING_SET), "phone", s.w.phoneOf(from + k), from + k));
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return (cpu() - start) / WRITES;
}

const Driver = createRequire(join(roots.new, "package.json"))("better-sqlite3") as typeof Database;
const { customerId, phoneOf } = sides.new.w;
function rawRound(perCommit: number): number {
  const file = join(dir, "raw.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  const db = new Driver(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE customers (id TEXT PRIMARY KEY, phone TEXT, email TEXT) WITHOUT ROWID");
  const upsert = db.prepare<[string, string]>("INSERT INTO customers (id, phone) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET phone = excluded.phone");
  const batch = db.transaction((a: number, b: number) => {
    for (let i = a; i < b; i++) upsert.run(customerId(i % WORKING_SET), phoneOf(i));
  });
  const start = cpu();
  for (let i = 0; i < WRITES; i += perCommit) batch(i, Math.min(WRITES, i + perCommit));
  const us = (cpu() - start) / WRITES;
  db.close();
  return us;
}

try {
  await storeRound(sides.base); // warm-up
  await storeRound(sides.new);
  const raw: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const k of r % 2 === 0 ? (["new", "base"] as const) : (["base", "new"] as const)) sides[k].cpu.push(await storeRound(sides[k]));
    raw.push(rawRound(IN_FLIGHT));
  }
  const [b, n, rw] = [median(sides.base.cpu), median(sides.new.cpu), median(raw)];
  const ratios = sides.base.cpu.map((x, r) => sides.new.cpu[r]! / x);
  const round = (x: number, d: number) => Number(x.toFixed(d));
  process.stdout.write(
    JSON.stringify({
      baseUs: round(b, 1),
      newUs: round(n, 1),
      rawUs: round(rw, 1),
      newOverBase: round(median(ratios), 3),
      rawOverBase: round(rw / b, 3),
      rawOverNew: round(rw / n, 3),
    }) + "\n",
  );
} finally {
  for (const s of Object.values(sides)) await s.store.close();
  rmSync(dir, { recursive: true, force: true });
}
