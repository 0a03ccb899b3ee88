/**
 * What the page shows at the cursor — each replica's value and version vector, whether it is
 * down, which partition holds, which checks have fired — read from the run's timeline model.
 * Built once per run (per-lane event indexes), then each frame is a few binary searches.
 */
import type { CheckResult } from "../../sim/run-types.ts";
import { A, type Model } from "../../viz/layout/model.ts";
import { formatVV } from "../../viz/layout/text.ts";
import { textOf } from "../../viz/page/query.js";

export type ReplicaAt = { node: string; value: string; vv: string; down: "crashed" | "paused" | null };
/** `fired`: the check broke at or before the cursor; `decided`: its verdict is known by then (fired, or the run's end reached). */
export type CheckAt = { check: CheckResult; fired: boolean; decided: boolean };
/** A replica message on the wire at the cursor: what the drop, duplicate and hold steps can name. */
export type MessageAt = { msg: number; kind: string; from: string; to: string; sentAt: number; endsAt: number };
/** `serviceInFlight`: the services' messages on the wire at the cursor (drawn, not listed: no step reaches them). */
export type Cursor = { replicas: ReplicaAt[]; partition: string | null; checks: CheckAt[]; diverged: boolean; inFlight: MessageAt[]; serviceInFlight: number };

/** The replicas' message kinds (sim/engine/trace.ts); a service's messages cross another network, which steps do not reach. */
const REPLICA_KINDS = new Set(["delta", "state", "ae", "op", "ops", "digest"]);
/** At most this many messages in flight are listed (a busy run has hundreds). */
export const MAX_IN_FLIGHT = 12;

/** Index of the last element ≤ t in a sorted array, or -1. */
function lastAtOrBefore(ts: readonly number[], t: number): number {
  let lo = 0,
    hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class CursorReader {
  private readonly laneEvents: number[][];
  private readonly laneTimes: number[][];
  /** When the run's own events end: end-state checks (convergence) fire there. */
  readonly end: number;

  /**
   * `initial`: each lane's value before its first event (the CRDT's initial value, as JSON), so
   * a replica that has heard nothing yet shows its empty value rather than nothing.
   */
  constructor(
    private readonly m: Model,
    duration: number,
    private readonly initial: readonly string[] = [],
  ) {
    this.laneEvents = m.lanes.map(() => []);
    this.laneTimes = m.lanes.map(() => []);
    m.ev.t.forEach((t, i) => {
      const lane = m.ev.lane[i]!;
      this.laneEvents[lane]?.push(i);
      this.laneTimes[lane]?.push(t);
    });
    this.end = Math.max(duration, m.t1);
  }

  /** The first event time after t (for "step"), or null at the end. */
  nextEventAfter(t: number): number | null {
    const i = lastAtOrBefore(this.m.ev.t, t) + 1;
    return i < this.m.ev.t.length ? this.m.ev.t[i]! : null;
  }

  at(t: number): Cursor {
    const m = this.m;
    const text = (tab: Model["texts"]["vv"], i: number | undefined) => (i === undefined || i < 0 ? "" : textOf(tab, i));
    const replicas = m.lanes.map((lane, l): ReplicaAt => {
      const k = lastAtOrBefore(this.laneTimes[l] ?? [], t);
      const i = k < 0 ? undefined : this.laneEvents[l]?.[k];
      const band = m.bands.find((b) => b.lane === l && (b.kind === "crash" || b.kind === "pause") && b.from <= t && t < b.to);
      // No value known (-1): before the replica's first change its initial value; while crashed, nothing.
      const known = i === undefined ? "" : text(m.texts.val, m.ev.val[i]);
      return {
        node: lane.name,
        value: known || (band?.kind === "crash" ? "—" : (this.initial[l] ?? "—")),
        vv: i === undefined ? formatVV({}, []) : text(m.texts.vv, m.ev.vv[i]),
        down: band?.kind === "crash" ? "crashed" : band?.kind === "pause" ? "paused" : null,
      };
    });
    const part = m.bands.find((b) => b.lane === -1 && b.from <= t && t < b.to);
    const live = replicas.filter((r) => r.down === null && r.value !== "—");
    const diverged = live.some((r) => r.value !== live[0]!.value);
    const checks = m.checks.map((check) => {
      const fired = !check.ok && (check.at ? check.at.t <= t : t >= this.end);
      return { check, fired, decided: fired || t >= this.end };
    });
    return { replicas, partition: part ? part.label : null, checks, diverged, ...this.inFlightAt(t) };
  }

  /** Replica messages sent at or before t and not yet delivered, dropped or held, oldest first; and how many of the services'. */
  private inFlightAt(t: number): { inFlight: MessageAt[]; serviceInFlight: number } {
    const { ev, arrows: ar, lanes, strs } = this.m;
    const out: MessageAt[] = [];
    let services = 0;
    for (let k = 0; k < ar.s.length; k++) {
      const s = ar.s[k]!;
      const sentAt = ev.t[s]!;
      // A duplicate's arrow starts at the original's send: its own id is not on the model.
      if (sentAt > t || ar.st[k] === A.duplicate) continue;
      const held = ar.h[k]!;
      const endsAt = held >= 0 ? held : ar.t[k]!;
      const kind = strs[ar.mk[k]!] ?? "";
      if (t >= endsAt) continue;
      if (!REPLICA_KINDS.has(kind)) {
        services++;
        continue;
      }
      if (out.length < MAX_IN_FLIGHT) out.push({ msg: ev.msg[s]!, kind, from: lanes[ev.lane[s]!]?.name ?? "?", to: lanes[ar.to[k]!]?.name ?? "?", sentAt, endsAt });
    }
    return { inFlight: out, serviceInFlight: services };
  }
}
