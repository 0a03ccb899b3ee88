/**
 * The RGA engine: where the sequence algorithm lives (the contract object is in ../rga.ts, the
 * codec in ./seq-rga-codec.ts). Design, and why:
 *
 * - **Ordering scheme: YjsMod, i.e. FugueMax.** Every character has an id (replica, counter),
 *   an origin-left (the character just before it when it was typed, tombstones included) and an
 *   origin-right (the one just after). A remote insert is placed between its origins by the
 *   YjsMod scan (Gentle's modification of YATA, used by diamond-types); Weidner & Kleppmann,
 *   "The Art of the Fugue" (2023), show it orders characters exactly as FugueMax, which has
 *   *maximal non-interleaving*: runs typed concurrently at one place, forwards or backwards,
 *   never interleave. Plain RGA interleaves backward typing, plain YATA can misorder some
 *   concurrent inserts relative to Fugue; this scheme costs nothing more. Concurrent inserts
 *   with the same two origins are ordered by replica name (a total order every replica shares).
 *
 * - **Runs.** An item holds a run of characters from one replica with consecutive counters in
 *   which each character's origin-left is the previous one and all share one origin-right:
 *   exactly what typing produces. Items are split on demand (typing in the middle, partial
 *   deletes); pieces of one original run are chained (`next`) so an id finds its piece.
 *   Typing that continues the last run appends to its string: no new item, no allocation
 *   beyond the delta.
 *
 * - **Position index: chunked list + cursor.** Items live in chunks of ≤ MAX items, each with
 *   its visible length. Index → item walks chunks from a cursor (the chunk of the previous op),
 *   so the sequential editing pattern costs O(1) chunk steps plus a scan of ≤ MAX items;
 *   a jump costs O(n / MAX). Simpler and, at these sizes, faster than a B-tree.
 *
 * - **Tombstones.** A deleted item keeps its id and origins (later inserts may name it as an
 *   origin, and concurrent inserts are ordered against it) but drops its text; the metadata
 *   cost is one item per deleted run, and backspacing merges adjacent deleted pieces.
 *
 * - **Out-of-order delivery.** A run whose origins are not integrated yet waits in `pend`, a
 *   delete of characters not integrated yet waits in `pdel`; both are part of the state (and
 *   of its encoding), and `flush` integrates whatever becomes possible, in dependency order.
 *   Whether something is pending is a function of the set of inserts and deletes held, so
 *   equal knowledge gives equal states whatever the arrival order.
 *
 * - **Replica table.** Items store replica *indices* into this state's own table (first-seen
 *   order, never observable: encodings and tie-breaks use names). Deltas carry names.
 *
 * Nothing here reads a clock or randomness; iteration is over arrays in document order.
 */
import { entry } from "./seq-entry.ts";
import { rangesAdd, rangesAt, rangesEnd, rangesMissing } from "./seq-ranges.ts";

/** Makes V8 flatten a rope string in place (ToNumber reads it whole); the value is discarded. */
function flatten(s: string): void {
  void ((s as unknown as number) | 0);
}

/** An insert as carried by deltas and kept while pending. Immutable once made, so shareable. */
export type Run = {
  readonly rep: string;
  readonly ctr: number;
  readonly text: string;
  readonly l: string | null;
  readonly lc: number;
  readonly r: string | null;
  readonly rc: number;
};
/** A delete of counters [ctr, ctr + len) of a replica. Immutable. */
export type Del = { readonly rep: string; readonly ctr: number; readonly len: number };

const MAX = 48;
// What entry() names when an index the engine keeps in range is not.
const CHUNKS = "rga chunk list",
  ITEMS = "rga chunk items",
  HEADS = "rga run heads",
  HAVE = "rga counters held";

export class Item {
  next: Item | null = null; // next piece of the same original run (split chain), for id lookup
  chunk: Chunk = null!;
  constructor(
    public rep: number,
    public ctr: number,
    public len: number,
    public lRep: number,
    public lCtr: number, // origin-left of the first character (-1: start)
    public rRep: number,
    public rCtr: number, // origin-right of every character (-1: end)
    public text: string, // "" once deleted
    public del: boolean,
    public head: boolean, // first piece of an original run (listed in heads)
  ) {}
}

