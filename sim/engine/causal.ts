/**
 * Reliable causal broadcast for op mode (sync.mode "op", or an op-based CRDT): the messaging
 * layer that gives op-based types exactly-once causal delivery.
 *
 * - Every op is named by (origin, seq), seq counting the origin's ops from 1, and carries its
 *   dependencies: the origin's delivered vector when it was prepared.
 * - A replica delivers an op once (dedup by origin + seq; the replica's Knowledge is the
 *   delivered set) and only when it is causally ready: it is the origin's next op and every
 *   dependency is delivered. Ops that arrive early wait in a buffer (volatile: a crash loses it).
 * - Nothing is lost for good: every replica keeps the ops it delivered (OpNode.store) and
 *   anti-entropy exchanges digests (delivered vectors); the receiver of a digest sends back the
 *   ops the sender lacks, in one batch.
 *
 * `dedup: false` and `causal: false` (scenario switches) turn the two guarantees off to show
 * what they are for: a duplicated counter op counts twice; a remove that overtakes its add
 * removes nothing.
 */
import type { Knowledge } from "./knowledge.ts";

/** One op on the wire and in the store. Immutable once made (shared by every recipient). */
export type OpRec = {
  /** Origin node index and its per-origin seq (from 1). */
  readonly o: number;
  readonly s: number;
  /** The origin's delivered vector (contiguous prefix per origin) when the op was prepared. */
  readonly deps: Int32Array;
  /** The effect (OpCrdt.prepare's result), or a state-based type's delta. */
  readonly e: unknown;
  /** Encoded size: effect plus (origin, seq) and the dependency vector. */
  readonly bytes: number;
};

/** Whether `rec` may be delivered at a replica that has delivered `k`. */
export function causallyReady(k: Knowledge, rec: OpRec): boolean {
  const contig = k.contig;
  if (contig[rec.o]! < rec.s - 1) return false;
  const deps = rec.deps;
  for (let j = 0; j < deps.length; j++) if (j !== rec.o && deps[j]! > contig[j]!) return false;
  return true;
}

/** A replica's side of the layer: the op store (for retransmission) and the causal buffer. */
export class OpNode {
  /** Per origin: delivered ops by seq − 1. */
  readonly store: (OpRec | undefined)[][];
  /** Per origin: buffered ops by seq (several when duplicates are not dropped). */
  private readonly buf: Map<number, OpRec[]>[];
  buffered = 0;

  constructor(readonly n: number) {
    this.store = Array.from({ length: n }, () => []);
    this.buf = Array.from({ length: n }, () => new Map());
  }

  put(rec: OpRec): void {
    const a = this.store[rec.o]!;
    if (a[rec.s - 1] === undefined) a[rec.s - 1] = rec;
  }

  /** Whether an op with this id is waiting in the buffer. */
  isBuffered(o: number, s: number): boolean {
    return this.buf[o]!.has(s);
  }

  hold(rec: OpRec): void {
    const m = this.buf[rec.o]!;
    const list = m.get(rec.s);
    if (list) list.push(rec);
    else m.set(rec.s, [rec]);
    this.buffered++;
  }

  /**
   * Takes one buffered op that is ready at `k` (the next op of some origin whose dependencies
   * are delivered), or undefined. Origins are scanned in index order: deterministic.
   */
  takeReady(k: Knowledge, dedup: boolean): OpRec | undefined {
    if (this.buffered === 0) return undefined;
    for (let o = 0; o < this.n; o++) {
      const m = this.buf[o]!;
      if (m.size === 0) continue;
      // With dedup, anything at or below the delivered prefix is a late duplicate: discard it.
      if (dedup)
        for (const s of [...m.keys()])
          if (s <= k.contig[o]!) {
            this.buffered -= m.get(s)!.length;
            m.delete(s);
          }
      const candidates = dedup ? [k.contig[o]! + 1] : [...m.keys()].filter((s) => s <= k.contig[o]! + 1).sort((a, b) => a - b);
      for (const s of candidates) {
        const list = m.get(s);
        if (!list) continue;
        const rec = list[0]!;
        if (!causallyReady(k, rec)) continue;
        list.shift();
        if (list.length === 0) m.delete(s);
        this.buffered--;
        return rec;
      }
    }
    return undefined;
  }

  /** A crash: the buffer is volatile. */
  clearBuffer(): void {
    for (const m of this.buf) m.clear();
    this.buffered = 0;
  }

  /** After recovery: forget stored ops the recovered replica has not delivered (they were volatile). */
  prune(k: Knowledge): void {
    for (let o = 0; o < this.n; o++) {
      const a = this.store[o]!;
      for (let s = a.length; s >= 1; s--) if (a[s - 1] !== undefined && !k.has(o, s)) a[s - 1] = undefined;
      while (a.length > 0 && a[a.length - 1] === undefined) a.pop();
    }
  }

  /**
   * The ops a peer with delivered vector `vv` lacks, per origin in seq order. Own ops beyond
   * `ownDurable` are left out: an op leaves its origin only once durable (write-ahead).
   */
  missing(vv: Int32Array, self: number, ownDurable: number): OpRec[] {
    const out: OpRec[] = [];
    for (let o = 0; o < this.n; o++) {
      const a = this.store[o]!;
      const top = o === self ? Math.min(a.length, ownDurable) : a.length;
      for (let s = vv[o]! + 1; s <= top; s++) {
        const rec = a[s - 1];
        if (rec !== undefined) out.push(rec);
      }
    }
    return out;
  }
}

/** The delivered vector of `k` (its contiguous prefix per origin): the digest and an op's deps. */
export function vectorOf(k: Knowledge): Int32Array {
  return Int32Array.from(k.contig);
}
