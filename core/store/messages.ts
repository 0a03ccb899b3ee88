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
 * - TxnMeta: a transaction's metadata (RAMP-Fast's per-item metadata): its origin and every
 *   update it made (collection, object, seq). A DeltaMessage made by a transaction carries it,
 *   a SyncObject carries those of the transactions whose updates it joins. Optional, and
 *   appended after what a plain message has, so a plain message's bytes are what they were
 *   before transactions existed: a delta's after its object delta (a marker byte 1), a sync
 *   object's behind bit 1 of its full/delta flag — there as indexes into its part's table of
 *   transactions, written once after the part's objects (only when one names any).
 */
import type { CausalContext } from "../clock/causal-context.ts";
import { readCausalContext, readVersionVector, writeCausalContext, writeVersionVector } from "../clock/codec.ts";
import type { VersionVector } from "../clock/version-vector.ts";
import type { Codec } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import type { Reader } from "../encoding/reader.ts";
import { Writer } from "../encoding/writer.ts";
import { compareStrings } from "../util/json.ts";
import type { StoreCrdt } from "./store-crdt.ts";

/** One update of a transaction: its object and its dot's seq (the origin is the transaction's). */
export type TxnMember = { collection: string; id: string; seq: number };
/**
 * A transaction's metadata: its origin and its updates, in the order they were made (the first
 * one's dot names the transaction). Every update of a transaction is a dot of its origin, so a
 * replica can tell when it holds all of them (StoreReplica applies them together, never part).
 */
export type TxnMeta = { origin: string; members: TxnMember[] };
export type DeltaMessage = { collection: string; id: string; origin: string; seq: number; delta: unknown; txn?: TxnMeta };

/** A transaction's id: its origin and first update's dot, as a string key. */
export function txnKey(t: TxnMeta): string {
  const m = t.members[0]!;
  return `${t.origin}\u0000${m.collection}\u0000${m.seq}`;
}

/** Whether two transactions' metadata are the same (origin and members, in order). */
export function sameTxn(a: TxnMeta, b: TxnMeta): boolean {
  if (a === b) return true;
  if (a.origin !== b.origin || a.members.length !== b.members.length) return false;
  for (let i = 0; i < a.members.length; i++) {
    const x = a.members[i]!;
    const y = b.members[i]!;
    if (x.collection !== y.collection || x.id !== y.id || x.seq !== y.seq) return false;
  }
  return true;
}

/** Transactions larger than this are refused (a transaction's metadata travels with each of its updates: O(k²)). */
export const MAX_TXN_UPDATES = 4096;
/** Per collection: the dots applied, as a version vector plus the few seen out of order. */
export type StoreDigest = Map<string, CausalContext>;
export type SyncObject = {
  id: string;
  /** True: `state` is the whole object; false: the join of the deltas the peer lacks. */
  full: boolean;
  /** The sender's object version vector: per origin, the highest seq that touched the object. */
  vv: VersionVector;
  state: unknown;
  /** The transactions whose updates `state` holds (a joined delta: those of its logged updates; a whole object: the last one that wrote it); absent when none. */
  txns?: TxnMeta[];
};
export type SyncPart = { collection: string; base: CausalContext; known: CausalContext; objects: SyncObject[] };
export type SyncMessage = { parts: SyncPart[] };

