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
 * - The store does not grow for ever: an op every replica is known to have delivered is
 *   causally stable (no peer can ask for it again) and is dropped. A replica learns what its
 *   peers have delivered from the dependency vector each op carries (its origin's delivered
 *   vector) and from their digests. What it learns must be durable at the peer, or a crash
 *   there could take back a delivery nobody can resend: an op leaves its origin only once
 *   synced, and a group commit syncs everything logged before it, so its dependencies are
 *   durable; a digest is only when every write is (no storage.syncLagMs), and is not heard
 *   otherwise. A replica may drop an op it has not synced itself: if a crash takes it back,
 *   the peers still hold it, since none heard of it as durable here.
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
  /** Per origin: delivered ops by seq − 1 − base (the first `base` seqs were collected). */
  readonly store: (OpRec | undefined)[][];
  /** Per origin: how many of its ops (a prefix, seqs 1…base) were dropped as stable. */
  readonly base: number[];
  /** Per peer: the highest delivered vector heard from it (digest or op dependencies). */
  private readonly heard: Int32Array[];
  private sinceCollect = 0;
  /** Per origin: buffered ops by seq (several when duplicates are not dropped). */
  private readonly buf: Map<number, OpRec[]>[];
  buffered = 0;

  constructor(readonly n: number) {
    this.store = Array.from({ length: n }, () => []);
    this.base = new Array<number>(n).fill(0);
    this.heard = Array.from({ length: n }, () => new Int32Array(n));
    this.buf = Array.from({ length: n }, () => new Map());
  }

  put(rec: OpRec): void {
    const i = rec.s - 1 - this.base[rec.o]!;
    if (i < 0) return; // stable already: delivered everywhere, and dropped
    const a = this.store[rec.o]!;
    if (a[i] === undefined) a[i] = rec;
  }

  /** Ops held for retransmission. */
  get held(): number {
    let n = 0;
    for (const a of this.store) for (const rec of a) if (rec !== undefined) n++;
    return n;
  }

  /** Peer `j` has delivered at least `vec` (its digest, or an op's dependencies; `vec` is not kept). */
  hear(j: number, vec: Int32Array): void {
    const h = this.heard[j]!;
    for (let o = 0; o < this.n; o++) if (vec[o]! > h[o]!) h[o] = vec[o]!;
  }

  /** Origin `o`'s op `s` reached us: `o` has delivered its own ops 1…s. */
  heardOwn(o: number, s: number): void {
    const h = this.heard[o]!;
    if (s > h[o]!) h[o] = s;
  }

  /** `collect`, once every 128 calls (per op received: the minimum over peers costs n²). */
  maybeCollect(k: Knowledge, self: number): void {
    if (++this.sinceCollect < 128) return;
    this.sinceCollect = 0;
    this.collect(k, self);
  }

  /**
   * Drops the ops every replica has delivered: per origin, the prefix up to the minimum of this
   * replica's delivered prefix `k` and every peer's heard vector. Returns how many were dropped.
   */
  collect(k: Knowledge, self: number): number {
    let dropped = 0;
    for (let o = 0; o < this.n; o++) {
      let stable = k.contig[o]!;
      for (let j = 0; j < this.n; j++) if (j !== self && this.heard[j]![o]! < stable) stable = this.heard[j]![o]!;
      const drop = stable - this.base[o]!;
      // In batches: shifting the array for every op would make collection quadratic.
      if (drop < 64 || drop * 4 < this.store[o]!.length) continue;
      const a = this.store[o]!;
      for (let i = 0; i < drop; i++) if (a[i] !== undefined) dropped++;
      this.store[o] = a.slice(drop);
      this.base[o] = stable;
    }
    return dropped;
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
        // Deleting the entry being visited is safe while iterating a Map: no snapshot needed.
        for (const s of m.keys())
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
      const a = this.store[o]!,
        base = this.base[o]!;
      for (let i = a.length - 1; i >= 0; i--) if (a[i] !== undefined && !k.has(o, base + i + 1)) a[i] = undefined;
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
      const a = this.store[o]!,
        base = this.base[o]!;
      const top = o === self ? Math.min(base + a.length, ownDurable) : base + a.length;
      // A peer below `base` would need collected ops; it cannot be: base ≤ what it reported.
      for (let s = Math.max(vv[o]!, base) + 1; s <= top; s++) {
        const rec = a[s - 1 - base];
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
