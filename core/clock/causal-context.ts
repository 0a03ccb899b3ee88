/**
 * Causal context: the set of dots (events) a state has seen, kept compact as a version vector
 * (every dot (r, 1..vv[r])) plus a dot cloud (the dots seen out of order, beyond a gap).
 *
 * Invariant, kept by every mutator: each cloud dot of replica r has counter > vv[r] + 1. A dot
 * at vv[r] + 1 is absorbed into the vector (repeatedly: it may make the next one contiguous),
 * and a dot ≤ vv[r] is already covered and dropped. Only contiguous dots are absorbed: absorbing
 * a dot across a gap (as js-delta-crdts does) would claim events never seen, and a removal or
 * overwrite carrying that context would then erase a concurrent write it never observed.
 *
 * The invariant makes the representation canonical: one set of dots has exactly one
 * (vector, cloud) form, so equal contexts encode to equal bytes.
 */
import { compareStrings } from "../util/json.ts";
import { checkDot, compareDots, type Dot } from "./dot.ts";
import { checkReplica, VersionVector } from "./version-vector.ts";

export type CausalContextJson = { vv: Record<string, number>; cloud: [string, number][] };

export class CausalContext {
  private readonly vector = new VersionVector();
  /**
   * replica → counters seen beyond a gap. Never holds an empty Set; made on the first such dot
   * (most contexts never have one, and every dot-kernel state and delta holds a context).
   */
  private dots: Map<string, Set<number>> | undefined;

  /** The compact part. For reading only: mutating it would break the cloud invariant. */
  get vv(): VersionVector {
    return this.vector;
  }

  has(dot: Dot): boolean {
    return dot[1] <= this.vector.get(dot[0]) || (this.dots?.get(dot[0])?.has(dot[1]) ?? false);
  }

  add(dot: Dot): this {
    checkDot(dot);
    this.insert(dot[0], dot[1]);
    return this;
  }

  private insert(r: string, c: number): void {
    const n = this.vector.get(r);
    if (c <= n) return;
    if (c === n + 1) {
      // Contiguous: extend the vector, then absorb whatever run of cloud dots now follows.
      const set = this.dots?.get(r);
      let top = c;
      if (set) {
        while (set.delete(top + 1)) top++;
        if (set.size === 0) this.dots!.delete(r);
      }
      this.vector.set(r, top);
      return;
    }
    // Beyond a gap: the invariant already holds for the existing cloud, so just insert.
    const dots = (this.dots ??= new Map());
    let set = dots.get(r);
    if (!set) dots.set(r, (set = new Set()));
    set.add(c);
  }

  /** A fresh dot of `replica` (one past the largest counter of it seen), added to this context. */
  next(replica: string): Dot {
    checkReplica(replica);
    let max = this.vector.get(replica);
    const cloud = this.dots?.get(replica);
    if (cloud) for (const c of cloud) if (c > max) max = c;
    const dot: Dot = [replica, max + 1];
    this.add(dot);
    return dot;
  }

  /** Union of the dot sets (mutates this, reads other). Cost: other's size, not this one's. */
  merge(other: CausalContext): this {
    if (other === this) return this;
    for (const r of other.vector.replicaIds()) {
      const m = other.vector.get(r);
      if (m > this.vector.get(r)) {
        this.vector.set(r, m);
        this.compact(r);
      }
    }
    if (other.dots) for (const [r, theirs] of other.dots) for (const c of theirs) this.insert(r, c);
    return this;
  }

  /** Restores the invariant for replica `r`: absorb contiguous dots, drop covered ones. */
  private compact(r: string): void {
    const set = this.dots?.get(r);
    if (!set) return;
    let n = this.vector.get(r);
    for (const c of set) if (c <= n) set.delete(c);
    const start = n;
    while (set.delete(n + 1)) n++;
    if (set.size === 0) this.dots!.delete(r);
    if (n !== start) this.vector.set(r, n);
  }

  /** A copy holding only the dots of the replicas `keep` accepts. */
  restricted(keep: (replica: string) => boolean): CausalContext {
    const out = new CausalContext();
    for (const r of this.vector.replicaIds()) if (keep(r)) out.vector.set(r, this.vector.get(r));
    if (this.dots) for (const [r, set] of this.dots) if (keep(r)) (out.dots ??= new Map()).set(r, new Set(set));
    return out;
  }

  clone(): CausalContext {
    const out = new CausalContext();
    out.vector.merge(this.vector);
    if (this.dots && this.dots.size > 0) {
      const dots = (out.dots = new Map());
      for (const [r, set] of this.dots) dots.set(r, new Set(set));
    }
    return out;
  }

  /** The cloud dots, sorted by replica then counter. */
  cloud(): Dot[] {
    const out: Dot[] = [];
    if (this.dots) for (const [r, set] of this.dots) for (const c of set) out.push([r, c]);
    return out.sort(compareDots);
  }

  /** The one replica id the context names (vector or cloud), or undefined when it names none or several. */
  soleReplica(): string | undefined {
    if (this.vector.size > 1) return undefined;
    let only: string | undefined;
    for (const r of this.vector.replicaIds()) only = r;
    if (this.dots)
      for (const r of this.dots.keys())
        if (only === undefined) only = r;
        else if (r !== only) return undefined;
    return only;
  }

  /** The replica ids with dots in the cloud, sorted. */
  cloudReplicas(): string[] {
    if (!this.dots) return [];
    const ids = [...this.dots.keys()];
    return ids.length > 1 ? ids.sort(compareStrings) : ids;
  }

  /** Cloud counters of one replica, unsorted: for lookups only, never for output. */
  cloudOf(replica: string): ReadonlySet<number> | undefined {
    return this.dots?.get(replica);
  }

  /** Every replica id named by the vector or the cloud, sorted. */
  replicas(): string[] {
    const ids = new Set<string>(this.vector.replicaIds());
    if (this.dots) for (const r of this.dots.keys()) ids.add(r);
    return [...ids].sort(compareStrings);
  }

  isEmpty(): boolean {
    return this.vector.size === 0 && (this.dots?.size ?? 0) === 0;
  }

  /** Same set of dots (the representation is canonical, so this compares the parts). */
  equals(other: CausalContext): boolean {
    if (!this.vector.equals(other.vector) || (this.dots?.size ?? 0) !== (other.dots?.size ?? 0)) return false;
    if (this.dots)
      for (const [r, set] of this.dots) {
        const theirs = other.dots!.get(r);
        if (!theirs || theirs.size !== set.size) return false;
        for (const c of set) if (!theirs.has(c)) return false;
      }
    return true;
  }

  toJSON(): CausalContextJson {
    return { vv: this.vector.toJSON(), cloud: this.cloud().map(([r, c]) => [r, c]) };
  }

  /** Builds a context from a vector and any dots (compacted; the cloud need not be canonical). */
  static from(json: { vv?: Record<string, number>; cloud?: readonly Dot[] }): CausalContext {
    const out = new CausalContext();
    out.vector.merge(VersionVector.from(json.vv ?? {}));
    for (const d of json.cloud ?? []) out.add(d);
    return out;
  }
}