export class Chunk {
  items: Item[] = [];
  vis = 0;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

export class RgaDoc {
  names: string[] = [];
  ids = new Map<string, number>();

  /** The replica name behind index `rep` (every index the document hands out names one). */
  nameOf(rep: number): string {
    const name = this.names[rep];
    if (name === undefined) throw new Error(`rga: replica index ${rep} has no name in the document (${this.names.length} names): an internal invariant is broken`);
    return name;
  }
  /** Per replica: counters held, integrated or pending (so the next local counter is past them). */
  have: number[][] = [];
  /** Per replica: heads of original runs, sorted by counter. */
  heads: Item[][] = [];
  chunks: Chunk[] = [];
  length = 0;
  pend: Run[] = [];
  pdel = new Map<string, number[]>();
  // Cursor: a chunk index and the visible position where it starts, and inside that chunk an
  // item index and the visible position where that item starts (ci2 < 0: unknown).
  private cc = 0;
  private cpos = 0;
  private ci2 = -1;
  private cacc = 0;
  private facc = 0; // scratch: start position of the item `locate` found
  // Origins of the last local insert (scratch, read by the contract to build the delta).
  oL: Item | null = null;
  oLc = -1;
  oR: Item | null = null;

  rep(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.ids.set(name, i);
      this.have.push([]);
      this.heads.push([]);
    }
    return i;
  }

  nextCtr(ri: number): number {
    return rangesEnd(entry(this.have, ri, HAVE));
  }

  // ---- chunk plumbing ----

  private seek(p: number): number {
    const chunks = this.chunks;
    let ci = this.cc,
      pos = this.cpos;
    if (ci >= chunks.length) {
      ci = pos = 0;
      this.ci2 = -1;
    }
    const ci0 = ci;
    while (ci > 0 && p < pos) pos -= entry(chunks, --ci, CHUNKS).vis;
    while (ci < chunks.length - 1) {
      const vis = entry(chunks, ci, CHUNKS).vis;
      if (p < pos + vis) break;
      pos += vis;
      ci++;
    }
    if (ci !== ci0) this.ci2 = -1;
    this.cc = ci;
    this.cpos = pos;
    return ci;
  }

  private resetCursor(): void {
    this.cc = 0;
    this.cpos = 0;
    this.ci2 = -1;
  }

  /**
   * In the cursor chunk, the index of the item holding visible position p (items.length when p
   * is past its end); sets facc to that item's start. Starts from the item cursor when valid.
   */
  private locate(items: Item[], p: number): number {
    let ii = 0,
      acc = this.cpos;
    if (this.ci2 >= 0 && this.ci2 <= items.length) {
      ii = this.ci2;
      acc = this.cacc;
      while (ii > 0 && acc > p) {
        const it = entry(items, --ii, ITEMS);
        if (!it.del) acc -= it.len;
      }
    }
    for (; ii < items.length; ii++) {
      const it = entry(items, ii, ITEMS);
      if (!it.del) {
        if (p < acc + it.len) break;
        acc += it.len;
      }
    }
    this.facc = acc;
    return ii;
  }

  /** Splits an over-full chunk in two (the cursor stays valid: chunk starts do not move). */
  private rebalance(ch: Chunk): void {
    if (ch.items.length <= MAX) return;
    const ci = this.chunks.indexOf(ch);
    const half = ch.items.length >> 1;
    const nc = new Chunk();
    nc.items = ch.items.splice(half);
    let v = 0;
    for (const it of nc.items) {
      it.chunk = nc;
      if (!it.del) v += it.len;
    }
    nc.vis = v;
    ch.vis -= v;
    this.chunks.splice(ci + 1, 0, nc);
    if (this.cc > ci) this.cc++;
    if (this.cc === ci) this.ci2 = -1;
  }

