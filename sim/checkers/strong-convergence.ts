/**
 * strong-convergence: at every instant, replicas that have applied the same set of updates show
 * equal values. Checked incrementally after each change to a replica, against the other
 * replicas' current state: knowledge fingerprints are compared first (integers), values only
 * when the update sets agree, so the cost per delivery is a few integer comparisons.
 */
import { disagreementOf } from "./signature.ts";
import { FirstViolation, type OnFirst } from "./first-violation.ts";
import type { CheckResult } from "../run-types.ts";
import { describe, type Replica } from "../engine/replica.ts";

export class StrongConvergence {
  private compared = 0;
  private readonly violations: FirstViolation;

  constructor(
    private readonly replicas: readonly Replica[],
    onFirst: OnFirst | null = null,
  ) {
    this.violations = new FirstViolation(onFirst);
  }

  /** After `r` changed at time t through event `what` (see `describe`). */
  afterChange(r: Replica, t: number, what: number): void {
    const reps = this.replicas;
    const k = r.knowledge;
    for (let j = 0; j < reps.length; j++) {
      const other = reps[j]!;
      if (other === r || !k.likelySame(other.knowledge)) continue;
      this.compared++;
      if (r.valueKey() === other.valueKey() || !k.sameAs(other.knowledge)) continue;
      this.violation(r, other, t, what);
    }
  }

  // Out of line: this runs after every delivery, and the message building would otherwise count
  // against the inlining budget of the engine's delivery path.
  private violation(r: Replica, other: Replica, t: number, what: number): void {
    this.violations.record({ t, node: r.name }, () => ({
      signature: `values differ: ${disagreementOf(r.value(), other.value())}`,
      text:
        `t=${t} after ${describe(r, what)} at ${r.name}: ${r.name} and ${other.name} have applied the same ${r.knowledge.count} ` +
        `updates but show ${r.valueJson()} and ${other.valueJson()}`,
    }));
  }

  result(expected: boolean): CheckResult {
    const v = this.violations;
    if (v.count === 0) return { name: "strong-convergence", ok: true, expected, detail: `${this.compared} comparisons of replicas with equal update sets, all equal` };
    return v.fail("strong-convergence", expected, `${v.first} (${v.counted()} in all)`);
  }
}
