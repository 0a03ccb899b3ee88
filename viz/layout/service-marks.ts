/**
 * How a service's local event (sim/services: `seq` and `txn` lines) is drawn: its tone — a
 * request, an answer that worked, or a failure — and a short tag written beside the mark, so a
 * student sees "#3", "unavailable" or "x=1 y=0 fractured" on the diagram without hovering.
 *
 * A read is flagged fractured here, from the trace alone: it saw transaction T's version of one
 * key but an older version of another key T also wrote (half a transaction). That is what the
 * read-atomic checker reports; the picture has to point at the read it means.
 */
import { serviceLabel } from "./service-labels.ts";

type Line = { type: string; event?: unknown; [k: string]: unknown };
export type ServiceMark = { tone: "request" | "ok" | "fail"; label: string; tag: string };

const j = (v: unknown): string => JSON.stringify(v) ?? "?";
const pairs = (o: unknown): string =>
  o !== null && typeof o === "object"
    ? Object.entries(o as Record<string, unknown>)
        .map(([k, v]) => `${k}=${j(v)}`)
        .join(" ")
    : "?";

/** Transaction timestamps are "time/node": order by time, then by node. */
function older(a: unknown, b: string): boolean {
  if (typeof a !== "string") return true; // never written: older than any write
  const [ta, na = ""] = a.split("/"),
    [tb, nb = ""] = b.split("/");
  return Number(ta) < Number(tb) || (Number(ta) === Number(tb) && na < nb);
}

/** A stateful reader: it remembers which keys each transaction wrote, to spot fractured reads. */
export function serviceMarks(): (e: Line) => ServiceMark {
  const wrote = new Map<string, string[]>();
  return (e) => {
    const label = serviceLabel(e) ?? `${e.type} ${j(e.event)}`;
    const m = (tone: ServiceMark["tone"], tag: string, more = ""): ServiceMark => ({ tone, label: label + more, tag });
    if (e.type === "seq") {
      switch (e.event) {
        case "next":
          return m("request", "next?");
        case "ok":
          return m("ok", `#${e.n}`);
        case "timeout":
          return m("fail", "unavailable");
        case "assign":
          return m("ok", `#${e.n} → ${e.client}`);
        case "recover":
          return m("request", "recovered");
        case "unsynced-lost":
          return m("fail", "lost unanswered");
      }
      return m("request", "");
    }
    switch (e.event) {
      case "write":
        if (typeof e.ts === "string" && e.writes && typeof e.writes === "object") wrote.set(e.ts, Object.keys(e.writes));
        return m("request", `write ${pairs(e.writes)}`);
      case "committed":
        return m("ok", "committed");
      case "write-timeout":
        return m("fail", "abandoned");
      case "read":
        return m("request", "read");
      case "read-timeout":
        return m("fail", "read timed out");
      case "recover":
        return m("request", "recovered");
      case "unsynced-lost":
        return m("fail", "lost unanswered");
      case "rejected":
        return m("fail", "rejected");
      case "read-ok": {
        const why = fractured(e.versions, wrote);
        return why ? m("fail", `${pairs(e.values)} fractured`, ` — fractured: ${why}`) : m("ok", pairs(e.values));
      }
    }
    return m("request", "");
  };
}

/** Why a read is fractured ("saw 600/alice's x but an older y"), or "" when it is not. */
function fractured(versions: unknown, wrote: Map<string, string[]>): string {
  if (versions === null || typeof versions !== "object") return "";
  const seen = versions as Record<string, unknown>;
  for (const [k, v] of Object.entries(seen)) {
    if (typeof v !== "string") continue;
    for (const k2 of wrote.get(v) ?? []) if (k2 !== k && k2 in seen && seen[k2] !== v && older(seen[k2], v)) return `saw ${v}'s ${k} but an older ${k2}`;
  }
  return "";
}
