/**
 * Sets of integer counters as sorted, disjoint, non-adjacent half-open intervals stored flat:
 * [s0, e0, s1, e1, …]. The sequences use them for "which counters of replica r do I hold" and
 * for deletes of characters not held yet. A replica's own typing only ever extends the last
 * interval, so the common case is O(1); the general case is linear, which is fine because
 * out-of-order arrivals are rare and their interval lists short.
 */

/**
 * Entry `i` of a flat interval list. Every index used below is within the list by its loop
 * bound; an entry that is missing means the list is broken (odd length, or a hole), and this
 * says so where it happens instead of letting undefined compare as false further on.
 */
function at(r: readonly number[], i: number): number {
  const x = r[i];
  if (x === undefined) throw new Error(`interval list: no entry ${i} in a list of ${r.length} (the list is broken)`);
  return x;
}
/** Entry `i` of a flat interval list, for the sequences' own loops over one (checked as above). */
export { at as rangesAt };

/** Adds [s, e) to `r` in place. */
export function rangesAdd(r: number[], s: number, e: number): void {
  if (s >= e) return;
  const n = r.length;
  const lastEnd = r[n - 1];
  if (lastEnd === undefined || s > lastEnd) {
    r.push(s, e);
    return;
  }
  if (s >= at(r, n - 2)) {
    if (e > lastEnd) r[n - 1] = e;
    return;
  }
  const out: number[] = [];
  let i = 0;
  for (; i < n && at(r, i + 1) < s; i += 2) out.push(at(r, i), at(r, i + 1));
  let ns = s,
    ne = e;
  for (; i < n && at(r, i) <= ne; i += 2) {
    ns = Math.min(ns, at(r, i));
    ne = Math.max(ne, at(r, i + 1));
  }
  out.push(ns, ne);
  for (; i < n; i++) out.push(at(r, i));
  r.length = 0;
  for (const x of out) r.push(x);
}

/** The parts of [s, e) not in `r`, as a flat interval list. */
export function rangesMissing(r: number[], s: number, e: number): number[] {
  const out: number[] = [];
  let c = s;
  for (let i = 0; i < r.length && c < e; i += 2) {
    const from = at(r, i),
      to = at(r, i + 1);
    if (to <= c) continue;
    if (from >= e) break;
    if (from > c) out.push(c, from);
    c = Math.max(c, to);
  }
  if (c < e) out.push(c, e);
  return out;
}

/** Does `r` hold counter c? (binary search) */
export function rangesHas(r: number[], c: number): boolean {
  let lo = 0,
    hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at(r, 2 * mid + 1) <= c) lo = mid + 1;
    else if (at(r, 2 * mid) > c) hi = mid - 1;
    else return true;
  }
  return false;
}

/** One past the largest counter in `r` (0 when empty): the next counter a replica may use. */
export function rangesEnd(r: number[]): number {
  return r[r.length - 1] ?? 0;
}

/** Sorts and coalesces a list of [s, e) pairs (possibly overlapping) into canonical form. */
export function rangesNormalize(pairs: number[]): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (at(pairs, i) < at(pairs, i + 1)) idx.push(i);
  idx.sort((a, b) => at(pairs, a) - at(pairs, b) || at(pairs, a + 1) - at(pairs, b + 1));
  const out: number[] = [];
  for (const i of idx) {
    const s = at(pairs, i),
      e = at(pairs, i + 1);
    const lastEnd = out[out.length - 1];
    if (lastEnd !== undefined && s <= lastEnd) {
      if (e > lastEnd) out[out.length - 1] = e;
    } else out.push(s, e);
  }
  return out;
}

/** Calls `f` with each interval [from, to) of `r`, in order. */
export function rangesEach(r: readonly number[], f: (from: number, to: number) => void): void {
  for (let i = 0; i < r.length; i += 2) f(at(r, i), at(r, i + 1));
}
