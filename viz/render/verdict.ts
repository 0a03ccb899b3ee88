/**
 * The badge a run wears in every view (gallery card, timeline page, timeline.svg). "PASS" alone
 * would file a scenario whose whole point is a lost update next to the ones where nothing went
 * wrong: when the scenario expected an anomaly and the checker caught it, the badge says so.
 */
import type { CheckResult } from "../../sim/run-types.ts";

export type Verdict = {
  /** CSS class: pass (green), shown (amber: the anomaly the scenario demonstrates), fail (red). */
  cls: "pass" | "shown" | "fail";
  badge: string;
  /** What the badge means, for a tooltip. */
  title: string;
  /** The expected anomalies the checker caught: what the scenario demonstrates. */
  caught: CheckResult[];
};

export const VERDICT_COLOUR = { pass: "#15803d", shown: "#b45309", fail: "#b91c1c" } as const;

export function verdictOf(ok: boolean, checks: readonly CheckResult[]): Verdict {
  const caught = checks.filter((c) => !c.expected && !c.ok);
  if (!ok) return { cls: "fail", badge: "FAIL", title: "not what the scenario expects: a check disagrees with its expectation", caught };
  if (caught.length)
    return { cls: "shown", badge: "ANOMALY SHOWN", title: `as expected, the checker caught the anomaly this scenario demonstrates: ${caught.map((c) => c.name).join(", ")}`, caught };
  return { cls: "pass", badge: "PASS", title: "every check held as the scenario expects", caught };
}

/** The checker's name for a check, as a phrase a student reads ("counter-total" → "counter total"). */
export const checkPhrase = (name: string): string => name.replace(/-/g, " ");
