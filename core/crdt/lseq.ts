/**
 * LSeq: a replicated text sequence on dense position identifiers, without tombstones
 * (state-based with delta mutators). The engine — path allocation (boundary+/boundary− by
 * depth, base doubling), comparison, chunked index — is in ./_internals/seq-lseq.ts.
 *
 * State: the characters (path, char) in path order, and a causal context (per replica, the
 * counters seen). Join is ORSWOT-style: a character survives if both sides hold it, or one
 * holds it and the other has not seen its dot; contexts are unioned. So deletes need no
 * tombstones, and deltas may arrive in any order, duplicated.
 * - insert [index, text] / delete [index, count]: as `rga` (clamped, UTF-16 indices, surrogate
 *   pairs kept whole). Insert delta: the new characters and their dots; delete delta: no
 *   characters, the deleted dots.
 * Encoding (canonical): sorted names; per name the context as (gap, len − 1) ranges; the
 * characters in order, each path as 0 when it continues the previous one (the next character of
 * a typed run: same levels, last level's digit and counter one up), else (1 + levels shared with
 * the previous path, new levels, each digit, name index, counter); then one content string.
 */
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Reader } from "../encoding/reader.ts";
import type { Writer } from "../encoding/writer.ts";
import { builtin } from "./_internals/builtin.ts";
import { rangesEach, rangesNormalize } from "./_internals/seq-ranges.ts";
import { compareElems, comparePaths, dotCtr, dotSite, Elem, LDoc, type Path } from "./_internals/seq-lseq.ts";
import { type Del } from "./_internals/seq-rga.ts";
import { SEQ_OPS, seqArgs } from "./rga.ts";
import { readNames, writeNames } from "./_internals/seq-names.ts";

const NAME = "lseq";

export class LSeqState {
  constructor(
    public doc: LDoc | null = null,
    public elems: Elem[] | null = null, // delta form: characters…
    public dots: Del[] | null = null, //      …and the dots seen (theirs, or the deleted ones)
  ) {}

  full(): LDoc {
    if (this.doc !== null) return this.doc;
    const d = new LDoc();
    for (const e of this.elems ?? []) d.insertByPath(e);
    for (const x of this.dots ?? []) d.see(x.rep, x.ctr, x.ctr + x.len);
    this.doc = d;
    this.elems = this.dots = null;
    return d;
  }

  clone(): LSeqState {
    return new LSeqState(this.doc ? this.doc.clone() : null, this.elems ? this.elems.slice() : null, this.dots ? this.dots.slice() : null);
  }
}
const LState = LSeqState; // local alias: no module-getter call on the per-keystroke path

function ctxOf(s: LSeqState, f: (site: string, from: number, to: number) => void): void {
  if (s.doc === null) for (const x of s.dots ?? []) f(x.rep, x.ctr, x.ctr + x.len);
  else for (const [site, r] of s.doc.ctx) rangesEach(r, (from, to) => f(site, from, to));
}

function elemsOf(s: LSeqState, f: (e: Elem) => void): void {
  if (s.doc === null) for (const e of s.elems ?? []) f(e);
  else s.doc.forEach(f);
}

function holds(s: LSeqState, site: string, ctr: number): boolean {
  if (s.doc !== null) return s.doc.has(site, ctr) !== undefined;
  return (s.elems ?? []).some((e) => e.site === site && e.ctr === ctr);
}

export function mergeLSeq(a: LSeqState, b: LSeqState): LSeqState {
  if (a === b) return a;
  const d = a.full();
  if (d.length === 0 && d.ctx.size === 0 && b.doc !== null) {
    a.doc = b.doc.clone(); // into an empty replica: a copy (elements are immutable, shared)
    return a;
  }
  // Characters b holds that a has never seen.
  const add: Elem[] = [];
  elemsOf(b, (e) => {
    if (!d.seen(e.site, e.ctr)) add.push(e);
  });
  // Characters a holds that b has seen but no longer holds: deleted there.
  const gone: Elem[] = [];
  ctxOf(b, (site, from, to) => {
    const m = d.byDot.get(site);
    if (!m) return;
    for (let c = from, end = Math.min(to, m.length); c < end; c++) {
      const e = m[c];
      if (e !== undefined && !holds(b, site, c)) gone.push(e);
    }
  });
  for (const e of gone) d.removeElem(e);
  for (const e of add) d.insertByPath(e);
  ctxOf(b, (site, from, to) => d.see(site, from, to));
  return a;
}

