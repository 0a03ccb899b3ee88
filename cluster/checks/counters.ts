/**
 * counter-total on a client history: the final count lies between what the acknowledged ops
 * surely did and what they and the indeterminate ones could have done together. With no
 * indeterminate op the bound is exact. (An op refused or never sent counts for nothing.)
 */
import type { CheckResult } from "../../sim/index.ts";
import type { HistoryEntry } from "../history.ts";

const amountOf = (h: HistoryEntry): number => (typeof h.args[0] === "number" ? h.args[0] : 1);

export function counterTotal(history: readonly HistoryEntry[], finals: Record<string, unknown>, expected: boolean): CheckResult {
  let lo = 0;
  let hi = 0;
  let unsure = 0;
  for (const h of history) {
    if ((h.op !== "inc" && h.op !== "dec") || h.type === "fail") continue;
    const d = (h.op === "inc" ? 1 : -1) * amountOf(h);
    if (h.type === "ok") {
      lo += d;
      hi += d;
    } else {
      unsure++;
      if (d > 0) hi += d;
      else lo += d;
    }
  }
  const range = lo === hi ? `${lo}` : `between ${lo} and ${hi}`;
  for (const [node, v] of Object.entries(finals)) {
    if (typeof v !== "number" || v < lo || v > hi)
      return { name: "counter-total", ok: false, expected, detail: `${node}: final count ${JSON.stringify(v)}, but the history allows ${range} (${unsure} indeterminate ops)` };
  }
  return {
    name: "counter-total",
    ok: true,
    expected,
    detail: `every node counts ${JSON.stringify(Object.values(finals)[0])}, as the history allows (${range}; ${unsure} indeterminate ops)`,
  };
}

/** durability for counters: no node counts less than the acknowledged increments minus every decrement that may have happened. */
export function counterDurability(history: readonly HistoryEntry[], finals: Record<string, unknown>, expected: boolean): CheckResult {
  let floor = 0;
  for (const h of history) {
    if (h.type === "fail") continue;
    if (h.op === "inc" && h.type === "ok") floor += amountOf(h);
    else if (h.op === "dec") floor -= amountOf(h);
  }
  for (const [node, v] of Object.entries(finals))
    if (typeof v !== "number" || v < floor)
      return {
        name: "durability",
        ok: false,
        expected,
        detail: `${node}: final count ${JSON.stringify(v)} is below ${floor}, what the acknowledged increments leave after every possible decrement`,
      };
  return { name: "durability", ok: true, expected, detail: `every node counts at least ${floor}, what the acknowledged increments leave after every possible decrement` };
}
