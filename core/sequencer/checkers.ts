/**
 * Pure checkers over a sequencer history (see history.ts). Both stop at the first offending
 * event and name it, so a failing simulation points at one message.
 */
import { type CheckResult, type SeqEvent, requestKey } from "./history.ts";

const describe = (e: SeqEvent) => `${e.type} ${e.name} by ${e.client}#${e.requestId}` + ("n" in e ? ` = ${e.n}` : "");

/**
 * sequencer-unique: for each name, no number goes to two different requests, and one request
 * never gets two different numbers (a retry must be answered with the number it already has).
 * Both `ok` (what clients saw) and `assign` (what the sequencer made durable) count.
 */
export function sequencerUnique(history: readonly SeqEvent[]): CheckResult<SeqEvent> {
  const owner = new Map<string, Map<number, string>>(); // name → n → request
  const numberOf = new Map<string, Map<string, number>>(); // name → request → n
  for (let i = 0; i < history.length; i++) {
    const e = history[i]!;
    if (e.type !== "ok" && e.type !== "assign") continue;
    const req = requestKey(e.client, e.requestId);
    const owners = owner.get(e.name) ?? owner.set(e.name, new Map()).get(e.name)!;
    const numbers = numberOf.get(e.name) ?? numberOf.set(e.name, new Map()).get(e.name)!;
    const prevOwner = owners.get(e.n);
    if (prevOwner !== undefined && prevOwner !== req)
      return { ok: false, index: i, event: e, detail: `${e.name} number ${e.n} given to ${req} but already given to ${prevOwner} (${describe(e)})` };
    const prevN = numbers.get(req);
    if (prevN !== undefined && prevN !== e.n)
      return { ok: false, index: i, event: e, detail: `${req} got ${e.name} number ${e.n} after already getting ${prevN} (${describe(e)})` };
    owners.set(e.n, req);
    numbers.set(req, e.n);
  }
  return { ok: true, detail: `${numberOf.size} name(s), every number given to one request` };
}

/**
 * sequencer-monotonic, precisely:
 *  1. assignment order: the `assign` events of one name carry strictly increasing numbers
 *     (a restart continues above every durable number);
 *  2. real-time order: if request A's `ok` comes before request B's `invoke` in the history (for
 *     the same name, any clients), then n(B) > n(A). In particular a client that asks for one
 *     number at a time never sees a smaller number after a larger one. Requests that overlap
 *     in time may complete in either order — the network may reorder their answers.
 */
export function sequencerMonotonic(history: readonly SeqEvent[]): CheckResult<SeqEvent> {
  const lastAssigned = new Map<string, number>(); // name → last assigned number
  const maxSeen = new Map<string, { n: number; by: string }>(); // name → largest number any client has seen so far
  const floor = new Map<string, { n: number; by: string }>(); // request → largest n completed before it was invoked
  for (let i = 0; i < history.length; i++) {
    const e = history[i]!;
    const req = requestKey(e.client, e.requestId);
    if (e.type === "assign") {
      const last = lastAssigned.get(e.name);
      if (last !== undefined && e.n <= last) return { ok: false, index: i, event: e, detail: `sequencer assigned ${e.name} ${e.n} after ${last} (${describe(e)})` };
      lastAssigned.set(e.name, e.n);
    } else if (e.type === "invoke") {
      const seen = maxSeen.get(e.name);
      if (seen !== undefined && !floor.has(req)) floor.set(req, seen);
    } else if (e.type === "ok") {
      const f = floor.get(req);
      if (f !== undefined && e.n <= f.n)
        return { ok: false, index: i, event: e, detail: `${req} got ${e.name} ${e.n} but ${f.by} had already been given ${f.n} before it asked (${describe(e)})` };
      const seen = maxSeen.get(e.name);
      if (seen === undefined || e.n > seen.n) maxSeen.set(e.name, { n: e.n, by: req });
    }
  }
  return { ok: true, detail: "numbers increase in assignment and real-time order" };
}
