/**
 * Version vector: replica id → number of events of that replica seen (Fidge/Mattern). Compares
 * histories: `before` (this happened-before other), `after`, `equal`, or `concurrent`.
 *
 * Entries live in a Map, but nothing observable depends on its insertion order: `entries()`,
 * `toJSON()` and the encodings sort replica ids. A zero counter is never stored, so `{a:0}` and
 * `{}` are the same vector (same size, same JSON, same bytes).
 */
import { compareStrings } from "../util/json.ts";

export type Ordering = "before" | "after" | "equal" | "concurrent";

/** A counter is a non-negative safe integer; anything else is a programming error. */
export function checkCounter(n: unknown, what: string): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${String(n)}`);
}

export function checkReplica(replica: unknown): asserts replica is string {
  if (typeof replica !== "string") throw new TypeError(`replica id must be a string, got ${typeof replica}`);
}

export class VersionVector {
  private readonly counts = new Map<string, number>();

  /** The counter of `replica`, 0 when it has none. */
  get(replica: string): number {
    return this.counts.get(replica) ?? 0;
  }

  /** Sets a counter (0 removes the entry). Raw setter: it may lower a counter. */
  set(replica: string, n: number): this {
    checkReplica(replica);
    checkCounter(n, `counter of "${replica}"`);
    if (n === 0) this.counts.delete(replica);
    else this.counts.set(replica, n);
    return this;
  }

  /** Counts one more event of `replica`; returns the new counter. */
  increment(replica: string): number {
    const n = this.get(replica) + 1;
    this.set(replica, n);
    return n;
  }

  /** Pointwise maximum of `other` into this (mutates this, reads other). */
  merge(other: VersionVector): this {
    for (const [r, n] of other.counts) if (n > this.get(r)) this.counts.set(r, n);
    return this;
  }

  compare(other: VersionVector): Ordering {
    let less = false;
    let greater = false;
    for (const [r, n] of this.counts) {
      const m = other.get(r);
      if (n < m) less = true;
      else if (n > m) greater = true;
    }
    // Replicas only `other` knows: there this has 0, so other is ahead.
    for (const [r, m] of other.counts) if (!this.counts.has(r) && m > 0) less = true;
    return less ? (greater ? "concurrent" : "before") : greater ? "after" : "equal";
  }

  /** This has seen everything `other` has (≥ on every replica); true for equal vectors. */
  dominates(other: VersionVector): boolean {
    for (const [r, m] of other.counts) if (this.get(r) < m) return false;
    return true;
  }

  equals(other: VersionVector): boolean {
    if (this.counts.size !== other.counts.size) return false;
    for (const [r, n] of this.counts) if (other.counts.get(r) !== n) return false;
    return true;
  }

  clone(): VersionVector {
    const out = new VersionVector();
    for (const [r, n] of this.counts) out.counts.set(r, n);
    return out;
  }

  /** Non-zero entries sorted by replica id. */
  entries(): [string, number][] {
    return [...this.counts.entries()].sort((x, y) => compareStrings(x[0], y[0]));
  }

  /** Number of replicas with a non-zero counter. */
  get size(): number {
    return this.counts.size;
  }

  /** Replica ids with a non-zero counter, unsorted: for lookups only, never for output. */
  replicaIds(): IterableIterator<string> {
    return this.counts.keys();
  }

  /** Sorted keys, zeros omitted: equal vectors stringify identically. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    // defineProperty: a replica named "__proto__" must stay an own key.
    for (const [r, n] of this.entries()) Object.defineProperty(out, r, { value: n, enumerable: true, writable: true, configurable: true });
    return out;
  }

  static from(obj: Record<string, number>): VersionVector {
    const out = new VersionVector();
    for (const [r, n] of Object.entries(obj)) out.set(r, n);
    return out;
  }
}
