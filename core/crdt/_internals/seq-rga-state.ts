/**
 * The RGA state object and its canonical codec. A state is either a full document
 * ({@link RgaDoc}) or — for deltas, which are made once per keystroke — a light bag of runs
 * and deletes (`dpend`, `ddel`) that becomes a document only if someone reads it as one.
 * Both forms mean the same thing: a set of inserted runs and a set of deleted ids.
 *
 * Encoding (canonical: it depends only on that meaning, never on arrival order, item splits
 * or whether something is still pending):
 *   names      uint n, n × string, strictly sorted
 *   per name   runs: uint count, then per run  uint gap (counter − end of previous run),
 *                    uint len − 1, origin-left, origin-right; maximal (mergeable runs are merged)
 *              deletes: uint count, then per range  uint gap, uint len − 1 (gaps ≥ 1 after the first)
 *   content    one string: the visible characters of every run, in the order above
 * An origin is uint 0 (document edge), 1 + zigzag(run counter − c) (same replica, the common
 * case: one or two bytes) or 2 + name index, uint c. Runs in counter order rather than document
 * order keep counters implicit (gap 0) and deleted text is not stored at all.
 */
import { type Reader } from "../../encoding/reader.ts";
import { type Writer } from "../../encoding/writer.ts";
import { compareStrings } from "../../util/json.ts";
import { rangesAdd, rangesMissing, rangesNormalize } from "./seq-ranges.ts";
import { type Del, type Item, RgaDoc, type Run } from "./seq-rga.ts";

export class RgaState {
  constructor(
    public doc: RgaDoc | null = null,
    public dpend: Run[] | null = null,
    public ddel: Del[] | null = null,
  ) {}

  /** The full-document form (converting a delta-form state in place: same meaning). */
  full(): RgaDoc {
    if (this.doc !== null) return this.doc;
    const d = new RgaDoc();
    if (this.dpend) for (const r of this.dpend) d.addPending(r);
    d.flush();
    if (this.ddel) for (const x of this.ddel) d.addDelete(x.rep, x.ctr, x.ctr + x.len);
    this.doc = d;
    this.dpend = this.ddel = null;
    return d;
  }

  clone(): RgaState {
    return new RgaState(this.doc ? this.doc.clone() : null, this.dpend ? this.dpend.slice() : null, this.ddel ? this.ddel.slice() : null);
  }
}

const EMPTY_RUNS: readonly Run[] = [];
const EMPTY_DELS: readonly Del[] = [];

/** Every run of `b` as immutable Runs (integrated items converted, pending as is). */
function runsOf(s: RgaState, f: (r: Run) => void): void {
  const d = s.doc;
  if (d === null) {
    for (const r of s.dpend ?? EMPTY_RUNS) f(r);
    return;
  }
  const names = d.names;
  d.forEachItem((it: Item) => {
    f({ rep: names[it.rep], ctr: it.ctr, text: it.del ? "\0".repeat(it.len) : it.text, l: it.lRep < 0 ? null : names[it.lRep], lc: it.lCtr, r: it.rRep < 0 ? null : names[it.rRep], rc: it.rCtr });
  });
  for (const r of d.pend) f(r);
}

/** Every deleted range of `s` (integrated tombstones and pending deletes). */
function delsOf(s: RgaState, f: (name: string, from: number, to: number) => void): void {
  const d = s.doc;
  if (d === null) {
    for (const x of s.ddel ?? EMPTY_DELS) f(x.rep, x.ctr, x.ctr + x.len);
    return;
  }
  d.forEachItem((it) => {
    if (it.del) f(d.names[it.rep], it.ctr, it.ctr + it.len);
  });
  for (const [name, r] of d.pdel) for (let i = 0; i < r.length; i += 2) f(name, r[i], r[i + 1]);
}