  /** Splits `it` after k characters; the tail goes right after it (chunk may overflow: rebalance later). */
  split(it: Item, k: number, idx = it.chunk.items.indexOf(it)): Item {
    const t = new Item(it.rep, it.ctr + k, it.len - k, it.rep, it.ctr + k - 1, it.rRep, it.rCtr, it.del ? "" : it.text.slice(k), it.del, false);
    if (!it.del) it.text = it.text.slice(0, k);
    it.len = k;
    t.next = it.next;
    it.next = t;
    t.chunk = it.chunk;
    it.chunk.items.splice(idx + 1, 0, t);
    return t;
  }

  /** The integrated item holding character (ri, c), or null. */
  findChar(ri: number, c: number): Item | null {
    const hs = this.heads[ri];
    if (!hs || hs.length === 0) return null;
    let lo = 0,
      hi = hs.length - 1,
      h = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (entry(hs, mid, HEADS).ctr <= c) {
        h = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (h < 0) return null;
    let it: Item | null = entry(hs, h, HEADS);
    while (it !== null && it.ctr + it.len <= c) it = it.next;
    return it;
  }

  /** First integrated counter of replica ri above c, when c itself is not integrated. */
  private nextHeadAfter(ri: number, c: number): number {
    const hs = entry(this.heads, ri, HEADS);
    let lo = 0,
      hi = hs.length - 1,
      best = Infinity;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const ctr = entry(hs, mid, HEADS).ctr;
      if (ctr > c) {
        best = ctr;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return best;
  }

  private addHead(it: Item): void {
    const hs = entry(this.heads, it.rep, HEADS);
    if (hs.length === 0 || entry(hs, hs.length - 1, HEADS).ctr < it.ctr) {
      hs.push(it);
      return;
    }
    let lo = 0,
      hi = hs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entry(hs, mid, HEADS).ctr < it.ctr) lo = mid + 1;
      else hi = mid;
    }
    hs.splice(lo, 0, it);
  }

  // ---- local operations (the hot path) ----

  /**
   * Inserts `text` (non-empty) so that it starts at visible index p (0 ≤ p ≤ length), right
   * before the next visible character (after any tombstones). Sets oL/oLc/oR for the delta.
   * Returns the counter of the first new character.
   */
  insertLocal(ri: number, p: number, text: string): number {
    const n = text.length;
    const h = entry(this.have, ri, HAVE);
    const ctr = rangesEnd(h);
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    const ci = this.seek(p);
    const ch = entry(this.chunks, ci, CHUNKS);
    const items = ch.items;
    let ii = this.locate(items, p);
    const acc = this.facc,
      ii0 = ii;
    let L: Item | null, R: Item | null;
    // locate returns items.length when p is past the chunk's last item: then there is no R here.
    const at = ii < items.length ? entry(items, ii, ITEMS) : null;
    if (at !== null) {
      let k = p - acc;
      if (k > 0 && isHigh(at.text.charCodeAt(k - 1))) k--; // never split a surrogate pair
      if (k > 0) {
        R = this.split(at, k, ii);
        L = at;
        ii++;
      } else {
        R = at;
        L = this.itemBefore(items, ii, ci);
      }
    } else {
      R = null;
      L = this.itemBefore(items, ii, ci);
    }
    this.oL = L;
    this.oLc = L === null ? -1 : L.ctr + L.len - 1;
    this.oR = R;
    const rRep = R === null ? -1 : R.rep,
      rCtr = R === null ? -1 : R.ctr;
    if (L !== null && L.rep === ri && !L.del && L.ctr + L.len === ctr && L.rRep === rRep && L.rCtr === rCtr) {
      // Continues the run typed last: extend it in place.
      L.text += text;
      L.len += n;
      // Typing builds a rope of one-character pieces (~32 bytes of heap per character); flatten
      // it every len/8 characters (at least 32), which keeps that overhead bounded at O(n) cost.
      const g = L.len < 256 ? 32 : 1 << (28 - Math.clz32(L.len));
      if ((((L.len - n) / g) | 0) !== ((L.len / g) | 0)) flatten(L.text);
      L.chunk.vis += n;
      if (L.chunk !== ch) this.cpos += n;
      this.ci2 = ii0;
      this.cacc = acc + n;
    } else {
      const it = new Item(ri, ctr, n, L === null ? -1 : L.rep, this.oLc, rRep, rCtr, text, false, true);
      it.chunk = ch;
      items.splice(ii, 0, it);
      ch.vis += n;
      entry(this.heads, ri, HEADS).push(it); // its counter is the largest of ri
      this.ci2 = ii0;
      this.cacc = acc;
      if (items.length > MAX) this.rebalance(ch);
    }
    this.length += n;
    // ctr was the end of h's last interval (nothing since touched h): extend that interval.
    if (h.length > 0) h[h.length - 1] = ctr + n;
    else rangesAdd(h, ctr, ctr + n);
    return ctr;
  }

