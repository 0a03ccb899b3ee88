/**
 * Swarm scenarios (TigerBeetle's VOPR, Groce et al.'s swarm testing): each seed switches whole
 * classes of behaviour on or off and picks their parameters — node count, sync mode, latency
 * distribution, loss, duplication, reordering, partitions of every shape, crashes, pauses,
 * clock skew and jumps, disk sync lag (a crash loses unsynced writes), which ops and how narrow
 * their arguments — so that many different
 * fault mixes are tried, not one average mix.
 *
 * The scenario is generated fully scripted: the workload and the fault schedule are explicit
 * steps (no `workload`, no `nemesis`). A failing seed therefore replays bit-for-bit from its
 * scenario alone, and the shrinker can drop or simplify any single op or fault.
 */
import type { ArgGen, Crdt, OpSpec } from "../../core/contract.ts";
import { parseArgGen } from "../../core/arg-gen.ts";
import { Rng } from "../rng.ts";
import { OpMix } from "../engine/workload.ts";
import { freshenInserts } from "./fresh-text.ts";
import type { LatencySpec, Scenario, Step } from "../scenario/types.ts";

export type SwarmOptions = {
  /** Fix the node count (default: the seed picks 2–7). */
  nodes?: number;
  /** Fix the virtual duration in ms (default: the seed picks). */
  duration?: number;
  /** Turn every fault class on (the seed still picks their parameters); the benchmark uses it. */
  allFaults?: boolean;
  /** Upper bound on generated ops (default 300). */
  maxOps?: number;
  /**
   * A sequence type's inserts type characters never typed before in the run (fresh-text.ts), so
   * that the sequence checks can follow them. explore turns it on; off, a seed's scenario is the
   * one recorded before the option existed.
   */
  freshText?: boolean;
};

/** The scenario's `crdt` field: a builtin name or `{ module }` (absolute, or relative to where the file is written). */
export type SwarmTarget = { crdt: Crdt; spec: Scenario["crdt"] };

export const NODE_NAMES = ["n1", "n2", "n3", "n4", "n5", "n6", "n7"];

/** A safe scenario name for any CRDT name (the run directory is named after it). */
export function scenarioName(crdtName: string, seed: number): string {
  const clean =
    crdtName
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "")
      .slice(0, 60) || "crdt";
  return `explore-${clean}-${seed}`;
}

export function swarmScenario(seed: number, target: SwarmTarget, o: SwarmOptions = {}): Scenario {
  const rng = new Rng("explore/swarm", seed);
  const on = (p: number) => o.allFaults === true || rng.chance(p);
  const n = o.nodes ?? rng.int(2, 7);
  const nodes = NODE_NAMES.slice(0, n);
  const duration = o.duration ?? rng.pick([1000, 3000, 5000, 10000]);
  const sc: Scenario = { name: scenarioName(target.crdt.name, seed), seed, nodes, crdt: target.spec, duration };
  // Anti-entropy always runs: without it, lost messages are never repaired and a correct CRDT
  // would be flagged for not converging.
  const mode = target.crdt.kind === "op" ? "op" : rng.chance(0.7) ? "delta" : "state";
  sc.sync = { mode, antiEntropyMs: rng.pick([100, 250, 500, 1000]) };
  sc.network = network(rng, on);
  if (on(0.4)) sc.clocks = Object.fromEntries(nodes.map((x) => [x, { skew: rng.int(-3000, 3000), drift: rng.pick([0, 0.0001, -0.0005, 0.001]) }]));
  const steps = [...workload(rng, target.crdt.ops, nodes, duration, o.maxOps ?? 300), ...faults(rng, on, nodes, duration)];
  // Drawn last, so that adding it kept every earlier seed's scenario as it was.
  if (on(0.2)) sc.storage = { syncLagMs: rng.pick([5, 50, 200]) };
  // Stable sort: steps at the same instant keep their generation order.
  sc.steps = steps
    .map((s, i) => [s, i] as const)
    .sort((a, b) => a[0].at - b[0].at || a[1] - b[1])
    .map(([s]) => s);
  if (o.freshText === true && target.crdt.sequence !== undefined) freshenInserts(sc.steps);
  return sc;
}

function network(rng: Rng, on: (p: number) => boolean): NonNullable<Scenario["network"]> {
  const latencies: LatencySpec[] = [
    { dist: "constant", ms: rng.int(1, 30) },
    { dist: "uniform", min: 1, max: rng.pick([10, 50, 200]) },
    { dist: "normal", mean: 40, sd: 20 },
    { dist: "exponential", mean: rng.pick([5, 40]) },
    { dist: "pareto", scale: 5, shape: 1.5, max: 2000 },
  ];
  const net: NonNullable<Scenario["network"]> = { latency: rng.pick(latencies) };
  if (on(0.5)) net.loss = rng.pick([0.01, 0.05, 0.2, 0.5]);
  if (on(0.5)) net.duplicate = rng.pick([0.01, 0.1, 0.5]);
  if (on(0.3)) net.reorder = rng.pick([0.1, 0.5]);
  if (rng.chance(0.2)) net.fifo = true;
  if (rng.chance(0.3)) net.partitionMode = "hold";
  return net;
}

