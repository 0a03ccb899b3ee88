/**
 * A StoreBacking over plain Maps, the model the SQLite backing is checked against (until core's
 * MemoryBacking lands, this follows backing.ts's contract the same way: live values returned,
 * ids ascending in UTF-16 code-unit order). `snapshot`/`restore` let a test undo a write that
 * threw, as the node's rollback does.
 */
import type { CausalContext, LoggedDelta, StoreBacking, VersionVector } from "../../../core/index.ts";

const compareStrings = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

type Obj = { state: unknown; vv: VersionVector };

export class MapBacking implements StoreBacking {
  objects = new Map<string, Map<string, Obj>>();
  known = new Map<string, CausalContext>();
  log = new Map<string, LoggedDelta>();

  object(c: string, id: string): unknown {
    return this.objects.get(c)?.get(id)?.state;
  }
  vv(c: string, id: string): VersionVector | undefined {
    return this.objects.get(c)?.get(id)?.vv;
  }
  put(c: string, id: string, state: unknown, vv: VersionVector): void {
    let m = this.objects.get(c);
    if (!m) this.objects.set(c, (m = new Map()));
    m.set(id, { state, vv });
  }
  ids(c: string): Iterable<string> {
    return [...(this.objects.get(c)?.keys() ?? [])].sort(compareStrings);
  }
  count(c: string): number {
    return this.objects.get(c)?.size ?? 0;
  }
  touchedAbove(c: string, origin: string, above: number): Iterable<string> {
    const out: string[] = [];
    for (const [id, o] of this.objects.get(c) ?? []) if (o.vv.get(origin) > above) out.push(id);
    return out.sort(compareStrings);
  }
  knowledge(c: string): CausalContext | undefined {
    return this.known.get(c);
  }
  putKnowledge(c: string, cc: CausalContext): void {
    this.known.set(c, cc);
  }
  logPut(c: string, origin: string, seq: number, entry: LoggedDelta): void {
    this.log.set(JSON.stringify([c, origin, seq]), entry);
  }
  logGet(c: string, origin: string, seq: number): LoggedDelta | undefined {
    return this.log.get(JSON.stringify([c, origin, seq]));
  }
  logCompact(floor: (c: string, origin: string) => number): number {
    let n = 0;
    // Deleting the visited key while iterating a Map is safe.
    for (const key of this.log.keys()) {
      const [c, origin, seq] = JSON.parse(key) as [string, string, number];
      if (seq <= floor(c, origin)) {
        this.log.delete(key);
        n++;
      }
    }
    return n;
  }
  logSize(): number {
    return this.log.size;
  }

  /** A deep copy of everything, taken with the objects' own clone (states are Maps and Sets). */
  snapshot(clone: (c: string, s: unknown) => unknown): MapBacking {
    const copy = new MapBacking();
    for (const [c, m] of this.objects) copy.objects.set(c, new Map([...m].map(([id, o]) => [id, { state: clone(c, o.state), vv: o.vv.clone() }])));
    for (const [c, cc] of this.known) copy.known.set(c, cc.clone());
    copy.log = new Map(this.log);
    return copy;
  }
}
