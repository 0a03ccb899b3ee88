/**
 * A dot names one event: the `counter`-th event of `replica` (counters start at 1). Dots tag
 * the payloads of OR-Set and MV-Register so that a removal or an overwrite can name exactly the
 * writes it has observed, and nothing written concurrently.
 */
import { compareStrings } from "../util/json.ts";

export type Dot = readonly [replica: string, counter: number];

/**
 * A string key for Maps and Sets. The counter comes first and is all digits, so the first ":"
 * separates it from the replica id whatever characters the id contains: distinct dots never
 * share a key.
 */
export function dotKey(d: Dot): string {
  return `${d[1]}:${d[0]}`;
}

/** Orders by replica id, then counter: the canonical order of encodings and listings. */
export function compareDots(a: Dot, b: Dot): number {
  return compareStrings(a[0], b[0]) || a[1] - b[1];
}

/** Throws unless `d` is a dot: a string replica id and a positive safe integer counter. */
export function checkDot(d: Dot): void {
  if (!Array.isArray(d) || d.length !== 2 || typeof d[0] !== "string" || !Number.isSafeInteger(d[1]) || d[1] < 1)
    throw new RangeError(`not a dot (expected [replica, counter ≥ 1]): ${JSON.stringify(d)}`);
}
