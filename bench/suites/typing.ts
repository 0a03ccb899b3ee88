/**
 * Text typed concurrently at one place, with every check on (issue 16, item 9): two nodes each
 * insert 2,500 characters at index 0, alternating, for `rga` and `lseq`, no trace. Reports the
 * CPU time of the whole run and per 1,000 events. Before the LSeq allocation fix, lseq's paths
 * grew a level every insert or two here, so each delta, state encoding and idempotence check
 * cost O(n): 2 × 5,000 inserts took over a minute.
 */
import { resolveBuiltin } from "../../core/registry.ts";
import { runSimulation } from "../../sim/engine/run-simulation.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import type { BenchRow } from "../types.ts";

export const name = "typing";

const PER_NODE = 2500;
const RUNS = 3;

/** Alice and Bob alternately insert one character at index 0, 5 ms apart. */
export function typingAtZero(crdt: string, perNode = PER_NODE): Scenario {
  const steps: Scenario["steps"] = [];
  for (let i = 0; i < perNode; i++) {
    steps.push({ at: i * 10, node: "alice", op: "insert", args: [0, "a"] });
    steps.push({ at: i * 10 + 5, node: "bob", op: "insert", args: [0, "b"] });
  }
  return { name: `typing-at-zero-${crdt}`, seed: 1, nodes: ["alice", "bob"], crdt, steps, duration: perNode * 10 };
}

function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

export function run(): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const type of ["rga", "lseq"]) {
    const crdt = resolveBuiltin(type);
    const sc = typingAtZero(type);
    runSimulation(typingAtZero(type, 200), crdt, { seed: 1, trace: false, crdtName: type }); // warm-up
    let best = Infinity;
    let events = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = process.cpuUsage();
      const { summary } = runSimulation(sc, crdt, { seed: 1, trace: false, crdtName: type });
      best = Math.min(best, cpuMs(start));
      if (!summary.ok) throw new Error(`bench run failed its checks: ${JSON.stringify(summary.checks)}`);
      events = summary.stats.events;
    }
    const note = `2 nodes × ${PER_NODE.toLocaleString("en-US")} inserts at index 0, every check on, no trace; ${events.toLocaleString("en-US")} events, best of ${RUNS}, CPU time`;
    rows.push({ suite: name, name: `${type} run`, value: best, unit: "ms", note });
    rows.push({ suite: name, name: `${type} per 1,000 events`, value: (1000 * best) / events, unit: "ms", note });
  }
  return rows;
}