/** Explicit op steps from the CRDT's alphabet, with swarm choices over ops, nodes and arguments. */
function workload(rng: Rng, ops: readonly OpSpec[], nodes: string[], duration: number, maxOps: number): Step[] {
  if (ops.length === 0) return [];
  // Swarm: sometimes leave some op kinds out entirely (e.g. only adds, never removes).
  let alphabet = rng.chance(0.25) ? ops.filter(() => rng.chance(0.5)) : [...ops];
  if (alphabet.length === 0) alphabet = [rng.pick(ops)];
  // Sometimes narrow every argument range, so that ops collide on the same element or key.
  if (rng.chance(0.3)) alphabet = alphabet.map((s) => ({ ...s, args: (s.args ?? []).map(narrow) }));
  const issuing = rng.chance(0.6) ? nodes : nodes.filter(() => rng.chance(0.5));
  if (issuing.length === 0) issuing.push(rng.pick(nodes));
  const rate = rng.pick([0.5, 2, 5, 20]);
  const count = Math.min(maxOps, Math.max(1, Math.round((rate * issuing.length * duration) / 1000)));
  // A coarse time quantum makes several nodes write at the same instant: clock ties.
  const quantum = rng.pick([1, 1, 10, 100, 1000]);
  const mix = new OpMix(alphabet);
  const out: Step[] = [];
  for (let i = 0; i < count; i++) {
    const at = Math.min(duration, Math.floor(rng.int(0, duration) / quantum) * quantum);
    const op = mix.sample(rng);
    out.push({ at, node: rng.pick(issuing), op: op.op, args: op.args });
  }
  return out;
}

function narrow(gen: ArgGen): ArgGen {
  const g = parseArgGen(gen);
  if (g.kind === "int") return { int: [g.lo, Math.min(g.hi, g.lo + 1)] };
  if (g.kind === "pick" && g.values.length > 2) return { pick: g.values.slice(0, 2) };
  return gen;
}

function window(rng: Rng, duration: number, maxLen: number): [number, number] {
  const at = rng.int(0, Math.max(0, duration - 1));
  return [at, Math.min(duration, at + rng.int(1, maxLen))];
}

function faults(rng: Rng, on: (p: number) => boolean, nodes: string[], duration: number): Step[] {
  const out: Step[] = [];
  const n = nodes.length;
  if (n > 1 && on(0.5)) {
    // Non-overlapping windows: a heal ends everything, so overlapping ones would cut each other short.
    const k = rng.int(1, 4);
    const slot = Math.floor(duration / k);
    for (let i = 0; i < k; i++) {
      const at = i * slot + rng.int(0, Math.floor(slot / 2));
      out.push(partition(rng, nodes, at), { at: Math.min(duration, at + rng.int(1, Math.max(1, Math.floor(slot / 2)))), heal: true });
    }
  }
  if (on(0.3))
    for (let i = rng.int(1, 3); i > 0; i--) {
      const [a, b] = window(rng, duration, duration / 2);
      const node = rng.pick(nodes);
      out.push({ at: a, crash: node }, { at: b, restart: node });
    }
  if (on(0.2)) {
    const [a, b] = window(rng, duration, duration / 3);
    const node = rng.pick(nodes);
    out.push({ at: a, pause: node }, { at: b, resume: node });
  }
  if (on(0.3))
    for (let i = rng.int(1, 3); i > 0; i--) out.push({ at: rng.int(0, duration), clockJump: { node: rng.pick(nodes), by: rng.pick([-1, 1]) * rng.pick([1, 50, 1000, 10000]) } });
  return out;
}

/** One partition of a seed-chosen shape, as a step: groups, or one-way cuts for shapes groups can't express. */
function partition(rng: Rng, nodes: string[], at: number): Step {
  const order = rng.shuffle([...nodes]);
  const n = order.length;
  const shape = rng.pick(n >= 3 ? ["halves", "one", "groups", "bridge", "ring", "one-way"] : ["halves", "one-way"]);
  const half = Math.max(1, Math.floor(n / 2));
  if (shape === "halves") return { at, partition: [order.slice(0, half)] };
  if (shape === "one") return { at, partition: [[order[0]!]] };
  if (shape === "groups") {
    const k = rng.int(2, n);
    const groups: string[][] = Array.from({ length: k }, () => []);
    order.forEach((x, i) => groups[i < k ? i : rng.int(0, k - 1)]!.push(x));
    return { at, partition: groups };
  }
  const cut: [string, string][] = [];
  if (shape === "bridge") {
    // order[0] is the bridge: it talks to both sides, which cannot talk to each other.
    const rest = order.slice(1);
    const left = rest.slice(0, Math.max(1, Math.floor(rest.length / 2)));
    const right = rest.slice(left.length);
    for (const a of left) for (const b of right) cut.push([a, b], [b, a]);
  } else if (shape === "ring") {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const d = Math.abs(i - j);
        if (i !== j && d !== 1 && d !== n - 1) cut.push([order[i]!, order[j]!]);
      }
  } else {
    for (const a of order.slice(0, half)) for (const b of order.slice(half)) cut.push([a, b]);
  }
  return cut.length ? { at, cut } : { at, partition: [order.slice(0, half)] };
}
