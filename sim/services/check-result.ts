/**
 * A core service checker's verdict (core/sequencer, core/ramp: the first offending event's
 * index into the history) as a run's CheckResult whose detail points at that event in time,
 * and whose `at` places it on the node of the client that saw it (`nodeOf`).
 */
import type { CheckResult as HistoryCheckResult } from "../../core/history-check.ts";
import { failedCheck, type CheckResult } from "../run-types.ts";

type CoreVerdict = HistoryCheckResult<unknown>;

export function firstFailure(
  name: string,
  verdict: CoreVerdict,
  times: readonly number[],
  expected: (name: string) => boolean,
  passTail: string,
  nodeOf: (index: number) => string | undefined,
): CheckResult {
  if (verdict.ok) return { name, ok: true, expected: expected(name), detail: verdict.detail + passTail };
  const t = times[verdict.index]!;
  const detail = `t=${t} (history event ${verdict.index}): ${verdict.detail}`;
  const node = nodeOf(verdict.index);
  return failedCheck(name, expected(name), detail, node === undefined ? undefined : { t, node });
}
