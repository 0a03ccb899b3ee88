/**
 * The LSeq engine (Nédelec, Molli, Mostefaoui, Desmontils, "LSEQ: an adaptive structure for
 * sequences in distributed collaborative editing", DocEng 2013). Why it looks like this:
 *
 * - **Dense identifiers.** Every character has a path of levels (digit, site, counter); paths
 *   compare lexicographically (digit, then site name, then counter; a prefix sorts first), so
 *   between any two paths there is room for another. A new character between p and q copies
 *   the common levels and picks a digit at the first level with room.
 * - **Allocation: boundary+ / boundary− by depth, base doubling.** Level l has base 2^(5+l);
 *   even levels allocate close to the left neighbour (boundary+), odd levels close to the right
 *   (boundary−), within BOUNDARY of it. Editing at the end and at the start both stay shallow;
 *   the step inside the boundary comes from a hash of (counter, level): deterministic, no PRNG.
 * - **Site and counter in every level** keep concurrent allocations of the same digit distinct
 *   and ordered; the last level's (site, counter) is the character's dot, unique.
 * - **No tombstones.** A delete removes the character; the state keeps a causal context (per
 *   replica, the counters seen, as interval sets) so that a late copy of a deleted character
 *   is not resurrected and a late insert is told apart from a delete: join is ORSWOT-style.
 *   Hence no pending buffers: a delete that arrives before its insert is simply "seen".
 * - **Interleaving.** LSeq orders concurrent inserts at one place by their digits, so two
 *   runs typed concurrently there can interleave character by character (a known weakness of
 *   LSEQ/Logoot; the tests assert convergence, not non-interleaving, for this type). Use `rga`
 *   (FugueMax order) when editing intent matters; LSeq is here for tombstone-free metadata.
 * - **Position index:** chunks of ≤ MAX characters with a cursor, as in the RGA engine.
 */
import { rangesAdd, rangesHas } from "./seq-ranges.ts";

/** Flat path: [digit, site, counter, digit, site, counter, …]. Never mutated once made. */
export type Path = readonly (number | string)[];
export type Elem = { readonly path: Path; readonly ch: string };

const MAX = 64;
const BOUNDARY = 10;

export function comparePaths(a: Path, b: Path): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 3) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
    if (a[i + 1] !== b[i + 1]) return (a[i + 1] as string) < (b[i + 1] as string) ? -1 : 1;
    if (a[i + 2] !== b[i + 2]) return (a[i + 2] as number) - (b[i + 2] as number);
  }
  return a.length - b.length;
}

/** A path strictly between p and q (null: the document edges), ending in (site, ctr). */
export function allocPath(p: Path | null, q: Path | null, site: string, ctr: number): Path {
  const out: (number | string)[] = [];
  let eqQ = q !== null;
  for (let l = 0; ; l++) {
    const i = 3 * l;
    const base = 2 ** Math.min(5 + l, 30);
    const pHas = p !== null && i < p.length;
    const lo = pHas ? (p[i] as number) : 0; // digit 0 is never allocated: it sorts below them all
    const hi = eqQ && i < q!.length ? (q![i] as number) : base;
    if (hi - lo > 1) {
      const step = Math.min(BOUNDARY, hi - lo - 1);
      const r = 1 + (((ctr * 2654435761) ^ (l * 40503)) >>> 0) % step;
      out.push(l % 2 === 0 ? lo + r : hi - r, site, ctr);
      return out;
    }
    // No room at this level: copy p's level and go deeper. Past p's end, a filler level sorts
    // below q's: (0, me, ctr) if q's digit is ≥ 1, else q's own filler level (q continues deeper).
    if (pHas) out.push(p[i], p[i + 1], p[i + 2]);
    else if (eqQ && i < q!.length && q![i] === 0) out.push(0, q![i + 1], q![i + 2]);
    else out.push(0, site, ctr);
    if (eqQ) eqQ = i < q!.length && out[i] === q![i] && out[i + 1] === q![i + 1] && out[i + 2] === q![i + 2];
  }
}

export const dotSite = (p: Path) => p[p.length - 2] as string;
export const dotCtr = (p: Path) => p[p.length - 1] as number;

class Chunk {
  items: Elem[] = [];
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

export class LDoc {
  chunks: Chunk[] = [];
  length = 0;
  /** Causal context: per replica, the counters seen (present or deleted). */
  ctx = new Map<string, number[]>();
  /** Dot → element, for deletes and joins. */
  byDot = new Map<string, Map<number, Elem>>();
  private cc = 0;
  private cpos = 0;

  private seek(p: number): number {
    const chunks = this.chunks;
    let ci = this.cc, pos = this.cpos;
    if (ci >= chunks.length) ci = pos = 0;
    while (ci > 0 && p < pos) pos -= chunks[--ci].items.length;
    while (ci < chunks.length - 1 && p >= pos + chunks[ci].items.length) pos += chunks[ci++].items.length;
    this.cc = ci;
    this.cpos = pos;
    return ci;
  }

  private rebalance(ci: number): void {
    const ch = this.chunks[ci];
    if (ch.items.length > MAX) {
      const nc = new Chunk();
      nc.items = ch.items.splice(ch.items.length >> 1);
      this.chunks.splice(ci + 1, 0, nc);
      if (this.cc > ci) this.cpos += 0, this.cc++;
    } else if (ch.items.length === 0 && this.chunks.length > 1) {
      this.chunks.splice(ci, 1);
      this.cc = this.cpos = 0;
    }
  }

