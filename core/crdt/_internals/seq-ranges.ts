/**
 * Sets of integer counters as sorted, disjoint, non-adjacent half-open intervals stored flat:
 * [s0, e0, s1, e1, …]. The sequences use them for "which counters of replica r do I hold" and
 * for deletes of characters not held yet. A replica's own typing only ever extends the last
 * interval, so the common case is O(1); the general case is linear, which is fine because
 * out-of-order arrivals are rare and their interval lists short.
 */

/** Adds [s, e) to `r` in place. */
export function rangesAdd(r: number[], s: number, e: number): void {
  if (s >= e) return;
  const n = r.length;
  if (n === 0 || s > r[n - 1]) {
    r.push(s, e);
    return;
  }
  if (s >= r[n - 2]) {
    if (e > r[n - 1]) r[n - 1] = e;
    return;
  }
  const out: number[] = [];
  let i = 0;
  while (i < n && r[i + 1] < s) { out.push(r[i], r[i + 1]); i += 2; }
  let ns = s, ne = e;
  while (i < n && r[i] <= ne) {
    if (r[i] < ns) ns = r[i];
    if (r[i + 1] > ne) ne = r[i + 1];
    i += 2;
  }
  out.push(ns, ne);
  while (i < n) { out.push(r[i], r[i + 1]); i += 2; }
  r.length = 0;
  for (const x of out) r.push(x);
}

/** The parts of [s, e) not in `r`, as a flat interval list. */
export function rangesMissing(r: number[], s: number, e: number): number[] {
  const out: number[] = [];
  let c = s;
  for (let i = 0; i < r.length && c < e; i += 2) {
    if (r[i + 1] <= c) continue;
    if (r[i] >= e) break;
    if (r[i] > c) out.push(c, r[i]);
    c = Math.max(c, r[i + 1]);
  }
  if (c < e) out.push(c, e);
  return out;
}

/** Does `r` hold counter c? (binary search) */
export function rangesHas(r: number[], c: number): boolean {
  let lo = 0, hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r[2 * mid + 1] <= c) lo = mid + 1;
    else if (r[2 * mid] > c) hi = mid - 1;
    else return true;
  }
  return false;
}

/** One past the largest counter in `r` (0 when empty): the next counter a replica may use. */
export function rangesEnd(r: number[]): number {
  return r.length ? r[r.length - 1] : 0;
}

/** Sorts and coalesces a list of [s, e) pairs (possibly overlapping) into canonical form. */
export function rangesNormalize(pairs: number[]): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] < pairs[i + 1]) idx.push(i);
  idx.sort((a, b) => pairs[a] - pairs[b] || pairs[a + 1] - pairs[b + 1]);
  const out: number[] = [];
  for (const i of idx) {
    const s = pairs[i], e = pairs[i + 1];
    const n = out.length;
    if (n && s <= out[n - 1]) {
      if (e > out[n - 1]) out[n - 1] = e;
    } else out.push(s, e);
  }
  return out;
}
