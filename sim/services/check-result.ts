/**
 * A core service checker's verdict (core/sequencer, core/ramp: the first offending event's
 * index into the history) as a run's CheckResult whose detail points at that event in time.
 */
import type { CheckResult } from "../run-types.ts";

type CoreVerdict = { ok: true; detail: string } | { ok: false; detail: string; index: number };

export function firstFailure(name: string, verdict: CoreVerdict, times: readonly number[], expected: (name: string) => boolean, passTail = ""): CheckResult {
  if (verdict.ok) return { name, ok: true, expected: expected(name), detail: verdict.detail + passTail };
  return { name, ok: false, expected: expected(name), detail: `t=${times[verdict.index]} (history event ${verdict.index}): ${verdict.detail}` };
}
