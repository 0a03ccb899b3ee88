/**
 * What a replica knows: the set of updates it has applied, each named by a dot
 * (origin node index, per-origin sequence number from 1). A delta carries its one update; a full
 * state carries everything its sender knew.
 *
 * The harness keeps this beside the CRDT state (the CRDT's own metadata is opaque to it) to
 * decide which replicas "have applied the same updates" (strong convergence), what a remove had
 * observed (add-wins), and to print version vectors in the trace.
 *
 * Representation: per origin, the contiguous prefix `contig[o]` (1..contig all applied) plus a
 * ring bitmap of the applied seqs just above it (out-of-order deltas land there; a bitmap is
 * several times cheaper than a Set on the hot path). An order-independent 64-bit fingerprint (XOR of a hash per
 * dot, two 32-bit lanes) plus the count make "same set?" an O(1) question on the hot path;
 * `sameAs` confirms exactly when the fingerprints agree.
 *
 * It is the set core's CausalContext models (a property test keeps the two in agreement, and
 * `toCausalContext` converts); this one is index-based and allocation-free on the hot path.
 */

import { CausalContext } from "../../core/clock/causal-context.ts";

/** Optional per-dot weights summed into `total` (counter-total: +n per inc, −n per dec). */
export type DotWeights = readonly ArrayLike<number>[];

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Knowledge {
  readonly contig: number[];
  /** Per origin: ring of flags for seqs contig+1 … contig+ring.length (index seq & mask), or null. */
  readonly ring: (Uint8Array | null)[];
  /** Per origin: how many flags are set in its ring. */
  readonly extras: number[];
  totalExtras = 0;
  count = 0;
  fpA = 0;
  fpB = 0;
  /** Sum of `weights` over the applied dots (0 when there are no weights). */
  total = 0;

  constructor(
    readonly origins: number,
    readonly weights: DotWeights | null = null,
  ) {
    this.contig = new Array<number>(origins).fill(0);
    this.ring = new Array<Uint8Array | null>(origins).fill(null);
    this.extras = new Array<number>(origins).fill(0);
  }

  has(o: number, s: number): boolean {
    const c = this.contig[o]!;
    if (s <= c) return true;
    const ring = this.ring[o];
    return ring !== null && ring !== undefined && s - c <= ring.length && ring[s & (ring.length - 1)] === 1;
  }

  /** Adds dot (o, s). Returns false if it was already known. */
  add(o: number, s: number): boolean {
    const c = this.contig[o]!;
    if (s <= c) return false;
    // The prefix and the ring out of line: V8 inlines a function under 460 bytes of bytecode, and
    // this one runs on every delivery.
    if (s === c + 1) this.extend(o, s);
    else if (!this.flag(o, s, c)) return false;
    this.count++;
    const h1 = fmix32(Math.imul(s, 0x9e3779b1) ^ Math.imul(o + 1, 0x27d4eb2f));
    const h2 = fmix32(h1 ^ Math.imul(s + 0x165667b1, 0x85ebca77) ^ o);
    this.fpA = (this.fpA ^ h1) >>> 0;
    this.fpB = (this.fpB ^ h2) >>> 0;
    if (this.weights !== null) this.total += this.weights[o]![s] ?? 0;
    return true;
  }

  /** The prefix of origin o reaches `s`, and the seqs waiting just above it join it. */
  private extend(o: number, s: number): void {
    let c = s;
    const ring = this.ring[o] ?? null;
    if (ring !== null && this.extras[o]! > 0) {
      const mask = ring.length - 1;
      let absorbed = 0;
      while (ring[(c + 1) & mask] === 1) {
        ring[(c + 1) & mask] = 0;
        c++;
        absorbed++;
      }
      this.extras[o]! -= absorbed;
      this.totalExtras -= absorbed;
    }
    this.contig[o] = c;
  }

  /** Flags `s`, above the prefix `c` of origin o and not next to it, in its ring. False if it was flagged already. */
  private flag(o: number, s: number, c: number): boolean {
    let ring = this.ring[o] ?? null;
    if (ring === null || s - c > ring.length) ring = this.grow(o, s - c);
    const at = s & (ring.length - 1);
    if (ring[at] === 1) return false;
    ring[at] = 1;
    this.extras[o]!++;
    this.totalExtras++;
    return true;
  }

  /** A ring for origin o that reaches `span` seqs above the prefix, keeping the flags set. */
  private grow(o: number, span: number): Uint8Array {
    const old = this.ring[o] ?? null;
    let size = old ? old.length * 2 : 64;
    while (size < span) size *= 2;
    const ring = new Uint8Array(size);
    if (old) for (const s of this.extraSeqs(o)) ring[s & (size - 1)] = 1;
    this.ring[o] = ring;
    return ring;
  }

  /** The seqs of origin o applied above its prefix, ascending. */
  extraSeqs(o: number): number[] {
    const out: number[] = [];
    const ring = this.ring[o];
    if (!ring || this.extras[o] === 0) return out;
    const c = this.contig[o]!;
    const mask = ring.length - 1;
    for (let s = c + 1; s <= c + ring.length && out.length < this.extras[o]!; s++) if (ring[s & mask] === 1) out.push(s);
    return out;
  }

  /** Adds everything `other` knows. Returns how many dots were new. */
  mergeFrom(other: Knowledge): number {
    const before = this.count;
    for (let o = 0; o < this.origins; o++) {
      const theirs = other.contig[o]!;
      for (let s = this.contig[o]! + 1; s <= theirs; s++) this.add(o, s);
      if (other.extras[o]! > 0) for (const s of other.extraSeqs(o)) this.add(o, s);
    }
    return this.count - before;
  }

  /** Same fingerprint and count: equal sets up to a 2^-64 collision; see `sameAs`. */
  likelySame(other: Knowledge): boolean {
    return this.count === other.count && this.fpA === other.fpA && this.fpB === other.fpB;
  }

  sameAs(other: Knowledge): boolean {
    if (this.count !== other.count) return false;
    for (let o = 0; o < this.origins; o++) {
      if (this.contig[o] !== other.contig[o] || this.extras[o] !== other.extras[o]) return false;
      if (this.extras[o]! > 0) for (const s of this.extraSeqs(o)) if (!other.has(o, s)) return false;
    }
    return true;
  }

  /** True when every origin's applied seqs form a prefix 1..n (no gaps). */
  gapFree(): boolean {
    return this.totalExtras === 0;
  }

  clone(): Knowledge {
    const k = new Knowledge(this.origins, this.weights);
    for (let o = 0; o < this.origins; o++) {
      k.contig[o] = this.contig[o]!;
      k.extras[o] = this.extras[o]!;
      const ring = this.ring[o];
      k.ring[o] = ring && this.extras[o]! > 0 ? ring.slice() : null;
    }
    k.totalExtras = this.totalExtras;
    k.count = this.count;
    k.fpA = this.fpA;
    k.fpB = this.fpB;
    k.total = this.total;
    return k;
  }

  /**
   * Version vector as canonical JSON: origin names in `sortedOrigins` order (indices into
   * `names`), the contiguous prefix per origin, zeros omitted. Seqs applied above a gap are
   * listed under "+" so the trace never claims more (or less) than was applied.
   */
  vvJson(names: readonly string[], sortedOrigins: readonly number[]): string {
    let out = "{";
    let gaps = "";
    for (const o of sortedOrigins) {
      const c = this.contig[o]!;
      if (c > 0) out += `${out.length > 1 ? "," : ""}${JSON.stringify(names[o])}:${c}`;
      if (this.extras[o]! > 0) gaps += `${gaps ? "," : ""}${JSON.stringify(names[o])}:[${this.extraSeqs(o).join(",")}]`;
    }
    if (gaps) out += `${out.length > 1 ? "," : ""}"+":{${gaps}}`;
    return out + "}";
  }
}

/** The same set as core's CausalContext (origin indices named by `names`), for tools and tests. */
export function toCausalContext(k: Knowledge, names: readonly string[]): CausalContext {
  const cc = new CausalContext();
  for (let o = 0; o < k.origins; o++) {
    for (let s = 1; s <= k.contig[o]!; s++) cc.add([names[o]!, s]);
    for (const s of k.extraSeqs(o)) cc.add([names[o]!, s]);
  }
  return cc;
}