/** `txn`: a transaction's metadata on its own (what a node keeps beside an object and a logged update). */
export type StoreCodecs = { delta: Codec<DeltaMessage>; digest: Codec<StoreDigest>; sync: Codec<SyncMessage>; txn: Codec<TxnMeta> };

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
  // A transaction's metadata is written once per update it made (each delta, log entry and
  // object row): k updates, k members each. Encoded once per metadata object and copied after
  // (metadata is never changed once made: transact, seal and the decoders each build a new one).
  const txnBytes = new WeakMap<TxnMeta, Uint8Array>();
  const writeTxn = (w: Writer, t: TxnMeta) => {
    let bytes = txnBytes.get(t);
    if (!bytes) {
      const own = new Writer(true).string(t.origin).uint(t.members.length);
      for (const m of t.members) {
        writeIndexed(own, m.collection);
        own.string(m.id).uint(m.seq);
      }
      txnBytes.set(t, (bytes = own.finish()));
    }
    w.raw(bytes);
  };
  const readTxn = (r: Reader): TxnMeta => {
    const origin = r.string();
    if (origin === "") r.fail("transaction: empty origin");
    const n = r.count(3);
    if (n === 0 || n > MAX_TXN_UPDATES) r.fail(`transaction of ${n} updates (1 to ${MAX_TXN_UPDATES})`);
    const members: TxnMember[] = [];
    const dots = new Set<string>();
    for (let i = 0; i < n; i++) {
      const collection = readCollection(r);
      const id = readId(r, collection);
      const seq = r.uint();
      if (seq === 0) r.fail("transaction: seq 0 (seqs count from 1)");
      const key = `${collection}\u0000${seq}`;
      if (dots.has(key)) r.fail(`transaction: update (${collection}, ${seq}) listed twice`);
      dots.add(key);
      members.push({ collection, id, seq });
    }
    return { origin, members };
  };

  const delta = framedCodec<DeltaMessage>(
    "store-delta",
    (w, m) => {
      writeIndexed(w, m.collection);
      w.string(m.id).string(m.origin).uint(m.seq);
      store.writeObject(w, m.collection, m.delta);
      // A plain update ends here: its bytes are those of every release before transactions.
      if (m.txn) writeTxn(w.byte(1), m.txn);
    },
    (r) => {
      const collection = readCollection(r);
      const id = readId(r, collection);
      const origin = r.string();
      const seq = r.uint();
      if (seq === 0) r.fail("seq 0 (seqs count from 1)");
      const d = store.readObject(r, collection, `${collection}["${id}"] delta`);
      if (r.remaining === 0) return { collection, id, origin, seq, delta: d };
      const marker = r.byte();
      if (marker !== 1) r.fail(`bad transaction marker ${marker}`);
      const txn = readTxn(r);
      if (txn.origin !== origin) r.fail(`transaction of origin "${txn.origin}" on an update of origin "${origin}"`);
      if (!txn.members.some((m) => m.collection === collection && m.id === id && m.seq === seq)) r.fail(`transaction does not list its update (${collection}, "${id}", ${seq})`);
      return { collection, id, origin, seq, delta: d, txn };
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
        // A transaction's metadata goes once per part, in a table after its objects; each object
        // names its transactions by index. Repeated per object, a transaction of k updates sent
        // as k objects cost k² members.
        const table: TxnMeta[] = [];
        const at = new Map<string, number[]>();
        const refOf = (t: TxnMeta): number => {
          const key = txnKey(t);
          const same = at.get(key)?.find((i) => sameTxn(table[i]!, t));
          if (same !== undefined) return same;
          table.push(t);
          const list = at.get(key);
          if (list) list.push(table.length - 1);
          else at.set(key, [table.length - 1]);
          return table.length - 1;
        };
        for (const o of p.objects) {
          const txns = o.txns?.length ? o.txns : undefined;
          w.string(o.id).byte((o.full ? 1 : 0) | (txns ? 2 : 0));
          writeVersionVector(w, o.vv);
          store.writeObject(w, p.collection, o.state);
          if (txns) {
            w.uint(txns.length);
            for (const t of txns) w.uint(refOf(t));
          }
        }
        // A part without transactions ends with its objects: its bytes are those before transactions.
        if (table.length > 0) {
          w.uint(table.length);
          for (const t of table) writeTxn(w, t);
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
        /** Per object listing transactions, the table indexes it names (resolved once the part's table is read). */
        const refs: [SyncObject, number[]][] = [];
        let last: string | undefined;
        for (let j = 0; j < count; j++) {
          const id = readId(r, collection);
          if (last !== undefined && compareStrings(last, id) >= 0) r.fail(`collection "${collection}": ids not strictly ascending ("${last}" then "${id}")`);
          last = id;
          const flag = r.byte();
          if (flag > 3) r.fail(`${collection}["${id}"]: bad full/delta flag ${flag}`);
          const vv = readVersionVector(r);
          const state = store.readObject(r, collection, `${collection}["${id}"]`);
          const o: SyncObject = { id, full: (flag & 1) === 1, vv, state };
          objects.push(o);
          if ((flag & 2) === 0) continue;
          const k = r.count(1);
          if (k === 0) r.fail(`${collection}["${id}"]: an empty transaction list (left out when empty)`);
          const list: number[] = [];
          for (let t = 0; t < k; t++) {
            const i = r.uint();
            if (list.includes(i)) r.fail(`${collection}["${id}"]: transaction ${i} named twice`);
            list.push(i);
          }
          refs.push([o, list]);
        }
        if (refs.length > 0) {
          const n = r.count(4);
          if (n === 0) r.fail(`collection "${collection}": objects name transactions, the part lists none`);
          const table: TxnMeta[] = [];
          for (let t = 0; t < n; t++) table.push(readTxn(r));
          const named = new Set<number>();
          for (const [o, list] of refs) {
            o.txns = list.map((i) => {
              const txn = table[i] ?? r.fail(`${collection}["${o.id}"]: transaction ${i} of a table of ${table.length}`);
              if (!txn.members.some((m) => m.collection === collection && m.id === o.id)) r.fail(`${collection}["${o.id}"]: a transaction that does not update it`);
              named.add(i);
              return txn;
            });
          }
          if (named.size < table.length) r.fail(`collection "${collection}": a transaction no object names (left out)`);
        }
        parts.push({ collection, base, known, objects });
      }
      return { parts };
    },
  );

  const txn = framedCodec<TxnMeta>("store-txn", writeTxn, readTxn);

  return { delta, digest, sync, txn };
}

/** A digest's vectors as plain JSON (collection → replica → count), for traces and tests. */
export function digestJson(d: StoreDigest): Record<string, Record<string, number>> {
  return Object.fromEntries([...d].sort(([a], [b]) => compareStrings(a, b)).map(([c, cc]) => [c, cc.vv.toJSON()]));
}
