/**
 * Lanes: which nodes, in which order, and how each one's clock lies. Order follows the trace's
 * meta (the scenario's declaration order) so the diagram reads like the scenario file.
 */
import type { Event, ParsedTrace, StreamedTrace } from "../trace.ts";
import { fmtMs } from "./text.ts";
import type { Lane } from "./model.ts";

/** What the views use from a scenario (sim/scenario/types.ts Scenario fits). */
export type ScenarioInfo = {
  name?: string;
  description?: string;
  nodes?: string[];
  clocks?: Record<string, { skew?: number; drift?: number }>;
};

export function laneOrder(trace: ParsedTrace | StreamedTrace, scenario: ScenarioInfo | null): string[] {
  const declared = trace.meta?.nodes ?? scenario?.nodes;
  const names: string[] = Array.isArray(declared) ? [...declared] : [];
  const seen = new Set(names);
  // Without a declaration (a hand-cut trace), lanes appear in order of first mention.
  const see = (n: unknown) => {
    if (typeof n === "string" && !seen.has(n)) {
      seen.add(n);
      names.push(n);
    }
  };
  // A streamed trace is read once, by the layout: its names come from its header (streamTraceFile).
  if (!Array.isArray(trace.events)) return names;
  for (const e of trace.events as (Event & { node?: unknown; from?: unknown; to?: unknown })[]) {
    see(e.node);
    see(e.from);
    see(e.to);
  }
  return names;
}

/** How a lane's clock lies, as its gutter label says it: "skew +1 min · drift +100 ppm" or "clock exact". */
export function clockLabel(skewMs: number, driftPpm: number): string {
  const parts: string[] = [];
  if (skewMs !== 0) parts.push(`skew ${skewMs > 0 ? "+" : "−"}${fmtMs(Math.abs(skewMs))}`);
  if (driftPpm !== 0) parts.push(`drift ${driftPpm > 0 ? "+" : "−"}${Math.abs(driftPpm)} ppm`);
  return parts.length ? parts.join(" · ") : "clock exact";
}

/**
 * Clock skew per node: the scenario's `clocks`, or the trace meta's if the engine prints them —
 * and, when a clock is stepped during the run (a `clockJump` step, the clock nemesis's jumps and
 * new skews), each later label with the instant it starts to hold, so the page's label follows
 * the clock instead of describing only its start.
 */
export function lanesOf(names: string[], scenario: ScenarioInfo | null, trace: ParsedTrace): Lane[] {
  const metaClocks = (trace.meta as { clocks?: ScenarioInfo["clocks"] } | null)?.clocks;
  const clocks = metaClocks ?? scenario?.clocks ?? {};
  const lanes: Lane[] = names.map((name) => {
    // Own keys only: clocks.constructor of a plain object is Object, not a node's clock.
    const c = (Object.hasOwn(clocks, name) ? clocks[name] : undefined) ?? {};
    const skewMs = c.skew ?? 0;
    const driftPpm = Math.round((c.drift ?? 0) * 1e6);
    return { name, skewMs, driftPpm, label: clockLabel(skewMs, driftPpm) };
  });
  const laneOf = new Map(names.map((n, i) => [n, i]));
  // The engine's clock reads t × rate + skew + the sum of its jumps: a new skew replaces the
  // skew and keeps the jumps (sim/engine/clock.ts).
  const skew = lanes.map((l) => l.skewMs);
  const jumped = lanes.map(() => 0);
  for (const e of trace.events as (Event & { node?: unknown; by?: unknown; skew?: unknown })[]) {
    if (e.type !== "clock-jump" && e.type !== "clock-skew") continue;
    const l = typeof e.node === "string" ? laneOf.get(e.node) : undefined;
    if (l === undefined) continue;
    if (e.type === "clock-jump" && typeof e.by === "number") jumped[l]! += e.by;
    else if (e.type === "clock-skew" && typeof e.skew === "number") skew[l] = e.skew;
    else continue;
    const lane = lanes[l]!;
    (lane.clockChanges ??= []).push({ t: e.t, label: clockLabel(skew[l]! + jumped[l]!, lane.driftPpm) });
  }
  return lanes;
}

/** A lane's clock label at time `t`: the last change at or before `t`, else its initial one. */
export function clockLabelAt(lane: Lane, t: number): string {
  let label = lane.label;
  for (const c of lane.clockChanges ?? []) if (c.t <= t) label = c.label;
  return label;
}
