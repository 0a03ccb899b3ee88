/**
 * convergence: after the final heal and quiescence, every replica shows the same value.
 * The engine reports how the final phase ended; this turns it into a verdict whose detail lists
 * the differing values.
 */
import { disagreementOf } from "./signature.ts";
import type { CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";

/** How the final phase ended: quiescent = same updates and same values everywhere, nothing in flight. */
export type FinalPhase = { quiescent: boolean; sameUpdates: boolean; rounds: number; at: number; convergedAt: number | null };

export function convergence(replicas: readonly Replica[], fin: FinalPhase, expected: boolean): CheckResult {
  const keys = new Set(replicas.map((r) => r.valueKey()));
  if (keys.size <= 1)
    return {
      name: "convergence",
      ok: true,
      expected,
      detail: `all ${replicas.length} replicas equal since t=${fin.convergedAt ?? fin.at} (${fin.rounds} anti-entropy rounds after heal)`,
    };
  // Group nodes by value so that five replicas with two values read as two lines, not five.
  const groups = new Map<string | number, string[]>();
  for (const r of replicas) {
    const k = r.valueKey();
    const g = groups.get(k);
    if (g) g.push(r.name);
    else groups.set(k, [r.name]);
  }
  const values = [...groups.entries()].map(([, names]) => `${names.join(", ")} = ${replicas.find((r) => r.name === names[0])!.valueJson()}`).join("; ");
  const why = fin.sameUpdates ? "every replica has applied the same updates, yet values differ" : `update sets still differ after ${fin.rounds} anti-entropy rounds`;
  const shown = [...groups.values()].map((names) => replicas.find((r) => r.name === names[0])!.value());
  const shape = shown.length > 1 ? disagreementOf(shown[0], shown[1]) : "one value";
  const signature = `${fin.sameUpdates ? "same updates, values differ" : "update sets differ"}: ${shape}`;
  return { name: "convergence", ok: false, expected, detail: `at t=${fin.at}, ${why}: ${values}`, signature };
}
