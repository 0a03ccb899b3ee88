/**
 * Cluster mode at scale (cluster/, docs/cluster.md): a 60 s run of 5 real node processes on
 * loopback, every link through its fault-injecting proxy, with a pn-counter workload of 100 ops/s
 * per node, a partition every 10 s and a kill -9 every 15 s. Measured in the same run:
 *
 * - acknowledged ops/s, beside the offered rate and the acknowledged ops' latency (invoke → ok);
 * - the history checks' time, beside the simulator's time for the whole run of the same schedule
 *   (simulated-scenario.json: every op and fault of the plan, scripted);
 * - bytes of history per operation (history.jsonl), beside the simulator's trace.jsonl per op
 *   for that schedule.
 *
 * Run alone: `npm run bench -- cluster`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "../types.ts";
import { checkHistory, runCluster, scenarioOfPlan } from "../../cluster/index.ts";
import { prepareScenario, simulate, type Scenario } from "../../sim/index.ts";

export const name = "cluster";

const DURATION_MS = 60_000;
const RATE_PER_NODE = 100;
const BIN = fileURLToPath(new URL("../../cli/bin.js", import.meta.url));

const SCENARIO: Scenario = {
  name: "bench-cluster",
  seed: 1,
  nodes: ["n1", "n2", "n3", "n4", "n5"],
  crdt: "pn-counter",
  sync: { mode: "delta", antiEntropyMs: 500 },
  network: { latency: { dist: "uniform", min: 1, max: 20 } },
  workload: { from: 0, to: DURATION_MS - 2000, ratePerNode: RATE_PER_NODE },
  nemesis: { partitions: { every: 10_000, duration: [2000, 4000], shape: "halves" }, crashes: { every: 15_000, downtime: [1000, 2000] } },
  duration: DURATION_MS,
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
const r1 = (x: number) => Math.round(x * 10) / 10;

export async function run(): Promise<BenchRow[]> {
  const loaded = await prepareScenario(SCENARIO, { limits: {} });
  const workDir = mkdtempSync(join(tmpdir(), "mc-bench-cluster-"));
  try {
    const r = await runCluster({
      file: "<bench>",
      scenario: loaded.scenario,
      crdt: loaded.crdt,
      crdtName: loaded.crdtName,
      seed: 1,
      workDir,
      nodeCommand: [process.execPath, BIN],
    });
    const ops = r.history.filter((h) => h.op !== "read");
    const ok = ops.filter((h) => h.type === "ok");
    const latency = ok.map((h) => h.complete - h.invoke);
    const seconds = (DURATION_MS - 2000) / 1000;

    const t0 = performance.now();
    checkHistory({ crdt: "pn-counter", history: r.history, finals: r.finals, settled: { equal: true, afterMs: 0 }, expectChecks: {} });
    const checkMs = performance.now() - t0;
    const repro = scenarioOfPlan(loaded.scenario, r.plan);
    const s0 = performance.now();
    const sim = await simulate(repro);
    const simMs = performance.now() - s0;

    const historyBytes = r.history.reduce((n, h) => n + Buffer.byteLength(JSON.stringify(h)) + 1, 0);
    const traceBytes = (sim.trace ?? []).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    const simOps = repro.steps?.filter((s) => "op" in s).length ?? 1;
    const verdicts = r.checks.map((c) => `${c.name} ${c.ok ? "held" : "failed"}`).join(", ");
    return [
      {
        suite: name,
        name: "acknowledged ops/s (5 nodes, 60 s, partitions + kill -9)",
        value: ok.length / seconds,
        unit: "ops/s",
        note: `offered ${(ops.length / seconds).toFixed(0)}/s (${ok.length} ok, ${ops.filter((h) => h.type === "info").length} info, ${ops.filter((h) => h.type === "fail").length} fail: node down); latency p50 ${r1(pct(latency, 50))} ms, p99 ${r1(pct(latency, 99))} ms; ${verdicts}`,
      },
      {
        suite: name,
        name: "history checks, whole run",
        value: checkMs,
        unit: "ms",
        note: `${r.history.length} entries; the simulator ran the same schedule (checks included) in ${simMs.toFixed(0)} ms: ${(checkMs / simMs).toFixed(4)}× its time`,
      },
      {
        suite: name,
        name: "history bytes per operation",
        value: historyBytes / ops.length,
        unit: "B/op",
        note: `history.jsonl; the simulator's trace.jsonl for the same schedule: ${(traceBytes / simOps).toFixed(0)} B/op (${(historyBytes / ops.length / (traceBytes / simOps)).toFixed(2)}×)`,
      },
    ];
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