/** a ⊔ b into a (b untouched; nothing of b's mutable structure is shared). */
export function mergeRga(a: RgaState, b: RgaState): RgaState {
  if (a === b) return a;
  const bEmpty = b.doc === null ? !b.dpend?.length && !b.ddel?.length : b.doc.names.length === 0;
  if (bEmpty) return a;
  const ad = a.doc;
  const aEmpty = ad === null ? !a.dpend?.length && !a.ddel?.length : ad.names.length === 0;
  if (aEmpty && b.doc !== null) {
    // Merge into an empty replica (a new node's first sync): copy, no integration needed.
    a.doc = b.doc.clone();
    a.dpend = a.ddel = null;
    return a;
  }
  const d = a.full();
  runsOf(b, (r) => d.addPending(r));
  d.flush();
  delsOf(b, (name, s, e) => d.addDelete(name, s, e));
  return a;
}

export function valueRga(s: RgaState): string {
  return s.full().text();
}

// ---- codec ----

type Seg = { rep: string; ctr: number; len: number; l: string | null; lc: number; r: string | null; rc: number; text: string };

export function writeRga(w: Writer, s: RgaState): void {
  // Gather runs and deletes per replica name.
  const segs = new Map<string, Seg[]>();
  const dels = new Map<string, number[]>();
  const names = new Set<string>();
  runsOf(s, (r) => {
    let l = segs.get(r.rep);
    if (!l) segs.set(r.rep, (l = []));
    l.push({ rep: r.rep, ctr: r.ctr, len: r.text.length, l: r.l, lc: r.lc, r: r.r, rc: r.rc, text: r.text });
    names.add(r.rep);
    if (r.l !== null) names.add(r.l);
    if (r.r !== null) names.add(r.r);
  });
  delsOf(s, (name, from, to) => {
    let l = dels.get(name);
    if (!l) dels.set(name, (l = []));
    l.push(from, to);
    names.add(name);
  });
  const table = [...names].sort(compareStrings);
  const index = new Map(table.map((n, i) => [n, i]));
  w.uint(table.length);
  for (const n of table) w.string(n);
  let content = "";
  for (let ni = 0; ni < table.length; ni++) {
    const name = table[ni];
    const deleted = rangesNormalize(dels.get(name) ?? []);
    const list = (segs.get(name) ?? []).sort((x, y) => x.ctr - y.ctr);
    // Merge continuation segments into maximal runs.
    const runs: Seg[] = [];
    for (const sg of list) {
      const last = runs.length ? runs[runs.length - 1] : null;
      if (last !== null && continues(last, sg)) {
        last.len += sg.len;
        last.text += sg.text;
      } else runs.push({ ...sg });
    }
    w.uint(runs.length);
    let end = 0;
    for (const r of runs) {
      w.uint(r.ctr - end).uint(r.len - 1);
      writeOrigin(w, r.l, r.lc, ni, r.ctr, index);
      writeOrigin(w, r.r, r.rc, ni, r.ctr, index);
      end = r.ctr + r.len;
      // Visible characters only: the run minus its deleted counters.
      const vis = rangesMissing(deleted, r.ctr, end);
      for (let i = 0; i < vis.length; i += 2) content += r.text.slice(vis[i] - r.ctr, vis[i + 1] - r.ctr);
    }
    w.uint(deleted.length / 2);
    end = 0;
    for (let i = 0; i < deleted.length; i += 2) {
      w.uint(deleted[i] - end).uint(deleted[i + 1] - deleted[i] - 1);
      end = deleted[i + 1];
    }
  }
  w.string(content);
}

function continues(a: Seg, b: Seg): boolean {
  return b.ctr === a.ctr + a.len && b.l === a.rep && b.lc === b.ctr - 1 && b.r === a.r && (b.r === null || b.rc === a.rc);
}

function writeOrigin(w: Writer, name: string | null, c: number, self: number, ctr: number, index: Map<string, number>): void {
  if (name === null) w.uint(0);
  else {
    const i = index.get(name)!;
    if (i === self) w.uint(1).int(ctr - c);
    else w.uint(2 + i).uint(c);
  }
}