  /** The item before index ii of chunk ci's items: the previous one there, else the previous chunk's last, else none. */
  private itemBefore(items: Item[], ii: number, ci: number): Item | null {
    if (ii > 0) return entry(items, ii - 1, ITEMS);
    return ci > 0 ? lastOf(entry(this.chunks, ci - 1, CHUNKS)) : null;
  }

  /** Deletes n ≥ 1 visible characters from index p (p < length); appends the deleted id ranges to `out`. */
  deleteLocal(p: number, n: number, out: Del[]): void {
    const ci0 = this.seek(p);
    let ci = ci0;
    let ch = entry(this.chunks, ci, CHUNKS);
    let items = ch.items;
    let ii = this.locate(items, p);
    const acc = this.facc;
    this.ci2 = ii;
    this.cacc = acc;
    let k = p - acc;
    // k > 0: p is k characters into the item locate found (so there is one).
    if (k > 0 && isHigh(entry(items, ii, ITEMS).text.charCodeAt(k - 1))) {
      k--;
      n++;
    }
    if (k > 0) {
      const it = entry(items, ii, ITEMS);
      const m = it.len - k;
      const nx = ii + 1 < items.length ? entry(items, ii + 1, ITEMS) : null;
      if (m <= n && nx !== null && nx.del && it.next === nx) {
        // Backspace at the end of a run whose next piece is already deleted: move the
        // boundary instead of splitting and re-merging (the common case while fixing typos).
        it.len = k;
        it.text = it.text.slice(0, k);
        nx.ctr -= m;
        nx.len += m;
        nx.lCtr = nx.ctr - 1;
        ch.vis -= m;
        this.length -= m;
        pushDel(out, this.nameOf(it.rep), nx.ctr, m);
        if (m === n) return;
        n -= m;
        ii += 2;
        p = acc + k;
      } else {
        this.split(it, k, ii);
        ii++;
      }
    }
    const first = ch;
    let splitLast: Chunk | null = null;
    let remaining = n;
    while (remaining > 0) {
      if (ii >= items.length) {
        if (++ci >= this.chunks.length) break;
        ch = entry(this.chunks, ci, CHUNKS);
        items = ch.items;
        ii = 0;
        continue;
      }
      let it = entry(items, ii, ITEMS);
      if (it.del) {
        ii++;
        continue;
      }
      if (it.len > remaining) {
        if (isHigh(it.text.charCodeAt(remaining - 1))) remaining++;
        if (it.len > remaining) {
          this.split(it, remaining, ii);
          splitLast = ch;
        }
      }
      it.del = true;
      it.text = "";
      ch.vis -= it.len;
      this.length -= it.len;
      remaining -= it.len;
      pushDel(out, this.nameOf(it.rep), it.ctr, it.len);
      // Keep backspacing cheap: fold adjacent deleted pieces of one original run together.
      if (ii > 0) {
        const prev = entry(items, ii - 1, ITEMS);
        if (prev.del && prev.next === it) {
          prev.len += it.len;
          prev.next = it.next;
          items.splice(ii, 1);
          it = prev;
          ii--;
        }
      }
      const nx = ii + 1 < items.length ? entry(items, ii + 1, ITEMS) : null;
      if (nx !== null && nx.del && it.next === nx) {
        it.len += nx.len;
        it.next = nx.next;
        items.splice(ii + 1, 1);
      }
      ii++;
    }
    if (splitLast !== null && splitLast !== first) this.rebalance(splitLast);
    this.rebalance(first);
  }

