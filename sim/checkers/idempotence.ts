/**
 * idempotence: re-applying a delivered message to the state it produced changes nothing (same
 * value, and the same encoding when the type has a codec). Every delivery of a small run is
 * checked; past the first FULL deliveries a seeded sample is, with gaps growing with the run
 * so the hot path stays cheap (about FULL · (1 + ln(deliveries / FULL) / 5) checks in all).
 */
import type { StateCrdt } from "../../core/contract.ts";
import { FirstViolation, type OnFirst } from "./first-violation.ts";
import type { CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";
import { canonicalKey } from "../../core/util/json.ts";
import type { Rng } from "../rng.ts";
import { thrownText } from "./thrown.ts";
import { differenceOf, thrownShape } from "./signature.ts";

const FULL = 1000;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Idempotence {
  private seen = 0;
  private checked = 0;
  private gap = 0;
  private readonly violations: FirstViolation;

  /**
   * `reapply` (op mode): what delivering the same message again does to a state — nothing when
   * the layer drops duplicates, the effect once more when it does not. Default: merge.
   */
  constructor(
    private readonly crdt: StateCrdt<any, unknown>,
    private readonly clone: (s: any) => any,
    private readonly rng: Rng,
    private readonly reapply: ((state: unknown, payload: unknown) => unknown) | null = null,
    onFirst: OnFirst | null = null,
    /** Off (a run judged for another check alone: first-violation.ts StopAt): no delivery is checked. */
    private readonly off = false,
  ) {
    this.violations = new FirstViolation(onFirst);
  }

  /** Counts a delivery; true when this one is to be checked. */
  sample(): boolean {
    if (this.off) return false;
    if (++this.seen <= FULL) return true;
    return --this.gap > 0 ? false : this.nextGap();
  }

  // Out of line: `sample` runs on every delivery and is inlined into the engine's delivery path.
  private nextGap(): boolean {
    this.gap = 1 + Math.floor((this.rng.float() * 10 * this.seen) / FULL);
    return true;
  }

  /** `r` has just merged `payload` (message `msg`, at time t). */
  check(r: Replica, payload: unknown, t: number, msg: number): void {
    this.checked++;
    let problem = "";
    let signature = "";
    try {
      const again = this.reapply ? this.reapply(this.clone(r.state), payload) : this.crdt.merge(this.clone(r.state), payload);
      const v = this.crdt.value(again);
      const key = typeof v === "number" ? v : canonicalKey(v);
      if (key !== r.valueKey()) {
        problem = `changed the state: value ${r.valueJson()} became ${key}`;
        signature = `value changed: ${differenceOf(r.value(), v)}`;
      } else if (!this.reapply && this.crdt.codec && !sameBytes(this.crdt.codec.encode(again), this.crdt.codec.encode(r.state))) {
        problem = `changed the state: value unchanged but the encoded state differs`;
        signature = "encoding changed";
      }
    } catch (e) {
      problem = `threw: ${thrownText(e)}`;
      signature = `threw: ${thrownShape(problem)}`;
    }
    if (problem) this.violations.record({ t, node: r.name }, () => ({ signature, text: `t=${t} msg ${msg} to ${r.name}: applying it a second time ${problem}` }));
  }

  result(expected: boolean): CheckResult {
    const scope =
      this.checked === this.seen ? `checked all ${this.seen} deliveries` : `checked ${this.checked} of ${this.seen} deliveries (all of the first ${FULL}, then a seeded sample)`;
    const v = this.violations;
    if (v.count === 0) return { name: "idempotence", ok: true, expected, detail: scope };
    return v.fail("idempotence", expected, `${v.first} (${v.counted()}; ${scope})`);
  }
}
