/**
 * The LSeq engine (Nédelec, Molli, Mostefaoui, Desmontils, "LSEQ: an adaptive structure for
 * sequences in distributed collaborative editing", DocEng 2013). Why it looks like this:
 *
 * - **Dense identifiers.** Every character has a path of levels (digit, site, counter); paths
 *   compare lexicographically (digit, then site name, then counter; a prefix sorts first), so
 *   between any two paths there is room for another. A new character between p and q copies
 *   the common levels and picks a digit at the first level with room.
 * - **Allocation by direction, wide levels.** Level l has base 2^(BASE_BITS + l). A new
 *   character goes at the first level with room between its neighbours: typing forward (the
 *   left neighbour is this site's previous character) takes the next digit up, typing backward
 *   takes the next digit down, a fresh position leaves up to BOUNDARY digits free on its left.
 *   A character right before q with nothing of its left neighbour at that level (at the start
 *   of the text, or squeezed below q) also goes down from q, densely: two sites inserting at one
 *   place in turn would otherwise halve the room below q each time and deepen paths without end.
 *   So a typed or pasted run fills its level densely and stays at one depth, and the common
 *   "next character of the same run" case is a digit increment (insertLocal's fast path).
 *   (LSEQ's boundary+/boundary− alternation by depth, with small bases, left the traces' paths
 *   15 levels deep on average; this keeps them at about 2.)
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
import { entry } from "./seq-entry.ts";
import { rangesAdd, rangesEnd, rangesHas } from "./seq-ranges.ts";

/** Flat path: [digit, site, counter, digit, site, counter, …]. Never mutated once made. */
export type Path = readonly (number | string)[];
/**
 * A character and its path, kept as the path's prefix (every level but the last) and its last
 * level (digit d, site, counter). The characters of a run typed in one go share one prefix
 * array, so a character costs one small object: the garbage collector dominated local apply
 * when every character had its own path array. `path` builds the flat path when one is needed.
 */
export class Elem {
  constructor(
    readonly pre: Path,
    readonly d: number,
    readonly site: string,
    readonly ctr: number,
    readonly ch: string,
  ) {}

  get path(): Path {
    return [...this.pre, this.d, this.site, this.ctr];
  }

  static of(path: Path, ch: string): Elem {
    const n = path.length;
    return new Elem(path.slice(0, n - 3), path[n - 3] as number, path[n - 2] as string, path[n - 1] as number, ch);
  }
}

/** comparePaths(a.path, b.path) without building the paths. */
export function compareElems(a: Elem, b: Elem): number {
  const pa = a.pre,
    pb = b.pre;
  const na = pa.length,
    nb = pb.length;
  if (pa !== pb) {
    const n = Math.min(na, nb) + 3;
    for (let i = 0; i < n; i += 3) {
      const ad = i < na ? (pa[i] as number) : a.d,
        bd = i < nb ? (pb[i] as number) : b.d;
      if (ad !== bd) return ad - bd;
      const as = i < na ? (pa[i + 1] as string) : a.site,
        bs = i < nb ? (pb[i + 1] as string) : b.site;
      if (as !== bs) return as < bs ? -1 : 1;
      const ac = i < na ? (pa[i + 2] as number) : a.ctr,
        bc = i < nb ? (pb[i + 2] as number) : b.ctr;
      if (ac !== bc) return ac - bc;
    }
    return na - nb;
  }
  if (a.d !== b.d) return a.d - b.d;
  if (a.site !== b.site) return a.site < b.site ? -1 : 1;
  return a.ctr - b.ctr;
}

const MAX = 256;
// What entry() names when an index the engine keeps in range is not.
const CHUNKS = "lseq chunk list",
  ITEMS = "lseq chunk items",
  PATH = "lseq path";
const BOUNDARY = 10;
/** Level l has base 2^(BASE_BITS + l): wide levels keep paths shallow (a run fills its level). */
const BASE_BITS = 20;

export function comparePaths(a: Path, b: Path): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 3) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
    if (a[i + 1] !== b[i + 1]) return (a[i + 1] as string) < (b[i + 1] as string) ? -1 : 1;
    if (a[i + 2] !== b[i + 2]) return (a[i + 2] as number) - (b[i + 2] as number);
  }
  return a.length - b.length;
}

/** The upper bound (exclusive) of the level allocPath last allocated at: room left for a forward run. */
let allocHi = 0;

/** Where a new character sits relative to the edit before it: typed after it, before it, or elsewhere. */
export const enum Dir {
  Fresh = 0,
  Forward = 1,
  Backward = -1,
}

/**
 * A path strictly between p and q (null: the document edges), ending in (site, ctr), at the
 * first level with room. The digit there is chosen by direction: typing forward (p is this
 * site's previous character) takes lo + 1 and typing backward (q is) takes hi − 1, so a run
 * consumes its level densely and stays at one depth; a fresh position leaves up to BOUNDARY
 * free digits on its left for a later backward run and the rest of the level for a forward one.
 */
