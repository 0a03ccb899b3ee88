/**
 * RAMP-Fast's read repair, as a pure function of the first round's answers: for each key, the
 * highest timestamp that any returned version's metadata says the key was written at. A key
 * whose returned version is older than that was read in the middle of a transaction's commit;
 * round two fetches exactly that timestamp (already prepared on its server, because a writer
 * commits anywhere only after every server has prepared).
 */
import type { Version } from "./messages.ts";
import { type Ts, compareTs } from "./timestamp.ts";

export function repairs(round1: ReadonlyMap<string, Version>): Map<string, Ts> {
  const needed = new Map<string, Ts>();
  for (const v of round1.values()) {
    for (const sibling of v.keys) {
      const got = round1.get(sibling);
      if (got === undefined || sibling === v.key) continue; // not in this read
      if (compareTs(got.ts, v.ts) >= 0) continue;
      const cur = needed.get(sibling);
      if (cur === undefined || compareTs(v.ts, cur) > 0) needed.set(sibling, v.ts);
    }
  }
  return needed;
}