  // ---- merging (the slow path: remote runs, deletes, pending) ----

  /** Adds the parts of `run` this state does not hold yet to the pending list. */
  addPending(run: Run): void {
    const ri = this.rep(run.rep);
    if (run.l !== null) this.rep(run.l);
    if (run.r !== null) this.rep(run.r);
    const h = entry(this.have, ri, HAVE);
    const end = run.ctr + run.text.length;
    if (h.length === 0 || run.ctr >= rangesEnd(h)) {
      this.pend.push(run);
      rangesAdd(h, run.ctr, end);
      return;
    }
    const miss = rangesMissing(h, run.ctr, end);
    for (let i = 0; i < miss.length; i += 2) {
      const s = rangesAt(miss, i),
        e = rangesAt(miss, i + 1);
      const sub: Run =
        s === run.ctr && e === end
          ? run
          : { rep: run.rep, ctr: s, text: run.text.slice(s - run.ctr, e - run.ctr), l: s === run.ctr ? run.l : run.rep, lc: s === run.ctr ? run.lc : s - 1, r: run.r, rc: run.rc };
      this.pend.push(sub);
      rangesAdd(h, s, e);
    }
  }

  /** Records a delete of counters [s, e) of `name`: applied where integrated, pending elsewhere. */
  addDelete(name: string, s: number, e: number): void {
    const ri = this.rep(name);
    const absent: number[] = [];
    this.deleteRange(ri, s, e, absent);
    if (absent.length) {
      let r = this.pdel.get(name);
      if (!r) this.pdel.set(name, (r = []));
      for (let i = 0; i < absent.length; i += 2) rangesAdd(r, rangesAt(absent, i), rangesAt(absent, i + 1));
    }
  }

  private deleteRange(ri: number, s: number, e: number, absent: number[]): void {
    let c = s;
    while (c < e) {
      let it = this.findChar(ri, c);
      if (it === null) {
        const stop = Math.min(e, this.nextHeadAfter(ri, c));
        absent.push(c, stop);
        c = stop;
        continue;
      }
      if (!it.del) {
        if (c > it.ctr) it = this.split(it, c - it.ctr);
        if (it.ctr + it.len > e) this.split(it, e - it.ctr);
        it.del = true;
        it.text = "";
        it.chunk.vis -= it.len;
        this.length -= it.len;
        this.rebalance(it.chunk);
      }
      c = it.ctr + it.len;
    }
    this.resetCursor();
  }

  /** Re-applies pending deletes after new characters were integrated; keeps only the absent parts. */
  private settleDeletes(): void {
    // A snapshot: deleteRange may add pending deletes for other names, which the loop must not visit.
    // oxlint-disable-next-line unicorn/no-useless-spread -- the copy is the point
    for (const [name, r] of [...this.pdel]) {
      const ri = this.rep(name);
      const absent: number[] = [];
      for (let i = 0; i < r.length; i += 2) this.deleteRange(ri, rangesAt(r, i), rangesAt(r, i + 1), absent);
      if (absent.length) this.pdel.set(name, absent);
      else this.pdel.delete(name);
    }
  }

  private integrated(name: string | null, c: number): boolean {
    if (name === null) return true;
    const ri = this.ids.get(name);
    return ri !== undefined && this.findChar(ri, c) !== null;
  }

