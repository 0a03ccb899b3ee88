/**
 * Numeric ranges that keep a run's arithmetic exact: virtual times, latencies and clock readings
 * stay finite safe integers (and inside the ±2^52 ms an HLC encodes), whatever a scenario says.
 * Without these a pareto `shape` of 1e-9 made an infinite latency that surfaced as a broken
 * trace line, and a clock `skew` of -9e15 passed validation and failed at the first write.
 */
import type { LatencySpec, Scenario } from "./types.ts";
import { formatPath, joinPath, type ScenarioIssue } from "./load-errors.ts";
import { MAX_DEPTH } from "./load-json.ts";

/** Virtual times (duration, `at`, ...): about 31.7 years; leaves room below 2^52 for latencies and final rounds. */
export const MAX_TIME_MS = 1e12;
/** One message's latency: about 11.6 days (reordering may stretch it 11×). */
export const MAX_LATENCY_MS = 1e9;
/** How far a clock may be moved (skew, plus every jump it can take): 2^50 ms, so readings stay inside ±2^52. */
export const MAX_CLOCK_OFFSET_MS = 2 ** 50;
const OFFSET_TEXT = `±${MAX_CLOCK_OFFSET_MS} ms (±2^50, the range in which a clock still reads exact integer ms)`;

/** The smallest `1 - u` the engine's uniform draws produce (Alea: 32-bit resolution). */
const MIN_TAIL = 2 ** -32;

/**
 * Every number that is not finite (Infinity, -Infinity, NaN), with its path: JSON.parse turns
 * `1e999` into Infinity without a word. Also refuses cycles and nesting deeper than the parser
 * allows, so no later walk can loop or overflow the stack on an in-memory scenario.
 */
export function nonFiniteIssues(input: unknown): ScenarioIssue[] {
  // The common case, a clean scenario of possibly a million steps, takes the quick walk; paths are
  // tracked only when it finds something (or meets deep nesting, which may be a cycle).
  return allFinite(input, 0) ? [] : locateNonFinite(input);
}

function allFinite(v: unknown, depth: number): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (v === null || typeof v !== "object") return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!allFinite(v[i], depth + 1)) return false;
    return true;
  }
  for (const key in v) if (Object.prototype.hasOwnProperty.call(v, key) && !allFinite((v as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

function locateNonFinite(input: unknown): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const path: (string | number)[] = [];
  const open = new Set<object>();
  const walk = (v: unknown): void => {
    if (issues.length >= 20) return;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) issues.push({ path: formatPath(path), reason: `${v} is not a finite number (a JSON number like 1e999 overflows to Infinity)` });
      return;
    }
    if (v === null || typeof v !== "object") return;
    if (open.has(v)) return void issues.push({ path: formatPath(path), reason: "the value contains itself (a cycle)" });
    if (path.length >= MAX_DEPTH) return void issues.push({ path: formatPath(path), reason: `nested deeper than ${MAX_DEPTH} levels` });
    open.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else {
      for (const key of Object.keys(v)) {
        path.push(key);
        walk((v as Record<string, unknown>)[key]);
        path.pop();
      }
    }
    open.delete(v);
  };
  walk(input);
  return issues;
}

/** Largest latency a distribution can draw without a `max` cap, with the field that sets it and its valid range. */
function worstLatency(l: LatencySpec): { worst: number; field: string; valid: string } | undefined {
  switch (l.dist) {
    case "constant":
    case "uniform":
      return undefined; // bounded by the schema
    case "normal": {
      const k = Math.sqrt(-2 * Math.log(MIN_TAIL));
      return { worst: l.mean + l.sd * k, field: "sd", valid: `mean + ${k.toFixed(2)} × sd at most ${MAX_LATENCY_MS}` };
    }
    case "exponential": {
      const k = -Math.log(MIN_TAIL);
      return { worst: l.mean * k, field: "mean", valid: `mean at most ${Math.floor(MAX_LATENCY_MS / k)}` };
    }
    case "pareto": {
      const minShape = -Math.log2(MIN_TAIL) / Math.log2(MAX_LATENCY_MS / l.scale);
      return { worst: l.scale / Math.pow(MIN_TAIL, 1 / l.shape), field: "shape", valid: `shape at least ${(Math.ceil(minShape * 1000) / 1000).toString()} for scale ${l.scale}` };
    }
  }
}

/** A latency distribution whose draws could pass MAX_LATENCY_MS (or Infinity) with no `max` to cap them. */
export function latencyIssues(s: Scenario): ScenarioIssue[] {
  const l = s.network?.latency;
  if (!l || ("max" in l && l.max !== undefined && l.dist !== "uniform")) return [];
  const w = worstLatency(l);
  if (!w || w.worst <= MAX_LATENCY_MS) return [];
  const shown = Number.isFinite(w.worst) ? `${w.worst.toPrecision(3)} ms` : "Infinity";
  return [
    {
      path: `network.latency.${w.field}`,
      reason: `${l.dist} latencies could reach ${shown}, over the limit of ${MAX_LATENCY_MS} ms: give "max" to cap them, or keep ${w.valid}`,
    },
  ];
}

/**
 * Every clock stays within MAX_CLOCK_OFFSET_MS of real time: per node, its skew plus every jump
 * it can take (scripted jumps, and in the worst case every clock-nemesis jump lands on it).
 */
export function clockIssues(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const over = (x: number) => !(Math.abs(x) <= MAX_CLOCK_OFFSET_MS);
  const nc = s.nemesis?.clocks;
  for (const [name, c] of Object.entries(s.clocks ?? {})) {
    if (c.skew !== undefined && over(c.skew)) issues.push({ path: joinPath(joinPath("clocks", name), "skew"), reason: `${c.skew} ms is outside ${OFFSET_TEXT}` });
  }
  for (const key of ["skew", "jump"] as const) {
    const r = nc?.[key];
    if (r && (over(r[0]) || over(r[1]))) issues.push({ path: `nemesis.clocks.${key}`, reason: `[${r[0]}, ${r[1]}] goes outside ${OFFSET_TEXT}` });
  }
  if (issues.length > 0) return issues;
  const nemesisSkew = nc?.skew ? Math.max(Math.abs(nc.skew[0]), Math.abs(nc.skew[1])) : 0;
  const nemesisJumps = nc?.jump ? Math.floor(s.duration / nc.every) * Math.max(Math.abs(nc.jump[0]), Math.abs(nc.jump[1])) : 0;
  if (over(nemesisJumps + nemesisSkew))
    return [
      {
        path: "nemesis.clocks.jump",
        reason: `${Math.floor(s.duration / nc!.every)} jumps of up to ${Math.max(Math.abs(nc!.jump![0]), Math.abs(nc!.jump![1]))} ms can move a clock outside ${OFFSET_TEXT}`,
      },
    ];
  const moved = new Map<string, number>();
  (s.steps ?? []).forEach((step, i) => {
    if (!("clockJump" in step)) return;
    const node = step.clockJump.node;
    const base = moved.get(node) ?? Math.max(Math.abs(s.clocks?.[node]?.skew ?? 0), nemesisSkew) + nemesisJumps;
    const total = base + Math.abs(step.clockJump.by);
    moved.set(node, total);
    if (over(total) && issues.length === 0)
      issues.push({ path: `steps[${i}].clockJump.by`, reason: `node "${node}"'s clock skew and jumps add up to ${total} ms by here, outside ${OFFSET_TEXT}` });
  });
  return issues;
}
