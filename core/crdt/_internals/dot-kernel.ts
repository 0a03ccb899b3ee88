/**
 * The dot kernel (Almeida, Shoker, Baquero, "Delta state replicated data types", 2018): JSON
 * payloads, each supported by the dots of the writes that put it there, plus the causal context
 * of every write the state has seen. OR-Set (add-wins, ORSWOT-style) and MV-Register are both
 * this one structure; they differ only in which entries a write supersedes.
 *
 * No tombstones: a payload whose dots are all gone is simply absent, and the context remembers
 * that those dots were seen, so a late copy of them cannot bring it back.
 *
 * Join (a ⊔ b): a dot survives if both sides hold it, or one side holds it and the other's
 * context has not seen it (if the other has seen it and does not hold it, it was removed there).
 * Contexts are unioned. A concurrent write's dot was seen by no remover, so it survives: add-wins.
 *
 * Entries are keyed by canonicalKey(value): equal values written concurrently are one entry with
 * several dots. Iteration order of the Maps is never observable: values and encodings are sorted.
 */
import { CausalContext } from "../../clock/causal-context.ts";
import { readCausalContext, writeCausalContext } from "../../clock/codec.ts";
import { compareDots, type Dot } from "../../clock/dot.ts";
import type { Codec } from "../../contract.ts";
import { framedCodec } from "../../encoding/framed-codec.ts";
import { readJson, writeJson } from "../../encoding/json-value.ts";
import type { Reader } from "../../encoding/reader.ts";
import type { Writer } from "../../encoding/writer.ts";
import { canonicalKey, compareJson, type Json } from "../../util/json.ts";
import { frozenJson } from "./frozen-json.ts";

/** A payload (deep-frozen, shareable) and the dots supporting it (never empty; frozen tuples). */
type Entry = { value: Json; dots: Dot[] };

export class DotKernel {
  private readonly entries = new Map<string, Entry>();
  /**
   * replica → counter → entry key. Lets a join find the dots the other side's context covers
   * by looking them up, instead of scanning every entry: merging a small delta into a big
   * state costs the delta's size.
   */
  private readonly byDot = new Map<string, Map<number, string>>();
  /** Every dot this state has seen; always includes the dots of `entries`. */
  readonly ctx = new CausalContext();

  /** Number of distinct payloads. */
  get size(): number {
    return this.entries.size;
  }

  /** The payloads, sorted by compareJson. */
  values(): Json[] {
    return [...this.entries.values()].map((e) => e.value).sort(compareJson);
  }

  /** The dots supporting the payload with this canonical key, sorted (empty when absent). */
  dotsOf(key: string): Dot[] {
    return [...(this.entries.get(key)?.dots ?? [])].sort(compareDots);
  }

  /**
   * Writes `value` under a fresh dot of `replica`, superseding the dots of the entries named
   * by `supersede` (absent keys are fine). Returns the delta: the new entry alone, with a
   * context of the new dot and the superseded ones (so a recipient drops exactly those).
   * `value` must already be deep-frozen (frozenJson: it is shared with the delta) and `key`
   * its canonicalKey.
   */
  write(replica: string, key: string, value: Json, supersede: Iterable<string>): DotKernel {
    const dot = Object.freeze(this.ctx.next(replica)); // first: it validates the replica id
    const delta = new DotKernel();
    // A snapshot: the caller's iterable may be a live view of the entries removeEntry deletes
    // from (an array is one already: keys() returns a copy).
    // oxlint-disable-next-line unicorn/no-useless-spread -- the copy is the point
    const doomed = Array.isArray(supersede) ? (supersede as string[]) : [...supersede];
    if (this.entries.has(key)) {
      // The writer's own dot index is kept even when it empties: the new dot goes in next.
      for (const k of doomed) for (const d of this.removeEntry(k, replica)) delta.ctx.add(d);
      this.insert(key, value, dot);
    } else {
      // A value not held yet (an MV write of a new value, the usual case): its entry goes in
      // before the superseded ones go out, so that the Maps never empty on the way — a Map that
      // empties shrinks, and refilling it reallocates its table, at every write. The entries and
      // the indexes end up exactly as with the removals first (its key, absent, was not removed).
      this.insert(key, value, dot);
      for (const k of doomed) if (k !== key) for (const d of this.removeEntry(k, replica)) delta.ctx.add(d);
    }
    delta.insert(key, value, dot);
    delta.ctx.add(dot);
    return delta;
  }

