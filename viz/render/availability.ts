/**
 * CAP made visible, as a table: per node, the CRDT writes it accepted and, per service it used,
 * how its requests ended and how long the answered ones took (summary `stats.availability`).
 * Pure: rows of text cells, rendered by the HTML page and report.md alike.
 */
import type { RunStats, ServiceTally } from "../../sim/run-types.ts";

/** How a node fared with a service: every request answered, some not, none answered (unavailable to it), or never asked. */
export type Tone = "ok" | "partial" | "down" | "none";
export type AvailabilityTable = { services: string[]; rows: { node: string; writes: number; cells: string[]; tones: Tone[] }[] };

export function tallyTone(t: ServiceTally | undefined): Tone {
  if (t === undefined || t.attempted === 0) return "none";
  if (t.succeeded === 0) return "down";
  return t.succeeded === t.attempted ? "ok" : "partial";
}

const isTally = (x: unknown): x is ServiceTally => typeof x === "object" && x !== null && "attempted" in x;

/** One service's cell: "2 ok · 1 timed out of 3 · p50 20 ms, p99 140 ms"; "—" where the node never asked. */
export function tallyText(t: ServiceTally | undefined): string {
  if (t === undefined) return "—";
  const ends = [`${t.succeeded} ok`, ...(t.timedOut ? [`${t.timedOut} timed out`] : []), ...(t.unfinished ? [`${t.unfinished} unfinished`] : [])];
  const lat = t.latencyMs ? ` · p50 ${t.latencyMs.p50} ms, p99 ${t.latencyMs.p99} ms` : "";
  return `${ends.join(" · ")} of ${t.attempted}${lat}`;
}

/** The table, or null for a run without services. Services in first-use order across nodes. */
export function availabilityTable(stats: RunStats | null): AvailabilityTable | null {
  const av = stats?.availability;
  if (av === undefined) return null;
  const services: string[] = [];
  for (const entry of Object.values(av)) for (const [k, v] of Object.entries(entry)) if (isTally(v) && !services.includes(k)) services.push(k);
  const rows = Object.entries(av).map(([node, entry]) => {
    const tallies = services.map((svc) => (isTally(entry[svc]) ? (entry[svc] as ServiceTally) : undefined));
    return { node, writes: typeof entry.crdtWrites === "number" ? entry.crdtWrites : 0, cells: tallies.map(tallyText), tones: tallies.map(tallyTone) };
  });
  return { services, rows };
}

/** How the page and report.md name a service column. */
export const serviceTitle = (svc: string): string => (svc === "transactions" ? "RAMP transactions" : svc);
