/**
 * The set checks on a client history (g-set, or-set). A client sees wall-clock times, not which
 * adds a remove observed, so each check decides only what real time settles, soundly:
 * - a remove invoked before an add was invoked cannot have observed it: an acknowledged add that
 *   every remove of its element precedes so must be in the final set (durability, add-wins);
 * - a remove on the same node invoked after an add completed there has surely observed it: an
 *   element all of whose adds were observed so must be absent (add-wins).
 * Anything in between (a remove concurrent with an add on another node) is left undecided.
 */
import { canonicalKey } from "../../core/index.ts";
import type { CheckResult } from "../../sim/index.ts";
import type { HistoryEntry } from "../history.ts";

type Elem = { json: string; adds: HistoryEntry[]; removes: HistoryEntry[] };

function elements(history: readonly HistoryEntry[]): Map<string, Elem> {
  const out = new Map<string, Elem>();
  for (const h of history) {
    if ((h.op !== "add" && h.op !== "remove") || h.type === "fail" || h.args.length === 0) continue;
    const json = canonicalKey(h.args[0]);
    let e = out.get(json);
    if (!e) out.set(json, (e = { json, adds: [], removes: [] }));
    (h.op === "add" ? e.adds : e.removes).push(h);
  }
  return out;
}

/** An acknowledged add no remove of its element can have observed (every remove was invoked before it). */
function mustSurvive(e: Elem): HistoryEntry | undefined {
  return e.adds.find((a) => a.type === "ok" && e.removes.every((r) => r.invoke < a.invoke));
}

function presentIn(finals: Record<string, unknown>): Map<string, Set<string>> | string {
  const out = new Map<string, Set<string>>();
  for (const [node, v] of Object.entries(finals)) {
    if (!Array.isArray(v)) return `${node}: final value ${JSON.stringify(v)} is not an array of elements`;
    out.set(node, new Set(v.map((x) => canonicalKey(x))));
  }
  return out;
}

/** Each node's final elements, or the failed check when a final value is no set. */
function finalSets(name: string, expected: boolean, finals: Record<string, unknown>): CheckResult | Map<string, Set<string>> {
  const present = presentIn(finals);
  return typeof present === "string" ? { name, ok: false, expected, detail: present } : present;
}

/** durability: every acknowledged add that nothing could have undone is in every node's final set. */
export function setDurability(history: readonly HistoryEntry[], finals: Record<string, unknown>, expected: boolean): CheckResult {
  const present = finalSets("durability", expected, finals);
  if (!(present instanceof Map)) return present;
  const elems = elements(history);
  let checked = 0;
  for (const e of elems.values()) {
    const a = mustSurvive(e);
    if (!a) continue;
    checked++;
    for (const [node, set] of present)
      if (!set.has(e.json))
        return {
          name: "durability",
          ok: false,
          expected,
          detail: `${node}: ${e.json} is missing, but its add on ${a.node} was acknowledged at ${a.complete} ms and no remove of it came after (history entry ${a.index})`,
          at: { t: Math.round(a.complete), node: a.node },
        };
  }
  const acked = history.filter((h) => h.op === "add" && h.type === "ok").length;
  return { name: "durability", ok: true, expected, detail: `${checked} of ${acked} acknowledged adds could not have been undone, and every node's final set holds each of them` };
}

/** add-wins (or-set): present where an add surely survived, absent where every add was surely observed by a remove. */
export function addWins(history: readonly HistoryEntry[], finals: Record<string, unknown>, expected: boolean): CheckResult {
  const present = finalSets("add-wins", expected, finals);
  if (!(present instanceof Map)) return present;
  let decided = 0;
  const elems = elements(history);
  for (const e of elems.values()) {
    const a = mustSurvive(e);
    const observed = e.adds.length > 0 && e.adds.every((x) => e.removes.some((r) => r.node === x.node && r.invoke > x.complete && r.type === "ok"));
    if (a || observed) decided++;
    for (const [node, set] of present) {
      if (a && !set.has(e.json))
        return {
          name: "add-wins",
          ok: false,
          expected,
          detail: `${node}: ${e.json} is missing, but its add on ${a.node} at ${a.invoke} ms came after every remove of it`,
          at: { t: Math.round(a.invoke), node: a.node },
        };
      if (!a && observed && set.has(e.json))
        return {
          name: "add-wins",
          ok: false,
          expected,
          detail: `${node}: ${e.json} is present, but each of its ${e.adds.length} adds was followed by an acknowledged remove on the same node`,
        };
    }
  }
  return {
    name: "add-wins",
    ok: true,
    expected,
    detail: `${decided} of ${elems.size} elements decided by real time (an add after every remove: present; every add removed later on its own node: absent), each as required on every node`,
  };
}
