/**
 * A least-recently-used cache of a fixed capacity, keyed by (collection number, object id): what
 * keeps a node's memory bounded by what it touches rather than by what it stores. One Map per
 * collection, keyed by the id itself (no key string built and hashed per read); each Map keeps
 * insertion order, so its first key is its least recently used one, and the capacity's eviction
 * takes the oldest of those firsts (a handful of collections).
 *
 * Approximately: a hit re-inserts its key only when it lies in the older half (more than
 * capacity / 2 insertions since it was last put at the end). A key in the newer half cannot be
 * evicted before that many insertions, and it moves at its next hit after them; moving every
 * hit cost a delete and an insert per read (and the Map a rehash of the whole cache every time
 * its deleted slots filled up), the dearest part of a cached read.
 */
type Slot<V> = { value: V; at: number };

export class Lru<V> {
  private readonly maps: Map<string, Slot<V>>[] = [];
  private count = 0;
  /** Insertions so far (the end of the order): a slot's `at` is this when it was put at the end. */
  private clock = 0;
  private readonly half: number;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    this.half = Math.floor(capacity / 2);
  }

  get(c: number, id: string): V | undefined {
    const map = this.maps[c];
    const slot = map?.get(id);
    if (slot === undefined) return undefined;
    if (this.clock - slot.at > this.half) {
      map!.delete(id);
      map!.set(id, slot);
      slot.at = ++this.clock;
    }
    return slot.value;
  }

  set(c: number, id: string, value: V): void {
    const map = (this.maps[c] ??= new Map());
    if (map.delete(id)) this.count--;
    map.set(id, { value, at: ++this.clock });
    if (++this.count > this.capacity) this.evict();
  }

  /** Drops the least recently used entry: the oldest first entry of the collections' Maps. */
  private evict(): void {
    let from: Map<string, Slot<V>> | undefined;
    let oldest: string | undefined;
    let at = Infinity;
    for (const map of this.maps) {
      if (map === undefined) continue;
      for (const [id, slot] of map) {
        if (slot.at < at) {
          at = slot.at;
          from = map;
          oldest = id;
        }
        break;
      }
    }
    if (from !== undefined && oldest !== undefined) {
      from.delete(oldest);
      this.count--;
    }
  }

  clear(): void {
    this.maps.length = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }
}