export function allocPath(p: Path | null, q: Path | null, site: string, ctr: number, dir: Dir = Dir.Fresh): Path {
  const out: (number | string)[] = [];
  let eqQ = q !== null;
  // Went deeper below q through a filler level (p had ended): the new character sits right before q.
  let squeezed = false;
  for (let l = 0; ; l++) {
    const i = 3 * l;
    const base = 2 ** Math.min(BASE_BITS + l, 30); // 2^30 at most: digits stay small integers
    const pHas = p !== null && i < p.length;
    const qHere = eqQ && i < q!.length;
    const lo = pHas ? (p[i] as number) : 0; // digit 0 is never allocated: it sorts below them all
    const hi = qHere ? (q![i] as number) : base;
    if (hi - lo > 1) {
      allocHi = hi;
      const room = hi - lo - 1;
      // Right before q with nothing of p at this level (at the start of the text, or squeezed
      // below q): go backward from q, densely, whoever typed q. Near lo, as a fresh position
      // goes, each insert at one place by alternating sites (two people typing at index 0)
      // would halve the room below q: a level more every few characters, paths O(n) deep.
      const backward = dir === Dir.Backward || (dir === Dir.Fresh && (squeezed || (!pHas && qHere)));
      out.push(dir === Dir.Forward ? lo + 1 : backward ? hi - 1 : lo + Math.min(BOUNDARY, (room + 1) >> 1), site, ctr);
      return out;
    }
    // No room at this level: copy p's level and go deeper. Past p's end, a filler level sorts
    // below q's: (0, me, ctr) if q's digit is ≥ 1, else q's own filler level (q continues deeper).
    if (pHas) out.push(entry(p, i, PATH), entry(p, i + 1, PATH), entry(p, i + 2, PATH));
    else {
      squeezed = true;
      if (qHere && q![i] === 0) out.push(0, entry(q!, i + 1, PATH), entry(q!, i + 2, PATH));
      else out.push(0, site, ctr);
    }
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
  /**
   * Dot → element, for deletes and joins: per site an array indexed by counter (a site's
   * counters are dense, so this is a plain array; removed elements leave undefined).
   */
  byDot = new Map<string, (Elem | undefined)[]>();
  private cc = 0;
  private cpos = 0;
  /** The last local insert's final path, its right neighbour and its level's bound (see insertLocal). */
  private runLeft: Elem | null = null;
  private runRight: Elem | null = null;
  private runHi = 0;

  private seek(p: number): number {
    const chunks = this.chunks;
    let ci = this.cc,
      pos = this.cpos;
    if (ci >= chunks.length) ci = pos = 0;
    while (ci > 0 && p < pos) pos -= entry(chunks, --ci, CHUNKS).items.length;
    while (ci < chunks.length - 1) {
      const len = entry(chunks, ci, CHUNKS).items.length;
      if (p < pos + len) break;
      pos += len;
      ci++;
    }
    this.cc = ci;
    this.cpos = pos;
    return ci;
  }

  private rebalance(ci: number): void {
    const ch = entry(this.chunks, ci, CHUNKS);
    if (ch.items.length > MAX) {
      const nc = new Chunk();
      nc.items = ch.items.splice(ch.items.length >> 1);
      this.chunks.splice(ci + 1, 0, nc);
      // A chunk went in before the cursor's: its index moves up one, its start position (cpos) stays.
      if (this.cc > ci) this.cc++;
    } else if (ch.items.length === 0 && this.chunks.length > 1) {
      this.chunks.splice(ci, 1);
      this.cc = this.cpos = 0;
    }
  }

  private index(e: Elem): void {
    let m = this.byDot.get(e.site);
    if (!m) this.byDot.set(e.site, (m = []));
    m[e.ctr] = e;
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
    return r === undefined ? 0 : rangesEnd(r);
  }

  /** Inserts text at visible index p (clamped by the caller); returns the new elements. */
  insertLocal(site: string, p: number, text: string): Elem[] {
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    let ci = this.seek(p);
    let k = p - this.cpos;
    const items = entry(this.chunks, ci, CHUNKS).items;
    if (k > 0 && k <= items.length && isHigh(entry(items, k - 1, ITEMS).ch.charCodeAt(0))) k--;
    let left: Elem | null = k > 0 ? entry(items, k - 1, ITEMS) : ci > 0 ? lastElem(entry(this.chunks, ci - 1, CHUNKS)) : null;
    // Only the last chunk is ever empty (rebalance drops the others), so a next chunk has a first element.
    const right: Elem | null = k < items.length ? entry(items, k, ITEMS) : ci + 1 < this.chunks.length ? entry(entry(this.chunks, ci + 1, CHUNKS).items, 0, ITEMS) : null;
    let ctr = this.nextCtr(site);
    // Continuing this site's last edit forwards or backwards (the common case when typing)?
    let dir = isSitePrev(left, site, ctr) ? Dir.Forward : isSitePrev(right, site, ctr) ? Dir.Backward : Dir.Fresh;
    const n = text.length;
    const out: Elem[] = new Array(n);
    // Typing on from this site's previous insert, between the same neighbours: its level's bound still holds.
    let hi = left !== null && left === this.runLeft && right === this.runRight ? this.runHi : 0;
    for (let i = 0; i < n; i++) {
      let e: Elem;
      if (hi > 0 && left!.d + 1 < hi) {
        // The next character of a run: same prefix and level, next digit (what allocPath would find, without the walk).
        e = new NewElem(left!.pre, left!.d + 1, site, ctr++, text.charAt(i));
      } else {
        e = Elem.of(allocPath(left === null ? null : left.path, right === null ? null : right.path, site, ctr++, dir), text.charAt(i));
        hi = allocHi;
      }
      dir = Dir.Forward;
      this.index(e);
      out[i] = e;
      left = e;
    }
    this.runLeft = left;
    this.runRight = right;
    this.runHi = hi;
    if (items.length + n <= MAX) items.splice(k, 0, ...out);
    else {
      // A paste: fill this chunk, then whole new chunks, then the old tail (no per-character splice).
      const tail = items.splice(k);
      const fresh: Chunk[] = [];
      let cur = items;
      for (const e of out) {
        if (cur.length >= MAX) {
          const c = new Chunk();
          fresh.push(c);
          cur = c.items;
        }
        cur.push(e);
      }
      if (cur.length + tail.length <= MAX) for (const e of tail) cur.push(e);
      else {
        const c = new Chunk();
        c.items = tail;
        fresh.push(c);
      }
      this.chunks = [...this.chunks.slice(0, ci + 1), ...fresh, ...this.chunks.slice(ci + 1)];
      this.cc = ci; // chunk ci still starts at cpos
    }
    this.see(site, ctr - text.length, ctr);
    this.length += text.length;
    return out;
  }

  /** Deletes n visible characters from index p (p < length); returns their dots' elements. */
  deleteLocal(p: number, n: number): Elem[] {
    const ci = this.seek(p);
    let k = p - this.cpos;
    const items = entry(this.chunks, ci, CHUNKS).items;
    if (k > 0 && isHigh(entry(items, k - 1, ITEMS).ch.charCodeAt(0))) {
      k--;
      n++;
    }
    const out: Elem[] = [];
    let c = ci;
    while (n > 0 && c < this.chunks.length) {
      const its = entry(this.chunks, c, CHUNKS).items;
      const take = Math.min(n, its.length - k);
      let removed = its.splice(k, take);
      if (n === take && take > 0 && isHigh(entry(removed, take - 1, ITEMS).ch.charCodeAt(0)) && k < its.length) {
        removed = removed.concat(its.splice(k, 1));
        n++;
      }
      for (const e of removed) {
        out.push(e);
        this.byDot.get(e.site)![e.ctr] = undefined;
      }
      n -= removed.length;
      this.length -= removed.length;
      k = 0;
      c++;
    }
    for (let i = c - 1; i >= ci; i--) if (entry(this.chunks, i, CHUNKS).items.length === 0) this.rebalance(i);
    return out;
  }

  has(site: string, ctr: number): Elem | undefined {
    return this.byDot.get(site)?.[ctr];
  }

  /** Inserts an element at its place by path (merges). */
  insertByPath(e: Elem): void {
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    const chunks = this.chunks;
    let lo = chunks.length - 1;
    let items = entry(chunks, lo, CHUNKS).items;
    const last = items[items.length - 1];
    // After everything (a decode or a merge replays characters in order): append, no search.
    if (last !== undefined && compareElems(last, e) < 0) items.push(e);
    else {
      lo = 0;
      let hi = chunks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        const first = entry(chunks, mid, CHUNKS).items[0];
        if (first !== undefined && compareElems(first, e) < 0) lo = mid;
        else hi = mid - 1;
      }
      items = entry(chunks, lo, CHUNKS).items;
      let a = 0,
        b = items.length;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (compareElems(entry(items, mid, ITEMS), e) < 0) a = mid + 1;
        else b = mid;
      }
      items.splice(a, 0, e);
    }
    this.index(e);
    this.length++;
    this.cc = this.cpos = 0;
    this.rebalance(lo);
  }

  removeElem(e: Elem): void {
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const items = entry(this.chunks, ci, CHUNKS).items;
      if (items.length === 0 || compareElems(entry(items, items.length - 1, ITEMS), e) < 0) continue;
      const i = items.indexOf(e);
      if (i >= 0) {
        items.splice(i, 1);
        this.byDot.get(e.site)![e.ctr] = undefined;
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
    for (const [k, v] of this.byDot) d.byDot.set(k, v.slice());
    return d;
  }
}

/** Whether `x` is this site's previous character (the one before counter `ctr`). A function, not a closure per insert. */
function isSitePrev(x: Elem | null, site: string, ctr: number): boolean {
  return x !== null && x.ctr === ctr - 1 && x.site === site;
}

function lastElem(ch: Chunk): Elem | null {
  return ch.items.length ? entry(ch.items, ch.items.length - 1, ITEMS) : null;
}

const NewElem = Elem; // local alias: no module-getter call per character under a CommonJS transpile
