/**
 * The moment of convergence, or of the first divergence, as flags on the time axis.
 *
 * Convergence comes from the summary (stats.convergedAtMs, decided by the checker) when there is
 * one; a bare trace falls back to the engine's "converged" line, else to "all values equal from
 * then on". The first divergence is recomputed here from the trace, because the checker's
 * detail is prose: the first instant two replicas that applied the same updates (equal version
 * vectors) show different values — a strong-convergence violation, the bug the picture is for.
 */
import type { Summary } from "../../sim/run-types.ts";
import type { ParsedTrace } from "../trace.ts";
import { K, type Events, type Flag } from "./model.ts";
import { fmtMs } from "./text.ts";

export function convergenceFlags(trace: ParsedTrace, summary: Summary | null, ev: Events, nl: number): Flag[] {
  const flags: Flag[] = [];
  const vv = new Array<number>(nl).fill(-1);
  const val = new Array<number>(nl).fill(-1);
  let equalSince: number | null = null;
  let diverged = false;
  for (let i = 0; i < ev.t.length; i++) {
    const k = ev.kind[i]!;
    // Events that set a replica's state: updates, deliveries (buffered ones too) and restarts.
    if (k !== K.update && k !== K.merge && k !== K.receive && k !== K.buffered && k !== K.restart) continue;
    const l = ev.lane[i]!,
      t = ev.t[i]!;
    vv[l] = ev.vv[i]!;
    val[l] = ev.val[i]!;
    if (!diverged) {
      for (let m = 0; m < nl; m++) {
        if (m === l || vv[m] !== vv[l] || val[m] === val[l] || val[m]! < 0) continue;
        diverged = true;
        flags.push({ kind: "diverged", t, label: `first divergence at ${fmtMs(t)}: same updates, different values` });
        break;
      }
    }
    const allEqual = val.every((v) => v === val[0] && v >= 0);
    if (allEqual && equalSince === null) equalSince = t;
    if (!allEqual) equalSince = null;
  }

  // A run of services only (sequencer, RAMP) replicates nothing: there is no convergence to mark,
  // and a flag saying "converged at 0 ms" would claim something about data that does not exist.
  if (!ev.kind.includes(K.update)) return flags;

  const fromSummary = summary?.stats?.convergedAtMs;
  // The engine's closing line: {"type":"converged","ok":…,"at":time or null}; older ones: just t.
  const line = trace.events.filter((e) => e.type === "converged").at(-1);
  const fromTrace = line === undefined ? undefined : "at" in line ? (line.at as number | null) : line.t;
  const at = fromSummary !== undefined ? fromSummary : fromTrace !== undefined ? fromTrace : equalSince;
  if (typeof at === "number") flags.push({ kind: "converged", t: at, label: `converged at ${fmtMs(at)}` });
  else {
    const end = Math.max(0, ...ev.t);
    flags.push({ kind: "not-converged", t: end, label: "never converged" });
  }
  return flags.sort((a, b) => a.t - b.t);
}