function writeLSeq(w: Writer, s: LSeqState): void {
  const ctx = new Map<string, number[]>();
  ctxOf(s, (site, from, to) => {
    let l = ctx.get(site);
    if (!l) ctx.set(site, (l = []));
    l.push(from, to);
  });
  const elems: Elem[] = [];
  elemsOf(s, (e) => void elems.push(e));
  if (s.doc === null) elems.sort(compareElems);
  const names = new Set<string>(ctx.keys());
  for (const e of elems) {
    for (let i = 1; i < e.pre.length; i += 3) names.add(e.pre[i] as string);
    names.add(e.site);
  }
  const table = writeNames(w, names);
  const index = new Map(table.map((n, i) => [n, i]));
  for (const n of table) {
    const r = rangesNormalize(ctx.get(n) ?? []);
    w.uint(r.length / 2);
    let end = 0;
    rangesEach(r, (from, to) => {
      w.uint(from - end).uint(to - from - 1);
      end = to;
    });
  }
  w.uint(elems.length);
  let prev: Path = [];
  let content = "";
  for (const e of elems) {
    const p = e.path;
    content += e.ch;
    // The next character of a typed run: one byte instead of a whole level (digit, site, counter).
    if (continues(prev, p)) {
      w.uint(0);
      prev = p;
      continue;
    }
    let shared = 0;
    while (
      3 * shared < Math.min(p.length, prev.length) &&
      p[3 * shared] === prev[3 * shared] &&
      p[3 * shared + 1] === prev[3 * shared + 1] &&
      p[3 * shared + 2] === prev[3 * shared + 2]
    )
      shared++;
    w.uint(shared + 1).uint(p.length / 3 - shared - 1);
    for (let i = 3 * shared; i < p.length; i += 3)
      w.uint(p[i] as number)
        .uint(index.get(p[i + 1] as string)!)
        .uint(p[i + 2] as number);
    prev = p;
  }
  w.string(content);
}

/**
 * Whether path p continues prev as a run typed forwards does: the same levels but the last, and
 * in the last the same site with the next digit and the next counter.
 */
function continues(prev: Path, p: Path): boolean {
  const n = p.length;
  if (n === 0 || prev.length !== n) return false;
  if (p[n - 2] !== prev[n - 2] || p[n - 3] !== (prev[n - 3] as number) + 1 || p[n - 1] !== (prev[n - 1] as number) + 1) return false;
  for (let i = 0; i < n - 3; i++) if (p[i] !== prev[i]) return false;
  return true;
}

