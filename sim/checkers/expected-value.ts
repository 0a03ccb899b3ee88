/** expected-value: every replica's final value equals the scenario's `expect.value`. */
import { canonicalKey } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";

export function expectedValue(replicas: readonly Replica[], want: unknown, expected: boolean): CheckResult {
  const wantKey = canonicalKey(want);
  const wrong = replicas.filter((r) => canonicalKey(r.value()) !== wantKey);
  if (wrong.length === 0) return { name: "expected-value", ok: true, expected, detail: `every replica shows ${wantKey}` };
  const got = wrong.map((r) => `${r.name} = ${r.valueJson()}`).join("; ");
  return { name: "expected-value", ok: false, expected, detail: `expected ${wantKey}; ${got}` };
}
