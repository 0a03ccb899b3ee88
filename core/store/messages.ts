/**
 * The store's messages and their compact encodings (collections by schema index, objects by
 * their type's own codec). Every decoder validates everything — collection indexes, ids, seqs,
 * vectors, nested object states in canonical form — and throws a DecodeError naming what was
 * wrong; a StoreReplica applies only what decoded whole, so malformed bytes change nothing.
 *
 * - DeltaMessage: one update ("set customer A's phone to X"): collection, id, the dot
 *   (origin, per-collection seq) and the object's delta.
 * - StoreDigest: per collection, the updates applied: a version vector (plus, rarely, the dots
 *   applied out of order beyond a gap, so that a digest never under-states what is there).
 * - SyncMessage: the answer to a digest, per collection: the digest it answers (`base`), what
 *   the sender knew (`known`), and per object either the join of the deltas the peer lacks or,
 *   where the sender's delta log no longer has them, the object's full state.
 */
import type { CausalContext } from "../clock/causal-context.ts";
import { readCausalContext, readVersionVector, writeCausalContext, writeVersionVector } from "../clock/codec.ts";
import type { VersionVector } from "../clock/version-vector.ts";
import type { Codec } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Reader } from "../encoding/reader.ts";
import type { Writer } from "../encoding/writer.ts";
import { compareStrings } from "../util/json.ts";
import type { StoreCrdt } from "./store-crdt.ts";

export type DeltaMessage = { collection: string; id: string; origin: string; seq: number; delta: unknown };
/** Per collection: the dots applied, as a version vector plus the few seen out of order. */
export type StoreDigest = Map<string, CausalContext>;
export type SyncObject = {
  id: string;
  /** True: `state` is the whole object; false: the join of the deltas the peer lacks. */
  full: boolean;
  /** The sender's object version vector: per origin, the highest seq that touched the object. */
  vv: VersionVector;
  state: unknown;
};
export type SyncPart = { collection: string; base: CausalContext; known: CausalContext; objects: SyncObject[] };
export type SyncMessage = { parts: SyncPart[] };

export type StoreCodecs = { delta: Codec<DeltaMessage>; digest: Codec<StoreDigest>; sync: Codec<SyncMessage> };

export function storeCodecs(store: StoreCrdt): StoreCodecs {
  const names = store.collections;
  const index = new Map(names.map((c, i) => [c, i]));
  const readCollection = (r: Reader): string => {
    const at = r.uint();
    return names[at] ?? r.fail(`collection index ${at} out of range (the store has ${names.length} collections: ${names.join(", ")})`);
  };
  const readId = (r: Reader, c: string): string => {
    const id = r.string();
    if (id === "") r.fail(`collection "${c}": empty object id`);
    return id;
  };
  const writeIndexed = (w: Writer, c: string) => w.uint(index.get(c)!);

  const delta = framedCodec<DeltaMessage>(
    "store-delta",
    (w, m) => {
      writeIndexed(w, m.collection);
      w.string(m.id).string(m.origin).uint(m.seq);
      store.writeObject(w, m.collection, m.delta);
    },
    (r) => {
      const collection = readCollection(r);
      const id = readId(r, collection);
      const origin = r.string();
      const seq = r.uint();
      if (seq === 0) r.fail("seq 0 (seqs count from 1)");
      const d = store.readObject(r, collection, `${collection}["${id}"] delta`);
      return { collection, id, origin, seq, delta: d };
    },
  );

  const digest = framedCodec<StoreDigest>(
    "store-digest",
    (w, d) => {
      const present = names.filter((c) => d.has(c) && !d.get(c)!.isEmpty());
      w.uint(present.length);
      for (const c of present) {
        writeIndexed(w, c);
        writeCausalContext(w, d.get(c)!);
      }
    },
    (r) => {
      const n = r.count(2);
      const out: StoreDigest = new Map();
      let prev = -1;
      for (let i = 0; i < n; i++) {
        const c = readCollection(r);
        if (index.get(c)! <= prev) r.fail(`digest collections not strictly ascending`);
        prev = index.get(c)!;
        const cc = readCausalContext(r);
        if (cc.isEmpty()) r.fail(`collection "${c}": empty digest (empty ones are left out)`);
        out.set(c, cc);
      }
      return out;
    },
  );

  const sync = framedCodec<SyncMessage>(
    "store-sync",
    (w, m) => {
      w.uint(m.parts.length);
      for (const p of m.parts) {
        writeIndexed(w, p.collection);
        writeCausalContext(w, p.base);
        writeCausalContext(w, p.known);
        w.uint(p.objects.length);
        for (const o of p.objects) {
          w.string(o.id).byte(o.full ? 1 : 0);
          writeVersionVector(w, o.vv);
          store.writeObject(w, p.collection, o.state);
        }
      }
    },
    (r) => {
      const n = r.count(4);
      const parts: SyncPart[] = [];
      let prev = -1;
      for (let i = 0; i < n; i++) {
        const collection = readCollection(r);
        if (index.get(collection)! <= prev) r.fail("sync parts not in strictly ascending collection order");
        prev = index.get(collection)!;
        const base = readCausalContext(r);
        const known = readCausalContext(r);
        const count = r.count(4);
        const objects: SyncObject[] = [];
        let last: string | undefined;
        for (let j = 0; j < count; j++) {
          const id = readId(r, collection);
          if (last !== undefined && compareStrings(last, id) >= 0) r.fail(`collection "${collection}": ids not strictly ascending ("${last}" then "${id}")`);
          last = id;
          const flag = r.byte();
          if (flag > 1) r.fail(`${collection}["${id}"]: bad full/delta flag ${flag}`);
          const vv = readVersionVector(r);
          const state = store.readObject(r, collection, `${collection}["${id}"]`);
          objects.push({ id, full: flag === 1, vv, state });
        }
        parts.push({ collection, base, known, objects });
      }
      return { parts };
    },
  );

  return { delta, digest, sync };
}

/** A digest's vectors as plain JSON (collection → replica → count), for traces and tests. */
export function digestJson(d: StoreDigest): Record<string, Record<string, number>> {
  return Object.fromEntries([...d].sort(([a], [b]) => compareStrings(a, b)).map(([c, cc]) => [c, cc.vv.toJSON()]));
}
