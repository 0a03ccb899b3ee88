/**
 * A StoreBacking that keeps only bytes — objects through the store's object codec, version
 * vectors and causal contexts through core's codecs, log entries as (id, delta) — and decodes on
 * every read: a disk with no cache. A StoreReplica over it sees a change only if it was written
 * back with the matching `put*`, and every value it reads is a fresh copy, so any read-mutate
 * without a put, or any state kept by the replica between calls, shows as a difference from
 * the same replica over MemoryBacking.
 */
import { causalContextCodec, versionVectorCodec } from "../clock/codec.ts";
import type { CausalContext } from "../clock/causal-context.ts";
import type { VersionVector } from "../clock/version-vector.ts";
import { Reader } from "../encoding/reader.ts";
import { Writer } from "../encoding/writer.ts";
import type { LoggedDelta, StoreBacking } from "../store/backing.ts";
import type { StoreCrdt } from "../store/store-crdt.ts";
import { compareStrings } from "../util/json.ts";

type Bytes = Uint8Array;

export class ColdBacking implements StoreBacking {
  private readonly objects = new Map<string, Map<string, { state: Bytes; vv: Bytes }>>();
  private readonly known = new Map<string, Bytes>();
  private readonly log = new Map<string, Map<string, Map<number, Bytes>>>();
  /** Reads and writes so far: a test can check that a backing was actually used. */
  reads = 0;
  writes = 0;

  constructor(private readonly store: StoreCrdt) {}

  private encodeObject(c: string, s: unknown, id?: string): Bytes {
    const w = new Writer();
    if (id !== undefined) w.string(id);
    this.store.writeObject(w, c, s);
    return w.finish();
  }

  object(c: string, id: string): unknown {
    this.reads++;
    const row = this.objects.get(c)?.get(id);
    if (!row) return undefined;
    const r = new Reader(row.state, "cold object");
    const s = this.store.readObject(r, c, `${c}["${id}"]`);
    r.end();
    return s;
  }

  vv(c: string, id: string): VersionVector | undefined {
    this.reads++;
    const row = this.objects.get(c)?.get(id);
    return row && versionVectorCodec.decode(row.vv);
  }

  put(c: string, id: string, state: unknown, vv: VersionVector): void {
    this.writes++;
    let rows = this.objects.get(c);
    if (!rows) this.objects.set(c, (rows = new Map()));
    rows.set(id, { state: this.encodeObject(c, state), vv: versionVectorCodec.encode(vv) });
  }

  ids(c: string): string[] {
    this.reads++;
    return [...(this.objects.get(c)?.keys() ?? [])].sort(compareStrings);
  }

  count(c: string): number {
    return this.objects.get(c)?.size ?? 0;
  }

  /** No index: decodes every vector of the collection. */
  touchedAbove(c: string, origin: string, above: number): string[] {
    this.reads++;
    return this.ids(c).filter((id) => versionVectorCodec.decode(this.objects.get(c)!.get(id)!.vv).get(origin) > above);
  }

  knowledge(c: string): CausalContext | undefined {
    this.reads++;
    const b = this.known.get(c);
    return b && causalContextCodec.decode(b);
  }

  putKnowledge(c: string, cc: CausalContext): void {
    this.writes++;
    this.known.set(c, causalContextCodec.encode(cc));
  }

  logPut(c: string, origin: string, seq: number, entry: LoggedDelta): void {
    this.writes++;
    let origins = this.log.get(c);
    if (!origins) this.log.set(c, (origins = new Map()));
    let entries = origins.get(origin);
    if (!entries) origins.set(origin, (entries = new Map()));
    entries.set(seq, this.encodeObject(c, entry.delta, entry.id));
  }

  logGet(c: string, origin: string, seq: number): LoggedDelta | undefined {
    this.reads++;
    const b = this.log.get(c)?.get(origin)?.get(seq);
    if (!b) return undefined;
    const r = new Reader(b, "cold log entry");
    const id = r.string();
    const delta = this.store.readObject(r, c, `${c}["${id}"] delta`);
    r.end();
    return { id, delta };
  }

  logCompact(floor: (c: string, origin: string) => number): number {
    this.writes++;
    let dropped = 0;
    for (const [c, origins] of this.log)
      for (const [origin, entries] of origins) {
        const f = floor(c, origin);
        for (const s of entries.keys())
          if (s <= f) {
            entries.delete(s);
            dropped++;
          }
      }
    return dropped;
  }

  logSize(): number {
    let n = 0;
    for (const origins of this.log.values()) for (const entries of origins.values()) n += entries.size;
    return n;
  }
}
