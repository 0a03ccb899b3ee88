/**
 * sequencer-unique and sequencer-monotonic on a cluster history: core's own checkers (the ones
 * the simulator runs), fed the `next` requests as their invocations and answers in wall-clock
 * order. A client here is a node's connection and a request its history entry. The sequencer's
 * own `assign` records stay on its disk, so the checks see what clients saw: no number given
 * twice, and a request invoked after another was answered gets a larger number.
 */
import { type SeqEvent, sequencerMonotonic, sequencerUnique } from "../../core/index.ts";
import type { CheckResult } from "../../sim/index.ts";
import type { HistoryEntry } from "../history.ts";

export function sequencerChecks(history: readonly HistoryEntry[], expectUnique: boolean, expectMonotonic: boolean): CheckResult[] {
  const timed: { t: number; invoke: boolean; e: SeqEvent; h: HistoryEntry }[] = [];
  for (const h of history) {
    if (h.op !== "next" || h.type === "fail") continue;
    const name = String(h.args[0]);
    timed.push({ t: h.invoke, invoke: true, e: { type: "invoke", client: h.node, requestId: h.index, name }, h });
    if (h.type === "ok" && typeof h.value === "number") timed.push({ t: h.complete, invoke: false, e: { type: "ok", client: h.node, requestId: h.index, name, n: h.value }, h });
  }
  // At the same instant an answer comes before an invocation: only a request invoked strictly after an answer must get more.
  timed.sort((a, b) => a.t - b.t || (a.invoke === b.invoke ? 0 : a.invoke ? 1 : -1));
  const events = timed.map((x) => x.e);
  const verdict = (name: string, expected: boolean, r: ReturnType<typeof sequencerUnique>): CheckResult => {
    if (r.ok) return { name, ok: true, expected, detail: `${r.detail} (${timed.filter((x) => !x.invoke).length} numbers answered)` };
    const h = timed[r.index]!.h;
    return { name, ok: false, expected, detail: r.detail, at: { t: Math.round(h.complete), node: h.node } };
  };
  return [verdict("sequencer-unique", expectUnique, sequencerUnique(events)), verdict("sequencer-monotonic", expectMonotonic, sequencerMonotonic(events))];
}