function readLSeq(r: Reader): LSeqState {
  const table = readNames(r);
  const d = new LDoc();
  const used = new Set<string>();
  for (const name of table) {
    const count = r.count(2);
    let end = 0;
    for (let k = 0; k < count; k++) {
      const gap = r.uint();
      if (k > 0 && gap === 0) r.fail("context ranges touch (not canonical)");
      const s = end + gap,
        e = s + r.uint() + 1;
      if (!Number.isSafeInteger(e)) r.fail("counter exceeds 2^53");
      d.see(name, s, e);
      end = e;
      used.add(name);
    }
  }
  const count = r.count(2);
  // Per character its path's prefix (shared along a typed run, as insertLocal shares it) and last level.
  const pres: Path[] = [];
  const digits: number[] = [];
  const sites: string[] = [];
  const ctrs: number[] = [];
  // The previous path is built flat only when a path that is not its continuation needs it: a
  // typed run decodes without allocating a path per character.
  let prevFlat: Path | null = [];
  const flat = (k: number): Path => (prevFlat ??= [...pres[k - 1]!, digits[k - 1]!, sites[k - 1]!, ctrs[k - 1]!]);
  const dots = new Map<string, Set<number>>();
  for (let k = 0; k < count; k++) {
    const head = r.uint();
    let site: string, c: number;
    if (head === 0) {
      if (k === 0) r.fail("the first character cannot continue a previous one");
      // Continuation: the previous path with the digit and counter of its last level one up (so also in order).
      site = sites[k - 1]!;
      c = ctrs[k - 1]! + 1;
      if (!Number.isSafeInteger(c)) r.fail("counter exceeds 2^53");
      pres.push(pres[k - 1]!);
      digits.push(digits[k - 1]! + 1);
      prevFlat = null;
    } else {
      const prev = k === 0 ? [] : flat(k);
      const shared = head - 1;
      if (3 * shared > prev.length) r.fail(`path shares ${shared} levels with a shorter previous path`);
      const extra = r.uint() + 1;
      if (extra > 64) r.fail(`path deeper than 64 levels`);
      const p = prev.slice(0, 3 * shared);
      for (let i = 0; i < extra; i++) {
        const digit = r.uint();
        const si = r.uint();
        const site = table[si] ?? r.fail(`path names replica #${si} of ${table.length}`);
        p.push(digit, site, r.uint());
        used.add(site);
      }
      if (k > 0 && continues(prev, p)) r.fail("a continuation written out in full (not canonical)");
      if (k > 0 && comparePaths(prev, p) >= 0) r.fail("characters not in strictly increasing path order");
      site = dotSite(p);
      c = dotCtr(p);
      pres.push(p.slice(0, p.length - 3));
      digits.push(p[p.length - 3] as number);
      prevFlat = p;
    }
    if (!d.seen(site, c)) r.fail(`character ${site}:${c} is not in the causal context`);
    let seen = dots.get(site);
    if (seen === undefined) dots.set(site, (seen = new Set()));
    if (seen.has(c)) r.fail(`two characters share the dot ${site}:${c}`);
    seen.add(c);
    sites.push(site);
    ctrs.push(c);
  }
  const content = r.string();
  if (content.length !== count) r.fail(`content has ${content.length} characters for ${count} positions`);
  for (const name of table) if (!used.has(name)) r.fail(`replica "${name}" is listed but never used`);
  for (let k = 0; k < count; k++) d.insertByPath(new Elem(pres[k]!, digits[k]!, sites[k]!, ctrs[k]!, content[k]!));
  return new LSeqState(d);
}

export const lseq = builtin(NAME, {}, {}, (): StateCrdt<LSeqState, string> => ({
  kind: "state",
  name: NAME,
  ops: SEQ_OPS,
  // Why, in docs/crdts.md (Text): paths order concurrent inserts at one place, not runs.
  sequence: { interleaves: "concurrent inserts at one place are ordered by their identifiers' digits, so two runs typed there at once can interleave" },
  init: () => new LState(),
  update(state: LSeqState, op: Op, ctx: Ctx) {
    seqArgs(NAME, op);
    const index = op.args[0] as number,
      x = op.args[1];
    const doc = state.doc ?? state.full();
    const p = index < doc.length ? index : doc.length;
    if (op.op === "insert") {
      const text = x as string;
      if (text.length === 0) return { state, delta: new LState() };
      const ctr = doc.nextCtr(ctx.replica);
      const elems = doc.insertLocal(ctx.replica, p, text);
      return { state, delta: new LState(null, elems, [{ rep: ctx.replica, ctr, len: text.length }]) };
    }
    const n = Math.min(x as number, doc.length - p);
    if (n === 0) return { state, delta: new LState() };
    const gone = doc.deleteLocal(p, n);
    // Consecutive dots of one site (a run typed in one go) become one range.
    const dots: { rep: string; ctr: number; len: number }[] = [];
    for (const e of gone) {
      const rep = e.site,
        c = e.ctr;
      const last = dots[dots.length - 1];
      if (last !== undefined && last.rep === rep && last.ctr + last.len === c) last.len++;
      else dots.push({ rep, ctr: c, len: 1 });
    }
    return { state, delta: new LState(null, null, dots) };
  },
  merge: mergeLSeq,
  value: (s) => s.full().text(),
  clone: (s) => s.clone(),
  codec: framedCodec(NAME, writeLSeq, readLSeq),
}));
