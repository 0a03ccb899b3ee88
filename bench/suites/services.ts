/**
 * Service throughput: completed sequencer requests and RAMP transactions per CPU second, in
 * runs without trace where every node asks at a high Poisson rate over a network with loss
 * and duplication (so retries and dedup are exercised), the CRDT replicas idle.
 */
import { gCounter } from "../../core/crdt/g-counter.ts";
import type { RampRecord, RampSnapshot } from "../../core/ramp/durable.ts";
import { RampServer } from "../../core/ramp/server.ts";
import { MemoryStorage } from "../../core/storage.ts";
import { runSimulation } from "../../sim/engine/run-simulation.ts";
import type { Scenario, ServiceTally } from "../../sim/index.ts";
import type { BenchRow } from "../types.ts";

export const name = "services";

const NODES = ["n1", "n2", "n3", "n4", "n5"];
const DURATION = 20_000;
const RATE = 500; // requests per virtual second per node

const base = {
  nodes: NODES,
  crdt: "g-counter",
  sync: { antiEntropyMs: 0 },
  network: { latency: { dist: "uniform" as const, min: 1, max: 20 }, loss: 0.02, duplicate: 0.05 },
  duration: DURATION,
};
const sequencer: Scenario = { ...base, name: "bench-sequencer", services: { sequencer: { node: "n1", workload: { ratePerNode: RATE } } } };
const ramp: Scenario = {
  ...base,
  name: "bench-ramp",
  services: { ramp: { shards: ["n1", "n2", "n3"], workload: { ratePerNode: RATE, keys: ["a", "b", "c", "d", "e", "f"], reads: 0.5 } } },
};

function measure(sc: Scenario, key: string, check: string): { done: number; perSec: number } {
  let best = Infinity;
  let done = 0;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    const run = runSimulation(sc, gCounter, { seed: 7, trace: false, crdtName: "g-counter" });
    const d = process.cpuUsage(start);
    best = Math.min(best, (d.user + d.system) / 1000);
    if (!run.summary.checks.find((c) => c.name === check)?.ok) throw new Error(`bench run failed ${check}`);
    done = Object.values(run.summary.stats.availability!).reduce((n, a) => n + ((a[key] as ServiceTally | undefined)?.succeeded ?? 0), 0);
  }
  return { done, perSec: (done / best) * 1000 };
}

/**
 * One RAMP server and one hot key written 1,000 times per virtual second: with the default 10 s
 * grace the server holds ~10,000 superseded versions of it, and each commit must not scan them.
 * `durable`: the server logs to a MemoryStorage, so each snapshot copies those versions too.
 */
function hotKey(durable: boolean): { commits: number; perSec: number; held: number } {
  const COMMITS = 40_000;
  let best = Infinity;
  let held = 0;
  for (let i = 0; i < 3; i++) {
    const storage = durable ? { storage: new MemoryStorage<RampSnapshot, RampRecord>() } : {};
    const server = new RampServer({ id: "s", shard: () => "s", ...storage });
    const start = process.cpuUsage();
    for (let t = 1; t <= COMMITS; t++) {
      const ts = { t, c: "w" };
      server.handle({ type: "ramp.prepare", client: "w", ts, writes: [{ key: "hot", value: t }], keys: ["hot"] }, t);
      server.handle({ type: "ramp.commit", client: "w", ts, keys: ["hot"] }, t);
    }
    const d = process.cpuUsage(start);
    best = Math.min(best, (d.user + d.system) / 1000);
    held = server.versionCount;
  }
  return { commits: COMMITS, perSec: (COMMITS / best) * 1000, held };
}

export function run(): BenchRow[] {
  const s = measure(sequencer, "sequencer", "sequencer-unique");
  const r = measure(ramp, "transactions", "read-atomic");
  const h = hotKey(false);
  const hd = hotKey(true);
  return [
    {
      suite: name,
      name: "sequencer requests answered per CPU second",
      value: s.perSec,
      unit: "req/s",
      note: `${s.done} answered; 5 nodes × ${RATE}/s, 2 % loss, 5 % dup, best of 3`,
    },
    { suite: name, name: "RAMP transactions completed per CPU second", value: r.perSec, unit: "txn/s", note: `${r.done} completed; 3 shards, half reads, best of 3` },
    {
      suite: name,
      name: "RAMP server: write transactions per CPU second, one hot key",
      value: h.perSec,
      unit: "txn/s",
      note: `${h.commits} prepare+commit pairs at 1,000/s virtual; ${h.held} versions held in the 10 s GC grace; best of 3`,
    },
    {
      suite: name,
      name: "RAMP server with storage: write transactions per CPU second, one hot key",
      value: hd.perSec,
      unit: "txn/s",
      note: `the same, each prepare and commit logged and synced (MemoryStorage) before its answer; snapshots as the log outgrows the ${hd.held} versions; best of 3`,
    },
  ];
}
