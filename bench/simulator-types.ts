/**
 * The simulator's cost per builtin type (issue 21, item 5): the same 5-node workload — each
 * type's own op alphabet, delta sync, no trace — run for every builtin that needs no options;
 * per type the delivered update messages per CPU second, the cost of a delivery against the
 * g-counter's in the same process, and the encoded bytes per message. Best of a few runs, the
 * types interleaved so they share the machine's load.
 */
import type { Crdt } from "../core/contract.ts";
import { crdts, opCrdts, resolveAnyBuiltin } from "../core/registry.ts";
import { runSimulation } from "../sim/engine/run-simulation.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import type { BenchRow } from "./types.ts";

const NODES = ["n1", "n2", "n3", "n4", "n5"];
const RATE = 500; // updates per virtual second per node
const DURATION = 4_000; // → 10,000 updates, 40,000 update deliveries
const RUNS = 2;

/** Builtins that run with no options (composites need their fields), op-based ones in op mode. */
function types(): string[] {
  return [...Object.keys(crdts), ...Object.keys(opCrdts)].filter((name) => {
    try {
      return resolveAnyBuiltin(name).ops.length > 0;
    } catch {
      return false;
    }
  });
}

function scenario(name: string): Scenario {
  const op = name in opCrdts;
  return {
    name: `bench-${name}`,
    nodes: NODES,
    crdt: name,
    duration: DURATION + 1000,
    sync: { mode: op ? "op" : "delta", antiEntropyMs: 1000 },
    workload: { ratePerNode: RATE, from: 0, to: DURATION },
  };
}

type Timing = { deliveries: number; ms: number; bytes: number; sent: number };

function once(name: string): Timing {
  const crdt = resolveAnyBuiltin(name) as Crdt;
  const start = process.cpuUsage();
  const run = runSimulation(scenario(name), crdt, { seed: 7, trace: false, crdtName: name });
  const d = process.cpuUsage(start);
  const s = run.summary.stats;
  return { deliveries: s.deliveredUpdates ?? 0, ms: (d.user + d.system) / 1000, bytes: s.metadataBytes, sent: s.sent };
}

export function typeRows(suite: string): BenchRow[] {
  const names = types();
  const best = new Map<string, Timing>();
  for (const name of names) once(name); // warm-up
  for (let i = 0; i < RUNS; i++) {
    for (const name of names) {
      const t = once(name);
      const prev = best.get(name);
      if (!prev || t.ms < prev.ms) best.set(name, t);
    }
  }
  const perDelivery = (t: Timing) => (1000 * t.ms) / Math.max(1, t.deliveries);
  const base = best.get("g-counter");
  return names.map((name) => {
    const t = best.get(name)!;
    const ratio = base ? perDelivery(t) / perDelivery(base) : NaN;
    return {
      suite,
      name: `${name} deliveries/s (no trace)`,
      value: (t.deliveries / t.ms) * 1000,
      unit: "msg/s",
      note:
        `${perDelivery(t).toFixed(2)} µs per delivery, ${ratio.toFixed(1)}× the g-counter's; ${Math.round(t.bytes / Math.max(1, t.sent))} bytes per message; ` +
        `${t.deliveries.toLocaleString("en-US")} deliveries, 5 nodes, best of ${RUNS}, CPU time; goal for or-set ≤ 3×`,
    };
  });
}
