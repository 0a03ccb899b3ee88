/**
 * Bounds on the work a scenario may ask for, so that a typo (`"ratePerNode": 1e6`), a hostile
 * file or a generated monster is refused up front — one line naming the field and the limit —
 * instead of running for hours or dying deep inside the engine. Every limit can be raised: by a
 * `limits` block in the scenario (for a scenario that is meant to be big) or by a CLI flag
 * (`--max-events`, `--max-nodes`, `--max-file-mb`). A flag wins over the file, so whoever runs
 * untrusted scenarios can cap them whatever the files say.
 *
 * Events are what the simulator counts in `stats.events` (one per timer, step and delivery).
 * The estimate below is checked before a run starts; the engine itself stops a run that passes
 * the limit anyway (sim/engine/simulator.ts), because an estimate can be wrong.
 */
import type { LimitsSpec, Scenario } from "./types.ts";

/** Explicit limits from the caller (CLI flags); they win over the scenario's `limits` block. */
export type LimitOverrides = { events?: number; nodes?: number; fileBytes?: number };

export const DEFAULT_LIMITS = {
  /**
   * Untraced runs (`--no-trace`): the engine does ~1 µs per event (measured: 900,000 events of
   * a 3-node counter workload in 1.1 s), so 50 million is about a minute, in ~150 MB.
   */
  events: 50_000_000,
  /**
   * Traced runs keep every event's trace line in memory and render the timeline from it
   * (measured: ~1 KB and ~50 µs per event, 900,000 events → 1.5 GB, 4 GB with the views):
   * beyond ~1 million events a traced run runs out of memory before it ends.
   */
  tracedEvents: 1_000_000,
  /** The engine keeps n×n link and FIFO tables and n-entry vectors per replica (n² memory). */
  nodes: 1000,
  /** Read into memory whole; the parser and validation then hold a few copies of it. */
  fileBytes: 64 * 1024 * 1024,
} as const;

/** Past this no limit helps: n×n typed arrays of the engine (links, FIFO) would exceed 2^31 entries. */
export const MAX_NODES_EVER = 46_340;

/** The node limit in force: the flag, else the scenario's block, else the default. */
export function nodeLimit(s: { limits?: LimitsSpec }, overrides: LimitOverrides = {}): number {
  return overrides.nodes ?? s.limits?.nodes ?? DEFAULT_LIMITS.nodes;
}

/** The event limit in force; the default depends on whether the run keeps its trace. */
export function eventLimit(s: { limits?: LimitsSpec }, overrides: LimitOverrides, trace: boolean): number {
  return overrides.events ?? s.limits?.events ?? (trace ? DEFAULT_LIMITS.tracedEvents : DEFAULT_LIMITS.events);
}

/** Which knob raises the limit, for the messages. */
export const RAISE = {
  events: "raise it with limits.events or --max-events",
  nodes: "raise it with limits.nodes or --max-nodes",
  fileBytes: "raise it with --max-file-mb",
} as const;

/** One source of events: the field to blame, its expected event count and why. */
export type EventSource = { path: string; events: number; why: string };

/** Messages an update causes: one per peer, plus the duplicates the network makes. */
function perUpdate(s: Scenario): number {
  return 1 + (s.nodes.length - 1) * (1 + (s.network?.duplicate ?? 0));
}

/** Default anti-entropy period (docs/design.md, "The simulator"): each node gossips its state twice a second. The engine's too. */
export const DEFAULT_ANTI_ENTROPY_MS = 500;

/**
 * The expected number of events of a run, by source. Expected values, not worst cases: a run
 * that the estimate lets through and that turns out bigger is stopped by the engine.
 */
export function estimateEvents(s: Scenario): EventSource[] {
  const n = s.nodes.length;
  const peers = n - 1;
  const fan = perUpdate(s);
  const out: EventSource[] = [];
  const steps = s.steps ?? [];
  if (steps.length > 0) {
    const ops = steps.reduce((k, st) => k + ("op" in st ? 1 : 0), 0);
    out.push({ path: "steps", events: steps.length + ops * (fan - 1), why: `${steps.length} steps, ${ops} of them updates sent to ${peers} peers` });
  }
  const w = s.workload;
  if (w && w.ratePerNode > 0) {
    const issuing = w.nodes?.length ?? n;
    const span = Math.max(0, (w.to ?? s.duration) - (w.from ?? 0));
    const updates = (w.ratePerNode * span * issuing) / 1000;
    out.push({ path: "workload.ratePerNode", events: updates * fan, why: `${w.ratePerNode} updates/s on each of ${issuing} nodes for ${span} ms, each sent to ${peers} peers` });
  }
  const ae = s.sync?.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS;
  if (ae > 0 && n > 1) {
    // A round: the timer and its message; a digest round (and op mode's) also the answer.
    const perRound = s.sync?.antiEntropy === "digest" || s.sync?.mode === "op" ? 3 : 2;
    out.push({ path: "duration", events: ((n * s.duration) / ae) * perRound, why: `${s.duration} ms with anti-entropy every ${ae} ms on ${n} nodes` });
  }
  const nem = s.nemesis;
  const every = (path: string, per: number, e: number | undefined, what: string) => {
    if (e) out.push({ path, events: (s.duration / e) * per, why: `${what} every ${e} ms for ${s.duration} ms` });
  };
  every("nemesis.partitions.every", 2, nem?.partitions?.every, "a partition");
  every("nemesis.clocks.every", 1, nem?.clocks?.every, "a clock disturbance");
  every("nemesis.crashes.every", 2, nem?.crashes?.every, "a crash");
  const service = (path: string, per: number, sw: { ratePerNode: number; from?: number; to?: number; nodes?: string[] } | undefined) => {
    if (!sw || !(sw.ratePerNode > 0)) return;
    const asking = sw.nodes?.length ?? n;
    const span = Math.max(0, (sw.to ?? s.duration) - (sw.from ?? 0));
    out.push({ path, events: ((sw.ratePerNode * span * asking) / 1000) * per, why: `${sw.ratePerNode} requests/s on each of ${asking} nodes for ${span} ms` });
  };
  // A sequencer request: arrival, request, answer. A transaction: arrival, then two rounds to each shard and back.
  service("services.sequencer.workload.ratePerNode", 3, s.services?.sequencer?.workload);
  service("services.ramp.workload.ratePerNode", 1 + 4 * (s.services?.ramp?.shards.length ?? 1), s.services?.ramp?.workload);
  return out;
}

/** Reason the estimate is over `limit`, at the biggest source's path; undefined when it fits. */
export function eventLimitIssue(s: Scenario, limit: number, fromDefault: boolean, trace: boolean): { path: string; reason: string } | undefined {
  const sources = estimateEvents(s);
  const total = sources.reduce((k, x) => k + x.events, 0);
  if (!(total > limit)) return undefined;
  const top = sources.reduce((a, b) => (b.events > a.events ? b : a));
  const traced = fromDefault && trace ? ` for a traced run (--no-trace allows ${DEFAULT_LIMITS.events})` : "";
  return {
    path: top.path,
    reason: `the run would take about ${approx(total)} events (${top.why}), over the limit of ${limit}${traced}; ${RAISE.events}`,
  };
}

/** 3 significant digits: `2.99e+9`, or the integer when small. */
export function approx(x: number): string {
  return x < 1e6 ? String(Math.round(x)) : x.toPrecision(3);
}
