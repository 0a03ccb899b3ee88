/**
 * Explore throughput and the false-alarm sweep.
 * - Seeds per minute (wall clock) for the benchmark's scenario shape: 5 nodes, 10 s of virtual
 *   time, every fault class on (loss, duplication, reordering, partitions, crashes, pauses, clock
 *   skew and jumps; the seed picks their parameters), a G-Counter and an OR-Set, with --jobs 2
 *   and --jobs 1 after a warm-up sweep (the worker is kept warm between sweeps), and their ratio.
 * - False alarms: every builtin swept over 1,000 default swarm seeds (--jobs 2); the value is
 *   the number of failing seeds found (the sweep stops at the first, so 0 or 1). The test suite
 *   runs a smaller sweep of the same kind (sim/explore/false-alarms.test.ts).
 */
import { cpus, loadavg } from "node:os";
import { crdts, opCrdts } from "../../core/registry.ts";
import { explore } from "../../sim/explore/explore.ts";
import { emit, step } from "../step.ts";
import type { BenchRow } from "../types.ts";
import { KNOWN_CHECKER_FALSE_ALARMS } from "../../sim/explore/known-false-alarms.ts";

export const name = "explore";

const SHAPE = { nodes: 5, duration: 10_000, allFaults: true };
const FALSE_ALARM_SEEDS = 1000;

async function seedsPerMinute(crdt: string, runs: number, jobs: number): Promise<BenchRow> {
  const t0 = performance.now();
  const r = await explore(crdt, { runs, jobs, swarm: SHAPE, shrink: false });
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`bench: ${crdt} failed seed ${r.failure!.seed}: ${r.failure!.detail}`);
  return {
    suite: name,
    name: `seeds/min ${crdt} (5 nodes, 10 s virtual, all faults, --jobs ${jobs})`,
    value: (r.runs / ms) * 60_000,
    unit: "seeds/min",
    note: `${r.runs} seeds in ${(ms / 1000).toFixed(1)} s wall`,
  };
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [crdt, runs] of [
    ["g-counter", 2000],
    ["or-set", 600],
  ] as const) {
    // Each row is a step of the bench's step budget (bench/step.ts).
    if (!step(`seeds/min ${crdt}`)) continue;
    // A warm-up sweep first (not reported), so that neither row pays for compiling the
    // simulator in this thread or the kept worker (sim/explore/pool.ts); then --jobs 2 and 1.
    await explore(crdt, { runs: Math.round(runs / 4), jobs: 2, swarm: SHAPE, shrink: false });
    const two = await seedsPerMinute(crdt, runs, 2);
    const one = await seedsPerMinute(crdt, Math.round(runs / 2), 1);
    rows.push(two, one, {
      suite: name,
      name: `--jobs 2 over --jobs 1, ${crdt}`,
      value: two.value / one.value,
      unit: "×",
      note: `same process, one after the other; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)} at the end`,
    });
    emit(rows.slice(-3));
  }
  for (const crdt of [...Object.keys(crdts), ...Object.keys(opCrdts)]) {
    if (!step(`false alarms ${crdt}`)) continue;
    const t0 = performance.now();
    const ignore = KNOWN_CHECKER_FALSE_ALARMS[crdt] ?? [];
    const r = await explore(crdt, { runs: FALSE_ALARM_SEEDS, jobs: 2, shrink: false, ignore });
    rows.push({
      suite: name,
      name: `false alarms ${crdt} (${FALSE_ALARM_SEEDS} swarm seeds)`,
      value: r.ok ? 0 : 1,
      unit: "failing seeds",
      note: r.ok
        ? `${r.runs} seeds in ${((performance.now() - t0) / 1000).toFixed(1)} s${ignore.length ? ` (ignoring ${ignore.join(", ")}: known checker false alarm)` : ""}`
        : `seed ${r.failure!.seed}: ${r.failure!.failed.join(", ")}`,
    });
    emit(rows.slice(-1));
  }
  return rows;
}
