/**
 * Readable labels for the services' local trace events (sim/services: `seq` and `txn` lines),
 * e.g. `next("invoice") = 7`, `read x=1 y=0`. Pure and tolerant: a field the engine did not
 * write shows as "?" rather than breaking the timeline.
 */
type Line = { type: string; event?: unknown; [k: string]: unknown };

const j = (v: unknown): string => JSON.stringify(v) ?? "?";
const pairs = (o: unknown): string =>
  o !== null && typeof o === "object"
    ? Object.entries(o as Record<string, unknown>)
        .map(([k, v]) => `${k}=${j(v)}`)
        .join(" ")
    : "?";

/** The label of a `seq` or `txn` line, or undefined for other lines. */
export function serviceLabel(e: Line): string | undefined {
  if (e.type === "seq") {
    const next = `next(${j(e.name)})`;
    switch (e.event) {
      case "next":
        return `asks ${next} (request ${e.req})`;
      case "ok":
        return `${next} = ${e.n}`;
      case "timeout":
        return `${next} timed out: reported unavailable, no number`;
      case "assign":
        return `sequencer assigns ${e.name} ${e.n} to ${e.client} (durable)`;
      case "recover":
        return `sequencer recovered from disk: ${pairs(e.counters)}`;
      case "unsynced-lost":
        return `sequencer crash lost ${e.records} unsynced assignment(s), never answered`;
    }
    return `sequencer ${j(e.event)}`;
  }
  if (e.type === "txn") {
    switch (e.event) {
      case "write":
        return `txn ${e.ts} writes ${pairs(e.writes)}`;
      case "committed":
        return `txn ${e.ts} committed on every shard`;
      case "write-timeout":
        return `txn ${e.ts} abandoned: not prepared everywhere in time (never visible)`;
      case "read":
        return `read #${e.read} of ${Array.isArray(e.keys) ? e.keys.join(", ") : "?"}`;
      case "read-ok":
        return `read #${e.read}: ${pairs(e.values)}`;
      case "read-timeout":
        return `read #${e.read} timed out`;
      case "recover":
        return `shard recovered from disk: ${e.versions} version(s)`;
      case "unsynced-lost":
        return `shard crash lost ${e.records} unsynced record(s), never answered`;
      case "rejected":
        return `shard rejected a request: ${typeof e.reason === "string" ? e.reason : "?"}`;
    }
    return `txn ${j(e.event)}`;
  }
  return undefined;
}