  private index(e: Elem): void {
    const s = dotSite(e.path);
    let m = this.byDot.get(s);
    if (!m) this.byDot.set(s, (m = new Map()));
    m.set(dotCtr(e.path), e);
  }

  seen(site: string, ctr: number): boolean {
    const r = this.ctx.get(site);
    return r !== undefined && rangesHas(r, ctr);
  }

  see(site: string, s: number, e: number): void {
    let r = this.ctx.get(site);
    if (!r) this.ctx.set(site, (r = []));
    rangesAdd(r, s, e);
  }

  nextCtr(site: string): number {
    const r = this.ctx.get(site);
    return r && r.length ? r[r.length - 1] : 0;
  }

  /** Inserts text at visible index p (clamped by the caller); returns the new elements. */
  insertLocal(site: string, p: number, text: string): Elem[] {
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    let ci = this.seek(p);
    let k = p - this.cpos;
    let items = this.chunks[ci].items;
    if (k > 0 && k <= items.length && isHigh(items[k - 1].ch.charCodeAt(0))) k--;
    let left: Path | null = k > 0 ? items[k - 1].path : ci > 0 ? lastPath(this.chunks[ci - 1]) : null;
    const right: Path | null = k < items.length ? items[k].path : ci + 1 < this.chunks.length ? this.chunks[ci + 1].items[0].path : null;
    let ctr = this.nextCtr(site);
    const out: Elem[] = [];
    for (let i = 0; i < text.length; i++) {
      const path = allocPath(left, right, site, ctr++);
      const e: Elem = { path, ch: text[i] };
      items.splice(k++, 0, e);
      this.index(e);
      out.push(e);
      left = path;
      if (items.length > MAX) {
        this.rebalance(ci);
        if (k > items.length) (this.cpos += items.length), (k -= items.length), (items = this.chunks[++ci].items), (this.cc = ci);
      }
    }
    this.see(site, ctr - text.length, ctr);
    this.length += text.length;
    return out;
  }

  /** Deletes n visible characters from index p (p < length); returns their dots' elements. */
  deleteLocal(p: number, n: number): Elem[] {
    const ci = this.seek(p);
    let k = p - this.cpos;
    const items = this.chunks[ci].items;
    if (k > 0 && isHigh(items[k - 1].ch.charCodeAt(0))) k--, n++;
    const out: Elem[] = [];
    let c = ci;
    while (n > 0 && c < this.chunks.length) {
      const its = this.chunks[c].items;
      const take = Math.min(n, its.length - k);
      let removed = its.splice(k, take);
      if (n === take && take > 0 && isHigh(removed[take - 1].ch.charCodeAt(0)) && k < its.length) removed = removed.concat(its.splice(k, 1)), n++;
      for (const e of removed) {
        out.push(e);
        this.byDot.get(dotSite(e.path))!.delete(dotCtr(e.path));
      }
      n -= removed.length;
      this.length -= removed.length;
      k = 0;
      c++;
    }
    for (let i = c - 1; i >= ci; i--) if (this.chunks[i].items.length === 0) this.rebalance(i);
    return out;
  }

  has(site: string, ctr: number): Elem | undefined {
    return this.byDot.get(site)?.get(ctr);
  }

  /** Inserts an element at its place by path (merges). */
  insertByPath(e: Elem): void {
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    const chunks = this.chunks;
    let lo = 0, hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const first = chunks[mid].items[0];
      if (first !== undefined && comparePaths(first.path, e.path) < 0) lo = mid;
      else hi = mid - 1;
    }
    const items = chunks[lo].items;
    let a = 0, b = items.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (comparePaths(items[mid].path, e.path) < 0) a = mid + 1;
      else b = mid;
    }
    items.splice(a, 0, e);
    this.index(e);
    this.length++;
    this.cc = this.cpos = 0;
    this.rebalance(lo);
  }

  removeElem(e: Elem): void {
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const items = this.chunks[ci].items;
      if (items.length === 0 || comparePaths(items[items.length - 1].path, e.path) < 0) continue;
      const i = items.indexOf(e);
      if (i >= 0) {
        items.splice(i, 1);
        this.byDot.get(dotSite(e.path))!.delete(dotCtr(e.path));
        this.length--;
        this.cc = this.cpos = 0;
        this.rebalance(ci);
      }
      return;
    }
  }

  forEach(f: (e: Elem) => void): void {
    for (const ch of this.chunks) for (const e of ch.items) f(e);
  }

  text(): string {
    let s = "";
    for (const ch of this.chunks) for (const e of ch.items) s += e.ch;
    return s;
  }

  clone(): LDoc {
    const d = new LDoc();
    for (const ch of this.chunks) {
      const c = new Chunk();
      c.items = ch.items.slice();
      d.chunks.push(c);
    }
    d.length = this.length;
    for (const [k, v] of this.ctx) d.ctx.set(k, v.slice());
    for (const [k, v] of this.byDot) d.byDot.set(k, new Map(v));
    return d;
  }
}

function lastPath(ch: Chunk): Path | null {
  return ch.items.length ? ch.items[ch.items.length - 1].path : null;
}
