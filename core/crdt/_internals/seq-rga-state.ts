/**
 * The RGA state object. A state is either a full document ({@link RgaDoc}) or — for deltas,
 * which are made once per keystroke — a light bag of runs and deletes (`dpend`, `ddel`) that
 * becomes a document only if someone reads it as one. Both forms mean the same thing: a set of
 * inserted runs and a set of deleted ids (the canonical codec, ./seq-rga-codec.ts, encodes
 * exactly that meaning).
 */
import { rangesEach } from "./seq-ranges.ts";
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
export function runsOf(s: RgaState, f: (r: Run) => void): void {
  const d = s.doc;
  if (d === null) {
    for (const r of s.dpend ?? EMPTY_RUNS) f(r);
    return;
  }
  d.forEachItem((it: Item) => {
    f({
      rep: d.nameOf(it.rep),
      ctr: it.ctr,
      text: it.del ? "\0".repeat(it.len) : it.text,
      l: it.lRep < 0 ? null : d.nameOf(it.lRep),
      lc: it.lCtr,
      r: it.rRep < 0 ? null : d.nameOf(it.rRep),
      rc: it.rCtr,
    });
  });
  for (const r of d.pend) f(r);
}

/** Every deleted range of `s` (integrated tombstones and pending deletes). */
export function delsOf(s: RgaState, f: (name: string, from: number, to: number) => void): void {
  const d = s.doc;
  if (d === null) {
    for (const x of s.ddel ?? EMPTY_DELS) f(x.rep, x.ctr, x.ctr + x.len);
    return;
  }
  d.forEachItem((it) => {
    if (it.del) f(d.nameOf(it.rep), it.ctr, it.ctr + it.len);
  });
  for (const [name, r] of d.pdel) rangesEach(r, (from, to) => f(name, from, to));
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