  /** Removes the entries with these keys (absent keys are fine). Returns the delta: their dots as a context. */
  remove(keys: Iterable<string>): DotKernel {
    const delta = new DotKernel();
    // A snapshot, as in write: `keys` may be a live view of the entries.
    // oxlint-disable-next-line unicorn/no-useless-spread -- the copy is the point
    for (const k of [...keys]) for (const d of this.removeEntry(k)) delta.ctx.add(d);
    return delta;
  }

  /** Every key, unsorted: for passing to write/remove, never for output. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** a ⊔ b into this (mutates this, only reads `other`). */
  join(other: DotKernel): this {
    if (other === this) return this;
    // No closures in here: join runs once per delivery, and a closure made per call (or per
    // replica) was a measurable share of an or-set delivery.
    // 1. Drop our dots that the other side has seen and no longer holds (removed there).
    for (const [r, mine] of this.byDot) {
      const seenUpTo = other.ctx.vv.get(r);
      const seenCloud = other.ctx.cloudOf(r);
      if (seenUpTo === 0 && !seenCloud) continue;
      const theirs = other.byDot.get(r);
      let doomed: number[] | null = null;
      // Walk whichever is smaller: our dots of r, or the dots of r their context names.
      if (mine.size <= seenUpTo + (seenCloud?.size ?? 0)) {
        for (const c of mine.keys()) if ((c <= seenUpTo || seenCloud?.has(c)) && !theirs?.has(c)) (doomed ??= []).push(c);
      } else {
        for (let c = 1; c <= seenUpTo; c++) if (mine.has(c) && !theirs?.has(c)) (doomed ??= []).push(c);
        if (seenCloud) for (const c of seenCloud) if (mine.has(c) && !theirs?.has(c)) (doomed ??= []).push(c);
      }
      if (doomed) for (const c of doomed) this.removeDot(r, c);
    }
    // 2. Take their dots that we have never seen (a dot we saw and lack was removed here).
    for (const [r, theirs] of other.byDot)
      for (const [c, key] of theirs) {
        if (this.ctx.has([r, c])) continue;
        const entry = other.entries.get(key)!;
        this.insert(key, entry.value, dotIn(entry.dots, r, c));
      }
    this.ctx.merge(other.ctx);
    return this;
  }

  clone(): DotKernel {
    const out = new DotKernel();
    for (const [k, e] of this.entries) out.entries.set(k, { value: e.value, dots: [...e.dots] });
    for (const [r, m] of this.byDot) out.byDot.set(r, new Map(m));
    out.ctx.merge(this.ctx);
    return out;
  }

  private insert(key: string, value: Json, dot: Dot): void {
    const entry = this.entries.get(key);
    if (entry) entry.dots.push(dot);
    else this.entries.set(key, { value, dots: [dot] });
    let m = this.byDot.get(dot[0]);
    if (!m) this.byDot.set(dot[0], (m = new Map()));
    m.set(dot[1], key);
  }

  /** Removes an entry and its dots (the context keeps them); returns the dots. */
  private removeEntry(key: string, keep?: string): Dot[] {
    const entry = this.entries.get(key);
    if (!entry) return [];
    this.entries.delete(key);
    for (const [r, c] of entry.dots) {
      if (r === keep) this.byDot.get(r)!.delete(c);
      else this.unindex(r, c);
    }
    return entry.dots;
  }

