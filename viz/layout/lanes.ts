/**
 * Lanes: which nodes, in which order, and how each one's clock lies. Order follows the trace's
 * meta (the scenario's declaration order) so the diagram reads like the scenario file.
 */
import type { Event, ParsedTrace } from "../trace.ts";
import { fmtMs } from "./text.ts";
import type { Lane } from "./model.ts";

/** What the views use from a scenario (sim/scenario/types.ts Scenario fits). */
export type ScenarioInfo = {
  name?: string;
  description?: string;
  nodes?: string[];
  clocks?: Record<string, { skew?: number; drift?: number }>;
};

export function laneOrder(trace: ParsedTrace, scenario: ScenarioInfo | null): string[] {
  const declared = trace.meta?.nodes ?? scenario?.nodes;
  const names: string[] = Array.isArray(declared) ? [...declared] : [];
  const seen = new Set(names);
  // Without a declaration (a hand-cut trace), lanes appear in order of first mention.
  const see = (n: unknown) => {
    if (typeof n === "string" && !seen.has(n)) { seen.add(n); names.push(n); }
  };
  for (const e of trace.events as (Event & { node?: unknown; from?: unknown; to?: unknown })[]) {
    see(e.node);
    see(e.from);
    see(e.to);
  }
  return names;
}

/** Clock skew per node: the scenario's `clocks`, or the trace meta's if the engine prints them. */
export function lanesOf(names: string[], scenario: ScenarioInfo | null, trace: ParsedTrace): Lane[] {
  const metaClocks = (trace.meta as { clocks?: ScenarioInfo["clocks"] } | null)?.clocks;
  const clocks = metaClocks ?? scenario?.clocks ?? {};
  return names.map((name) => {
    // Own keys only: clocks.constructor of a plain object is Object, not a node's clock.
    const c = (Object.hasOwn(clocks, name) ? clocks[name] : undefined) ?? {};
    const skewMs = c.skew ?? 0;
    const driftPpm = Math.round((c.drift ?? 0) * 1e6);
    const parts: string[] = [];
    if (skewMs !== 0) parts.push(`skew ${skewMs > 0 ? "+" : "−"}${fmtMs(Math.abs(skewMs))}`);
    if (driftPpm !== 0) parts.push(`drift ${driftPpm > 0 ? "+" : "−"}${Math.abs(driftPpm)} ppm`);
    return { name, skewMs, driftPpm, label: parts.length ? parts.join(" · ") : "clock exact" };
  });
}