export function readRga(r: Reader): RgaState {
  const n = r.count(1);
  const table: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.string();
    if (i > 0 && compareStrings(table[i - 1], name) >= 0) r.fail(`replica names not strictly sorted ("${table[i - 1]}" then "${name}")`);
    table.push(name);
  }
  type Raw = { rep: string; ctr: number; len: number; l: string | null; lc: number; r: string | null; rc: number };
  const runs: Raw[] = [];
  const deletes: [string, number[]][] = [];
  const used = new Set<string>();
  for (let ni = 0; ni < n; ni++) {
    const name = table[ni];
    const count = r.count(4);
    let end = 0;
    let prev: Raw | null = null;
    for (let k = 0; k < count; k++) {
      const gap = r.uint();
      const len = r.uint() + 1;
      const ctr = end + gap;
      if (!Number.isSafeInteger(ctr + len)) r.fail("counter exceeds 2^53");
      const [l, lc] = readOrigin(r, table, ni, ctr);
      const [rn, rc] = readOrigin(r, table, ni, ctr);
      const raw: Raw = { rep: name, ctr, len, l, lc, r: rn, rc };
      if (prev !== null && gap === 0 && l === name && lc === ctr - 1 && rn === prev.r && (rn === null || rc === prev.rc)) r.fail("run continues the previous one (not canonical: runs must be maximal)");
      runs.push(raw);
      used.add(name);
      if (l !== null) used.add(l);
      if (rn !== null) used.add(rn);
      prev = raw;
      end = ctr + len;
    }
    const dc = r.count(2);
    const ranges: number[] = [];
    end = 0;
    for (let k = 0; k < dc; k++) {
      const gap = r.uint();
      if (k > 0 && gap === 0) r.fail("delete ranges touch (not canonical: they must be merged)");
      const s = end + gap;
      const e = s + r.uint() + 1;
      if (!Number.isSafeInteger(e)) r.fail("counter exceeds 2^53");
      ranges.push(s, e);
      end = e;
    }
    if (dc) {
      deletes.push([name, ranges]);
      used.add(name);
    }
  }
  const content = r.string();
  for (const name of table) if (!used.has(name)) r.fail(`replica "${name}" is listed but never used`);
  // Hand out content to the visible characters of each run; deleted ones get a placeholder.
  const delBy = new Map(deletes);
  let at = 0;
  const full: Run[] = [];
  for (const x of runs) {
    const deleted = delBy.get(x.rep) ?? [];
    const vis = rangesMissing(deleted, x.ctr, x.ctr + x.len);
    let text = "";
    let c = x.ctr;
    for (let i = 0; i < vis.length; i += 2) {
      text += "\0".repeat(vis[i] - c);
      const take = vis[i + 1] - vis[i];
      if (at + take > content.length) r.fail("content shorter than the runs' visible characters");
      text += content.slice(at, at + take);
      at += take;
      c = vis[i + 1];
    }
    text += "\0".repeat(x.ctr + x.len - c);
    full.push({ rep: x.rep, ctr: x.ctr, text, l: x.l, lc: x.lc, r: x.r, rc: x.rc });
  }
  if (at !== content.length) r.fail(`content has ${content.length - at} characters more than the runs hold`);
  const d = new RgaDoc();
  for (const name of table) d.rep(name);
  for (const run of full) d.addPending(run);
  d.flush();
  for (const [name, ranges] of deletes) for (let i = 0; i < ranges.length; i += 2) d.addDelete(name, ranges[i], ranges[i + 1]);
  return new RgaState(d);
}

function readOrigin(r: Reader, table: string[], self: number, ctr: number): [string | null, number] {
  const tag = r.uint();
  if (tag === 0) return [null, -1];
  if (tag === 1) {
    const c = ctr - r.int();
    if (c < 0 || !Number.isSafeInteger(c)) r.fail(`origin counter ${c} out of range`);
    return [table[self], c];
  }
  const i = tag - 2;
  if (i >= table.length) r.fail(`origin names replica #${i} of ${table.length}`);
  if (i === self) r.fail("origin on the run's own replica must use the short form");
  return [table[i], r.uint()];
}

export { rangesAdd };
