/**
 * A least-recently-used map with a fixed capacity: what keeps a node's memory bounded by what it
 * touches rather than by what it stores. A Map keeps insertion order, so re-inserting a key makes
 * its first key the least recently used one.
 *
 * Approximately: a hit re-inserts its key only when it lies in the older half (more than
 * capacity / 2 insertions since it was last put at the end). A key in the newer half cannot be
 * evicted before that many insertions, and it moves at its next hit after them; moving every
 * hit cost a delete and an insert per read (and the Map a rehash of the whole cache every time
 * its deleted slots fill up), the dearest part of a cached read.
 */
type Slot<V> = { value: V; at: number };

export class Lru<K, V> {
  private readonly map = new Map<K, Slot<V>>();
  /** Insertions so far (the end of the order): a slot's `at` is this when it was put at the end. */
  private clock = 0;
  private readonly half: number;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    this.half = Math.floor(capacity / 2);
  }

  get(key: K): V | undefined {
    const slot = this.map.get(key);
    if (slot === undefined) return undefined;
    if (this.clock - slot.at > this.half) {
      this.map.delete(key);
      this.map.set(key, slot);
      slot.at = ++this.clock;
    }
    return slot.value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, at: ++this.clock });
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
