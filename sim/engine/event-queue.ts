/**
 * The simulator's agenda: a binary min-heap ordered by (time, insertion sequence number).
 * The sequence number makes the order total, so events at the same virtual millisecond run in
 * the order they were scheduled, in every process: no tie is left to the heap's shape.
 *
 * Items carry their own `t` and `seq` fields (set by `push`) so that the hot path allocates
 * nothing beyond the event object itself.
 */
export interface Timed {
  t: number;
  seq: number;
}

export class EventQueue<T extends Timed> {
  private heap: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `item` at time `t`. Returns the item. */
  push(item: T, t: number): T {
    item.t = t;
    item.seq = this.nextSeq++;
    const heap = this.heap;
    let i = heap.length;
    heap.push(item);
    // Sift up: move parents down until the slot for `item` is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (parent.t < t || (parent.t === t && parent.seq < item.seq)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = item;
    return item;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  pop(): T | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (n > 1) {
      // Sift down `last` from the root.
      const size = n - 1;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        let c = l;
        let child = heap[l]!;
        if (r < size) {
          const rc = heap[r]!;
          if (rc.t < child.t || (rc.t === child.t && rc.seq < child.seq)) {
            c = r;
            child = rc;
          }
        }
        if (last.t < child.t || (last.t === child.t && last.seq < child.seq)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  clear(): void {
    this.heap = [];
  }

  /** The sequence number the next push gets. */
  get seqNext(): number {
    return this.nextSeq;
  }

  /** The scheduled items, in no particular order. */
  items(): readonly T[] {
    return this.heap;
  }

  /**
   * Replaces the agenda by `items` with the `t` and `seq` they carry, and the next push's
   * number (a forked run re-numbering its steps, fork.ts). A sorted array is a valid heap.
   */
  rebuild(items: T[], nextSeq: number): void {
    this.heap = items.sort((a, b) => a.t - b.t || a.seq - b.seq);
    this.nextSeq = nextSeq;
  }
}
