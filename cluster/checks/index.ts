/**
 * The checks of a cluster run, on its recorded history and each node's final state: the
 * simulator's check names and verdict shape (sim's CheckResult), decided from what clients saw.
 * Which run depends on the type, as in the simulator: convergence always; durability always
 * (every run may kill -9); counter-total for counters; add-wins for the OR-Set; no-lost-writes
 * for registers; read-atomic for RAMP transactions; expected-value when the scenario gives `expect.value`.
 */
import { canonicalKey } from "../../core/index.ts";
import type { CheckResult } from "../../sim/index.ts";
import type { HistoryEntry } from "../history.ts";
import type { ClusterCrdt } from "../support.ts";
import { counterDurability, counterTotal } from "./counters.ts";
import { noLostWrites } from "./registers.ts";
import { readAtomic } from "./read-atomic.ts";
import { sequencerChecks } from "./sequencer.ts";
import { addWins, setDurability } from "./sets.ts";

export type CheckInput = {
  crdt: ClusterCrdt;
  history: readonly HistoryEntry[];
  /** Each node's final value, by node. */
  finals: Record<string, unknown>;
  /** Whether the final states stopped changing and agreed before the wait ran out, and after how long. */
  settled: { equal: boolean; afterMs: number };
  expectChecks: Record<string, boolean>;
  expectValue?: { value: unknown };
  /** The scenario declares a sequencer: its checks run on the history's `next` requests. */
  sequencer?: boolean;
  /** The scenario declares RAMP shards: read-atomic runs on the history's `txn` reads and writes. */
  ramp?: boolean;
};

export function checkHistory(i: CheckInput): CheckResult[] {
  const expected = (name: string) => i.expectChecks[name] ?? true;
  const out: CheckResult[] = [convergence(i, expected("convergence"))];
  if (i.crdt === "g-counter" || i.crdt === "pn-counter") {
    out.push(counterTotal(i.history, i.finals, expected("counter-total")));
    out.push(counterDurability(i.history, i.finals, expected("durability")));
  } else if (i.crdt === "g-set" || i.crdt === "or-set") {
    if (i.crdt === "or-set" || "add-wins" in i.expectChecks) out.push(addWins(i.history, i.finals, expected("add-wins")));
    out.push(setDurability(i.history, i.finals, expected("durability")));
  } else {
    out.push(registerDurability(i.history, i.finals, expected("durability")));
    out.push(noLostWrites(i.crdt === "lww-register" ? "lww" : "mv", i.history, expected("no-lost-writes")));
  }
  if (i.sequencer) out.push(...sequencerChecks(i.history, expected("sequencer-unique"), expected("sequencer-monotonic")));
  if (i.ramp) out.push(readAtomic(i.history, expected("read-atomic")));
  if (i.expectValue) out.push(expectedValue(i.finals, i.expectValue.value, expected("expected-value")));
  // An anomaly the scenario demands (`false`) that a history cannot show is never passed as shown: reported unmet, as the simulator does with a check it lacks.
  for (const [name, want] of Object.entries(i.expectChecks).sort(([a], [b]) => (a < b ? -1 : 1)))
    if (!want && !out.some((c) => c.name === name)) {
      const c: CheckResult = {
        name,
        ok: true,
        expected: false,
        detail: `the scenario demands a ${name} anomaly, which a client history cannot show (a real run checks this only in the simulator)`,
      };
      UNDECIDED.add(c);
      out.push(c);
    }
  return out;
}

const UNDECIDED = new WeakSet<CheckResult>();

/** A verdict that stands for an expectation the history could not decide (not a failure the run showed). */
export function isUndecided(c: CheckResult): boolean {
  return UNDECIDED.has(c);
}

function convergence(i: CheckInput, expected: boolean): CheckResult {
  const groups = new Map<string, string[]>();
  for (const [node, v] of Object.entries(i.finals)) {
    const k = canonicalKey(v);
    groups.set(k, [...(groups.get(k) ?? []), node]);
  }
  if (groups.size <= 1)
    return { name: "convergence", ok: true, expected, detail: `all ${Object.keys(i.finals).length} nodes equal ${Math.round(i.settled.afterMs)} ms after the final heal` };
  const values = [...groups.entries()].map(([k, nodes]) => `${nodes.join(", ")} = ${k}`).join("; ");
  return { name: "convergence", ok: false, expected, detail: `${Math.round(i.settled.afterMs)} ms after the final heal the nodes still differ: ${values}` };
}

/** durability for registers: every value a node shows was written by some write that may have happened (nothing invented, nothing resurrected from a refused write). */
function registerDurability(history: readonly HistoryEntry[], finals: Record<string, unknown>, expected: boolean): CheckResult {
  const written = new Set(history.filter((h) => h.op === "set" && h.type !== "fail").map((h) => canonicalKey(h.args[0])));
  written.add("null");
  for (const [node, v] of Object.entries(finals))
    for (const x of Array.isArray(v) ? v : [v])
      if (!written.has(canonicalKey(x)))
        return { name: "durability", ok: false, expected, detail: `${node}: final value ${canonicalKey(x)} was written by no write that may have happened` };
  return {
    name: "durability",
    ok: true,
    expected,
    detail: "every final value was written by a write that may have happened (which write overwrote which is not decided from wall-clock times)",
  };
}

function expectedValue(finals: Record<string, unknown>, want: unknown, expected: boolean): CheckResult {
  const w = canonicalKey(want);
  for (const [node, v] of Object.entries(finals))
    if (canonicalKey(v) !== w) return { name: "expected-value", ok: false, expected, detail: `${node} shows ${canonicalKey(v)}, expected ${w}` };
  return { name: "expected-value", ok: true, expected, detail: `every node shows ${w}` };
}