  private removeDot(r: string, c: number): void {
    const key = this.byDot.get(r)!.get(c)!;
    this.unindex(r, c);
    const entry = this.entries.get(key)!;
    entry.dots = entry.dots.filter((d) => d[0] !== r || d[1] !== c);
    if (entry.dots.length === 0) this.entries.delete(key);
  }

  private unindex(r: string, c: number): void {
    const m = this.byDot.get(r)!;
    m.delete(c);
    if (m.size === 0) this.byDot.delete(r);
  }

  /**
   * Canonical layout: the context, then the entries by ascending value, each as its value and
   * its dots by ascending (replica, counter). A dot's replica is written as an index into the
   * context's sorted replica ids (every dot is in the context), so ids are stored once.
   */
  static encode(w: Writer, k: DotKernel): void {
    writeCausalContext(w, k.ctx);
    // A context of one replica (a single writer's register or set: the common case) makes every
    // dot's index 0; one entry of one dot needs no sorting. The bytes are the same either way.
    const index = k.ctx.soleReplica() === undefined ? new Map(k.ctx.replicas().map((id, i) => [id, i])) : undefined;
    w.uint(k.entries.size);
    if (k.entries.size === 1) for (const e of k.entries.values()) writeEntry(w, e, index);
    else for (const e of [...k.entries.values()].sort((x, y) => compareJson(x.value, y.value))) writeEntry(w, e, index);
  }

  /** Reads {@link DotKernel.encode}'s layout, refusing any non-canonical or inconsistent input. */
  static decode(r: Reader): DotKernel {
    const out = new DotKernel();
    const ctx = readCausalContext(r);
    out.ctx.merge(ctx);
    const ids = ctx.replicas();
    const n = r.count(4);
    let prev: Json | undefined;
    for (let i = 0; i < n; i++) {
      const value = frozenJson(readJson(r));
      if (prev !== undefined && compareJson(prev, value) >= 0) r.fail(`values not strictly sorted (${canonicalKey(prev)} then ${canonicalKey(value)})`);
      prev = value;
      const key = canonicalKey(value);
      const m = r.count(2);
      if (m === 0) r.fail(`value ${key} has no dots`);
      let prevDot: Dot | undefined;
      for (let j = 0; j < m; j++) {
        const at = r.uint();
        const id = ids[at] ?? r.fail(`dot replica index ${at} out of range (context names ${ids.length} replicas)`);
        const dot: Dot = Object.freeze([id, r.uint()] as const);
        if (dot[1] === 0) r.fail("dot counter 0 (counters start at 1)");
        if (prevDot && compareDots(prevDot, dot) >= 0) r.fail(`dots of value ${key} not strictly sorted`);
        prevDot = dot;
        if (!ctx.has(dot)) r.fail(`dot (${dot[0]}, ${dot[1]}) of value ${key} is not in the causal context`);
        if (out.byDot.get(dot[0])?.has(dot[1])) r.fail(`dot (${dot[0]}, ${dot[1]}) supports two values`);
        out.insert(key, value, dot);
      }
    }
    return out;
  }
}

/** An entry: its value, then its dots by ascending (replica, counter), each replica as its `index` (undefined: the context's only replica, 0). */
function writeEntry(w: Writer, e: Entry, index: Map<string, number> | undefined): void {
  writeJson(w, e.value);
  const dots = e.dots.length === 1 ? e.dots : [...e.dots].sort(compareDots);
  w.uint(dots.length);
  for (const [r, c] of dots) w.uint(index === undefined ? 0 : index.get(r)!).uint(c);
}

/** The dot (r, c) among an entry's dots (the caller knows it is there). */
function dotIn(dots: readonly Dot[], r: string, c: number): Dot {
  for (const d of dots) if (d[0] === r && d[1] === c) return d;
  throw new Error(`dot (${r}, ${c}) is not among the entry's dots`);
}

/** The codec of a type whose state is a bare kernel: header with the type's tag, then the kernel. */
export function kernelCodec(type: "or-set" | "mv-register"): Codec<DotKernel> {
  return framedCodec(type, DotKernel.encode, DotKernel.decode);
}
