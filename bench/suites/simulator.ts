/**
 * Simulator throughput: delivered update messages per second of wall time for a 5-node
 * G-Counter run without trace (one delivery = one update message reaching one recipient;
 * anti-entropy excluded), against a bare loop over the same event queue, events, arrival
 * process and latency draws whose handlers do no CRDT, checker or trace work. The ratio is the
 * share of the bare loop's speed the full engine keeps.
 */
import { gCounter } from "../../core/crdt/g-counter.ts";
import { Rng } from "../../sim/rng.ts";
import { Ev, EvKind } from "../../sim/engine/event.ts";
import { EventQueue } from "../../sim/engine/event-queue.ts";
import { latencySampler } from "../../sim/engine/latency.ts";
import { runSimulation } from "../../sim/engine/run-simulation.ts";
import { Arrivals } from "../../sim/engine/workload.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import type { BenchRow } from "../types.ts";
import { typeRows } from "../simulator-types.ts";

export const name = "simulator";

const NODES = ["n1", "n2", "n3", "n4", "n5"];
const RATE = 2000; // updates per virtual second per node
const DURATION = 30_000; // virtual ms → 300,000 updates, 1,200,000 update deliveries

function scenario(duration: number): Scenario {
  return {
    name: "bench-g-counter",
    nodes: NODES,
    crdt: "g-counter",
    duration,
    workload: { ratePerNode: RATE, ops: [{ op: "inc", args: [{ int: [1, 5] }] }] },
  };
}

/** CPU milliseconds of this process since `from` (user + system). */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function simulate(duration: number): { deliveries: number; ms: number } {
  const start = process.cpuUsage();
  const run = runSimulation(scenario(duration), gCounter, { seed: 7, trace: false, crdtName: "g-counter" });
  const ms = cpuMs(start);
  if (!run.summary.ok) throw new Error(`bench run failed its checks: ${JSON.stringify(run.summary.checks)}`);
  return { deliveries: run.summary.stats.deliveredUpdates ?? 0, ms };
}

/** Same agenda shape as the engine: Poisson arrivals per node, each fanning out n−1 deliveries. */
function bare(duration: number): { deliveries: number; ms: number } {
  const start = process.cpuUsage();
  const q = new EventQueue<Ev>();
  const latency = latencySampler();
  const rLatency = new Rng("network/latency", 7);
  const arrivals = NODES.map((n) => new Arrivals(0, duration, RATE, new Rng(`workload/arrivals/${n}`, 7)));
  for (let i = 0; i < NODES.length; i++) {
    const t = arrivals[i]!.next();
    if (t >= 0) q.push(new Ev(EvKind.Arrival, i), t);
  }
  let deliveries = 0;
  for (let ev = q.pop(); ev !== undefined; ev = q.pop()) {
    if (ev.kind === EvKind.Deliver) {
      deliveries++;
      continue;
    }
    for (let to = 0; to < NODES.length; to++) {
      if (to === ev.node) continue;
      const m = new Ev(EvKind.Deliver, to);
      m.from = ev.node;
      q.push(m, ev.t + latency(rLatency));
    }
    const next = arrivals[ev.node]!.next();
    if (next >= 0) q.push(ev, next);
  }
  return { deliveries, ms: cpuMs(start) };
}

type Timing = { deliveries: number; ms: number; perSec: number };

/**
 * Best of `runs` for both loops, alternating them so that both see the same background load
 * (this box is shared). Time is this process's CPU time (user + system, GC threads included):
 * on a busy 2-core machine wall time mostly measures the neighbours. Each adjacent pair also
 * gives a ratio of its own: their spread shows how much of a difference this machine can see.
 */
function measure(runs: number): { sim: Timing; loop: Timing; paired: number[] } {
  const top = { sim: { deliveries: 0, ms: Infinity, perSec: 0 }, loop: { deliveries: 0, ms: Infinity, perSec: 0 } };
  const paired: number[] = [];
  for (let i = 0; i < runs; i++) {
    const pair = { sim: 0, loop: 0 };
    for (const [key, f] of [
      ["sim", simulate],
      ["loop", bare],
    ] as const) {
      const r = f(DURATION);
      const perSec = (r.deliveries / r.ms) * 1000;
      pair[key] = perSec;
      if (perSec > top[key].perSec) top[key] = { ...r, perSec };
    }
    paired.push((100 * pair.sim) / pair.loop);
  }
  return { ...top, paired: paired.sort((a, b) => a - b) };
}

export function run(): BenchRow[] {
  // Warm up the JIT on short runs of both loops first.
  simulate(2000);
  bare(2000);
  const { sim, loop, paired } = measure(5);
  const note = `${sim.deliveries.toLocaleString("en-US")} deliveries, 5 nodes, best of 5, CPU time`;
  const pct = (x: number) => `${x.toFixed(1)} %`;
  const spread = `best over best; the 5 back-to-back pairs: median ${pct(paired[2]!)}, ${pct(paired[0]!)}–${pct(paired[4]!)}; goal ≥ 50 %`;
  return [
    { suite: name, name: "g-counter deliveries/s (no trace)", value: sim.perSec, unit: "msg/s", note: `${note}, ${Math.round(sim.ms)} ms` },
    {
      suite: name,
      name: "bare event loop deliveries/s",
      value: loop.perSec,
      unit: "msg/s",
      note: `${loop.deliveries.toLocaleString("en-US")} deliveries, ${Math.round(loop.ms)} ms`,
    },
    { suite: name, name: "engine / bare loop", value: (100 * sim.perSec) / loop.perSec, unit: "%", note: spread },
    ...typeRows(name),
  ];
}
