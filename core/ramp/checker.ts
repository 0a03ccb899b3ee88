/**
 * read-atomic (no fractured reads), the isolation RAMP provides: if a read observes a
 * transaction T's write to one key, then for every other key T wrote that the read also read, it
 * observes T's write or a later one (a larger timestamp). Also checked: every non-initial value
 * read is the value its transaction wrote (nothing invented or mixed up).
 *
 * T's keys come from its `write-invoke` event when the history has it, else from the metadata
 * of the version read (the same list, unless something is badly wrong).
 */
import { canonicalKey } from "../util/json.ts";
import type { CheckResult, RampEvent } from "./history.ts";
import { type Ts, compareTs, tsKey } from "./timestamp.ts";

export function readAtomic(history: readonly RampEvent[]): CheckResult<RampEvent> {
  const writes = new Map<string, Record<string, unknown>>();
  let reads = 0;
  for (let i = 0; i < history.length; i++) {
    const e = history[i]!;
    if (e.type === "write-invoke") writes.set(tsKey(e.ts), e.writes);
    if (e.type !== "read-ok") continue;
    reads++;
    for (const [key, v] of Object.entries(e.versions)) {
      if (v.ts.t === 0) continue;
      const written = writes.get(tsKey(v.ts));
      // Own keys only: keys are user data, and "constructor" is `in` every object.
      if (written !== undefined && (!Object.hasOwn(written, key) || canonicalKey(written[key]) !== canonicalKey(v.value)))
        return {
          ok: false,
          index: i,
          event: e,
          detail: `read ${e.client}#${e.read} returned ${key}=${JSON.stringify(v.value)} at ${tsKey(v.ts)}, which that transaction did not write`,
        };
      const siblings = written !== undefined ? Object.keys(written) : v.keys;
      for (const other of siblings) {
        const seen = Object.hasOwn(e.versions, other) ? e.versions[other] : undefined;
        if (other === key || seen === undefined) continue;
        if (compareTs(seen.ts, v.ts) < 0)
          return {
            ok: false,
            index: i,
            event: e,
            detail: `fractured read ${e.client}#${e.read}: saw transaction ${tsKey(v.ts)}'s write to ${key} but ${other} at older ${tsKey(seen.ts)}`,
          };
      }
    }
  }
  return { ok: true, detail: `${reads} read(s), none fractured` };
}

/** What a shard holds for one key, as a durability check sees it (for a crash-tested run: what it recovers from storage). */
export type ShardView = { server: string; latest: Ts; has(ts: Ts): boolean };

/**
 * Durability of transactions: nothing a client was told survives only until the next crash.
 * - Every transaction reported committed (`write-ok`) is, for each key it wrote, the latest
 *   committed version on the key's shard or older than it.
 * - Every version a read returned is still there: the shard's latest committed version is that
 *   one or newer, or the version is still readable by its timestamp (a prepared version a
 *   RAMP-Fast second round fetched).
 */
export function committedDurable(history: readonly RampEvent[], shard: (key: string) => ShardView): CheckResult<RampEvent> {
  const writes = new Map<string, Record<string, unknown>>();
  let committed = 0;
  let reads = 0;
  for (let i = 0; i < history.length; i++) {
    const e = history[i]!;
    if (e.type === "write-invoke") writes.set(tsKey(e.ts), e.writes);
    if (e.type === "write-ok") {
      committed++;
      for (const key of Object.keys(writes.get(tsKey(e.ts)) ?? {}).sort()) {
        const now = shard(key);
        if (compareTs(now.latest, e.ts) < 0)
          return {
            ok: false,
            index: i,
            event: e,
            detail: `transaction ${tsKey(e.ts)} was acknowledged committed to ${e.client}, but shard ${now.server} holds ${key} at older ${tsKey(now.latest)}: a committed write was lost`,
          };
      }
    }
    if (e.type === "read-ok") {
      reads++;
      for (const key of Object.keys(e.versions).sort()) {
        const seen = e.versions[key]!.ts;
        if (seen.t === 0) continue;
        const now = shard(key);
        if (compareTs(now.latest, seen) < 0 && !now.has(seen))
          return {
            ok: false,
            index: i,
            event: e,
            detail: `read ${e.client}#${e.read} returned ${key} at ${tsKey(seen)}, but shard ${now.server} no longer has it (latest ${tsKey(now.latest)}): a crash took back what a client had read`,
          };
      }
    }
  }
  return {
    ok: true,
    detail: `RAMP: ${committed} committed transaction(s), each still the latest version (or superseded) on its shards; ${reads} read(s), every version they returned still there`,
  };
}