  /**
   * Integrates every pending run whose origins are (or become) integrated, each after the
   * pending runs it depends on (explicit stack: dependency chains can be thousands long).
   */
  flush(): void {
    if (this.pend.length === 0) return;
    const byRep = new Map<string, Run[]>();
    for (const r of this.pend) {
      let l = byRep.get(r.rep);
      if (!l) byRep.set(r.rep, (l = []));
      l.push(r);
    }
    for (const l of byRep.values()) l.sort((a, b) => a.ctr - b.ctr);
    const find = (name: string, c: number): Run | null => {
      const l = byRep.get(name);
      if (!l) return null;
      let lo = 0,
        hi = l.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = entry(l, mid, "rga pending runs");
        if (r.ctr + r.text.length <= c) lo = mid + 1;
        else if (r.ctr > c) hi = mid - 1;
        else return r;
      }
      return null;
    };
    const ON_STACK = 1,
      DONE = 2,
      BLOCKED = 3;
    const mark = new Map<Run, number>();
    let progressed = false;
    for (const root of this.pend) {
      if (mark.has(root)) continue;
      const stack: Run[] = [root];
      mark.set(root, ON_STACK);
      while (stack.length) {
        const top = entry(stack, stack.length - 1, "rga flush stack");
        let dep: Run | null = null;
        let blocked = false;
        for (let side = 0; side < 2 && !dep && !blocked; side++) {
          const name = side === 0 ? top.l : top.r;
          const c = side === 0 ? top.lc : top.rc;
          if (this.integrated(name, c)) continue;
          const p = find(name!, c);
          const m = p === null ? BLOCKED : mark.get(p);
          if (p === null || p === top || m === ON_STACK || m === BLOCKED) blocked = true;
          else if (m !== DONE) dep = p;
        }
        if (blocked) {
          mark.set(top, BLOCKED);
          stack.pop();
        } else if (dep) {
          mark.set(dep, ON_STACK);
          stack.push(dep);
        } else {
          this.integrate(top);
          mark.set(top, DONE);
          progressed = true;
          stack.pop();
        }
      }
    }
    if (progressed) {
      this.pend = this.pend.filter((r) => mark.get(r) !== DONE);
      if (this.pdel.size) this.settleDeletes();
    }
  }

  /** Places one run whose origins are integrated (YjsMod / FugueMax scan between the origins). */
  private integrate(run: Run): void {
    const ri = this.rep(run.rep);
    const n = run.text.length;
    const lri = run.l === null ? -1 : this.ids.get(run.l)!;
    const rri = run.r === null ? -1 : this.ids.get(run.r)!;
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    let L: Item | null = null,
      R: Item | null = null;
    if (lri >= 0) {
      L = this.findChar(lri, run.lc)!;
      if (run.lc - L.ctr + 1 < L.len) this.split(L, run.lc - L.ctr + 1);
      this.rebalance(L.chunk);
    }
    if (rri >= 0) {
      R = this.findChar(rri, run.rc)!;
      if (run.rc > R.ctr) R = this.split(R, run.rc - R.ctr);
      this.rebalance(R.chunk);
    }
    // The items strictly between L and R: the concurrent inserts we must order against.
    const range: Item[] = [];
    const ci0 = L === null ? 0 : this.chunks.indexOf(L.chunk);
    const ii0 = L === null ? 0 : L.chunk.items.indexOf(L) + 1;
    scan: for (let ci = ci0; ci < this.chunks.length; ci++) {
      const items = entry(this.chunks, ci, CHUNKS).items;
      for (let ii = ci === ci0 ? ii0 : 0; ii < items.length; ii++) {
        const it = entry(items, ii, ITEMS);
        if (it === R) break scan;
        range.push(it);
      }
    }
    let dest = range.length;
    if (range.length) {
      const inRange = new Set(range);
      let scanning = false;
      let i = 0;
      for (; i < range.length; i++) {
        if (!scanning) dest = i;
        const o = entry(range, i, "rga insert range");
        // Where is o's origin-left relative to ours? (Inside the range means after ours.)
        let cmpL: number;
        if (o.lRep === lri && (lri === -1 || o.lCtr === run.lc)) cmpL = 0;
        else if (o.lRep === -1) cmpL = -1;
        else {
          const x = this.findChar(o.lRep, o.lCtr);
          cmpL = x !== null && inRange.has(x) ? 1 : -1;
        }
        if (cmpL < 0) break;
        if (cmpL > 0) continue;
        let cmpR: number;
        if (o.rRep === rri && (rri === -1 || o.rCtr === run.rc)) cmpR = 0;
        else if (o.rRep === -1) cmpR = 1;
        else if (rri === -1) cmpR = -1;
        else {
          const x = this.findChar(o.rRep, o.rCtr);
          cmpR = x !== null && inRange.has(x) ? -1 : 1;
        }
        if (cmpR < 0) {
          scanning = true;
          continue;
        }
        if (cmpR > 0) {
          scanning = false;
          continue;
        }
        if (run.rep < this.nameOf(o.rep)) break; // same origins: order by replica name
        scanning = false;
      }
      if (i === range.length && !scanning) dest = range.length;
    }
    // Insert before range[dest] (or before R, or at the end).
    const before = dest < range.length ? entry(range, dest, "rga insert range") : R;
    if (
      dest === 0 &&
      L !== null &&
      L.rep === ri &&
      !L.del &&
      L.ctr + L.len === run.ctr &&
      lri === ri &&
      run.lc === run.ctr - 1 &&
      L.rRep === rri &&
      (rri === -1 || L.rCtr === run.rc)
    ) {
      L.text += run.text;
      L.len += n;
      L.chunk.vis += n;
    } else {
      const it = new Item(ri, run.ctr, n, lri, run.lc, rri, run.rc, run.text, false, true);
      let ch: Chunk, idx: number;
      if (before !== null) {
        ch = before.chunk;
        idx = ch.items.indexOf(before);
      } else {
        ch = entry(this.chunks, this.chunks.length - 1, CHUNKS);
        idx = ch.items.length;
      }
      it.chunk = ch;
      ch.items.splice(idx, 0, it);
      ch.vis += n;
      this.addHead(it);
      this.rebalance(ch);
    }
    this.length += n;
    this.resetCursor();
  }

  // ---- reading ----

  text(): string {
    let s = "";
    for (const ch of this.chunks) for (const it of ch.items) if (!it.del) s += it.text;
    return s;
  }

  forEachItem(f: (it: Item) => void): void {
    for (const ch of this.chunks) for (const it of ch.items) f(it);
  }

  clone(): RgaDoc {
    const d = new RgaDoc();
    d.names = this.names.slice();
    d.ids = new Map(this.ids);
    d.have = this.have.map((h) => h.slice());
    const copies = new Map<Item, Item>();
    for (const ch of this.chunks) {
      const nc = new Chunk();
      nc.vis = ch.vis;
      const items = ch.items;
      const out: Item[] = new Array(items.length);
      let i = 0;
      for (const it of items) {
        const c = new Item(it.rep, it.ctr, it.len, it.lRep, it.lCtr, it.rRep, it.rCtr, it.text, it.del, it.head);
        c.chunk = nc;
        copies.set(it, c);
        out[i++] = c;
      }
      nc.items = out;
      d.chunks.push(nc);
    }
    for (const [it, c] of copies) if (it.next !== null) c.next = copies.get(it.next)!;
    d.heads = this.heads.map((hs) => hs.map((h) => copies.get(h)!));
    d.length = this.length;
    d.pend = this.pend.slice();
    for (const [k, v] of this.pdel) d.pdel.set(k, v.slice());
    return d;
  }
}

function pushDel(out: Del[], rep: string, ctr: number, len: number): void {
  const last = out.length ? entry(out, out.length - 1, "rga deletes") : null;
  if (last !== null && last.rep === rep && last.ctr + last.len === ctr) out[out.length - 1] = { rep, ctr: last.ctr, len: last.len + len };
  else out.push({ rep, ctr, len });
}

function lastOf(ch: Chunk): Item | null {
  return ch.items.length ? entry(ch.items, ch.items.length - 1, ITEMS) : null;
}
