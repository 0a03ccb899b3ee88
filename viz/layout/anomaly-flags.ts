/**
 * Where each failed check first saw its property break, as flags on the time axis with a ring
 * on the node's lane: the checker's `at` (summary.json) placed on the picture, so a reader sees
 * the lost write or the bad merge instead of hunting for the time given in the detail's prose.
 * An anomaly the scenario expects (caught on purpose) is told apart from a real failure.
 */
import type { CheckResult } from "../../sim/run-types.ts";
import type { Flag } from "./model.ts";

export function anomalyFlags(checks: readonly CheckResult[], laneOf: ReadonlyMap<string, number>, existing: readonly Flag[]): Flag[] {
  const out: Flag[] = [];
  for (const c of checks) {
    if (c.ok || c.at === undefined) continue;
    const lane = laneOf.get(c.at.node);
    if (lane === undefined || !(c.at.t >= 0)) continue;
    // strong-convergence's break is already the "first divergence" flag, recomputed from the trace.
    if (c.name === "strong-convergence" && existing.some((f) => f.kind === "diverged")) continue;
    out.push({ kind: "anomaly", t: c.at.t, label: `✗ ${c.name} at ${c.at.node}`, lane, caught: !c.expected });
  }
  return out;
}

/** A divergence or a failure to converge that the scenario demonstrates on purpose is amber, like its check. */
export function markExpected(flags: readonly Flag[], checks: readonly CheckResult[]): Flag[] {
  const expectsAnomaly = (name: string) => checks.some((c) => c.name === name && !c.expected);
  return flags.map((f) =>
    (f.kind === "diverged" && expectsAnomaly("strong-convergence")) || (f.kind === "not-converged" && expectsAnomaly("convergence")) ? { ...f, caught: true } : f,
  );
}
