/**
 * Transactions on the store replica: the metadata's encodings (a plain message's bytes do not
 * change), and the property that replicas receiving the same transactions in any order, split
 * any way between live deltas and sync answers cut anywhere, converge and never expose part of
 * one (read atomicity: no object shows a transaction's write while another object it wrote
 * shows something older).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { DecodeError } from "../errors.ts";
import { resolveBuiltin } from "../registry.ts";
import type { DeltaMessage, SyncMessage } from "./messages.ts";
import { StoreReplica } from "./replica.ts";
import type { StoreCrdt } from "./store-crdt.ts";

const store = resolveBuiltin({
  type: "store",
  collections: { kv: { type: "record", fields: { v: "lww-register" } }, other: { type: "record", fields: { v: "lww-register" } } },
}) as unknown as StoreCrdt;
const OBJECTS = [
  ["kv", "x"],
  ["kv", "y"],
  ["kv", "z"],
  ["other", "w"],
] as const;

const set = (c: string, id: string, n: number) => ({ op: "set", args: [c, id, "v", n] });
/** The same update without its transaction's metadata. */
const plainOf = (d: DeltaMessage): DeltaMessage => ({ collection: d.collection, id: d.id, origin: d.origin, seq: d.seq, delta: d.delta });

/** What a replica shows of an object's `v` (0 when absent). */
function shown(r: StoreReplica, c: string, id: string): number {
  const v = r.object(c, id) as { v?: number } | undefined;
  return v?.v ?? 0;
}

/** A sync answer cut into chunks of `per` objects, as a node sends it (node/peer/sync-chunks.ts). */
function chunks(msg: SyncMessage, per: number): SyncMessage[] {
  const out: SyncMessage[] = [];
  for (const part of msg.parts)
    for (let at = 0; at < Math.max(1, part.objects.length); at += per) {
      const last = at + per >= part.objects.length;
      out.push({ parts: [{ ...part, known: last ? part.known : part.base, objects: part.objects.slice(at, at + per) }] });
    }
  return out;
}

describe("transaction metadata encodings", () => {
  it("leaves a plain delta's and sync object's bytes as they were, and round-trips the metadata", () => {
    const a = new StoreReplica("A", store, () => 1);
    const plain = a.update(set("kv", "x", 1));
    const [d1, d2] = a.transact([set("kv", "x", 2), set("other", "w", 2)]);
    const plainBytes = a.codecs.delta.encode(plain);
    // A plain delta ends with its object delta and the checksum: no marker, no metadata.
    const again = a.codecs.delta.encode(plainOf(plain));
    expect(Buffer.from(again).equals(Buffer.from(plainBytes))).toBe(true);
    const back = a.codecs.delta.decode(a.codecs.delta.encode(d1!));
    expect(back.txn).toEqual({
      origin: "A",
      members: [
        { collection: "kv", id: "x", seq: 2 },
        { collection: "other", id: "w", seq: 1 },
      ],
    });
    expect(a.codecs.delta.encode(d1!).length).toBeGreaterThan(plainBytes.length);
    expect(d2!.txn).toBe(d1!.txn);
    // A sync answer joins the transaction's metadata to its objects; a plain object's flag stays 0/1.
    const sync = a.missing(new Map());
    const decoded = a.codecs.sync.decode(a.codecs.sync.encode(sync));
    expect(decoded.parts.map((p) => p.objects.map((o) => [o.id, o.full, o.txns?.length ?? 0]))).toEqual([[["x", false, 1]], [["w", false, 1]]]);
    const b = new StoreReplica("B", store);
    const plainSync = b.missing(new Map());
    expect(plainSync.parts).toEqual([]);
  });

  it("refuses a delta whose transaction does not list it, or lists an update twice", () => {
    const a = new StoreReplica("A", store, () => 1);
    const [d] = a.transact([set("kv", "x", 1), set("kv", "y", 1)]);
    const other = { ...d!, txn: { origin: "A", members: [{ collection: "kv", id: "y", seq: 2 }] } };
    expect(() => a.codecs.delta.decode(a.codecs.delta.encode(other))).toThrow(DecodeError);
    const twice = { ...d!, txn: { origin: "A", members: [d!.txn!.members[0]!, d!.txn!.members[0]!] } };
    expect(() => a.codecs.delta.decode(a.codecs.delta.encode(twice))).toThrow(/listed twice/);
    const b = new StoreReplica("B", store);
    expect(() => b.receive(other)).toThrow(/does not list it/);
  });
});

describe("transactions on replicas", () => {
  type Txn = { writer: 0 | 1; objects: number[] };
  const txnArb = fc.record({ writer: fc.constantFrom<0 | 1>(0, 1), objects: fc.uniqueArray(fc.nat(OBJECTS.length - 1), { minLength: 1, maxLength: OBJECTS.length }) });
  const planArb = fc.record({
    txns: fc.array(txnArb, { minLength: 1, maxLength: 12 }),
    plain: fc.array(fc.nat(OBJECTS.length - 1), { maxLength: 4 }),
    order: fc.array(fc.nat(), { maxLength: 60 }),
    live: fc.array(fc.nat(5), { maxLength: 30 }),
    per: fc.integer({ min: 1, max: 3 }),
  });

  it("converge and never expose part of a transaction, whatever the order and split of its updates", () => {
    checkProperty(
      fc.property(planArb, ({ txns, plain, order, live, per }) => {
        let clock = 0;
        const writers = [new StoreReplica("A", store, () => clock), new StoreReplica("C", store, () => clock)];
        const written = new Map<number, number[]>(); // txn number → objects it wrote
        const sent: DeltaMessage[] = [];
        txns.forEach((t: Txn, i) => {
          const n = i + 1;
          clock = n;
          written.set(n, t.objects);
          sent.push(...writers[t.writer]!.transact(t.objects.map((o) => set(OBJECTS[o]![0], OBJECTS[o]![1], n))));
        });
        // Plain updates of a third number range (never part of a transaction) mixed in.
        plain.forEach((o, i) => {
          clock = 1000 + i;
          sent.push(writers[0]!.update(set(OBJECTS[o]![0], OBJECTS[o]![1], 1000 + i)));
        });
        const b = new StoreReplica("B", store);
        const check = (when: string) => {
          for (const [c, id] of OBJECTS) {
            const n = shown(b, c, id);
            if (n === 0 || n >= 1000) continue;
            for (const o of written.get(n)!) {
              const [c2, id2] = OBJECTS[o]!;
              if (shown(b, c2, id2) < n) throw new Error(`${when}: ${c}/${id} shows transaction ${n}, ${c2}/${id2} shows ${shown(b, c2, id2)}`);
            }
          }
        };
        // Live: a permutation of the deltas, some of them lost, delivered in batches (a frame each).
        const shuffled = sent.map((d, i) => [order[i] ?? i, i, d] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
        let at = 0;
        for (const size of live) {
          const batch = shuffled.slice(at, at + size).map((p) => p[2]);
          at += size;
          if (size % 3 === 2) continue; // lost
          b.receiveAll(batch);
          check("after a live batch");
        }
        // Anti-entropy from each writer, the answers cut into chunks of `per` objects.
        for (const w of writers) {
          for (const chunk of chunks(w.missing(b.digest()), per)) {
            b.applySync(b.codecs.sync.decode(b.codecs.sync.encode(chunk)));
            check("after a sync chunk");
          }
        }
        // A second round finds everything (what the first left for the next digest).
        for (const w of writers) for (const chunk of chunks(w.missing(b.digest()), per)) b.applySync(chunk);
        check("at the end");
        const all = new StoreReplica("D", store);
        for (const d of sent) all.receive(plainOf(d));
        expect(b.value()).toEqual(all.value());
        expect(b.preparedCount).toBe(0);
        for (const c of ["kv", "other"]) expect(b.digest().get(c)?.toJSON()).toEqual(all.digest().get(c)?.toJSON());
      }),
      { numRuns: 300 },
    );
  });

  it("holds a transaction's delta until its sibling arrives, and knowledge never claims it", () => {
    const a = new StoreReplica("A", store, () => 5);
    const [dx, dy] = a.transact([set("kv", "x", 5), set("kv", "y", 5)]);
    const b = new StoreReplica("B", store);
    expect(b.receiveAll([dx!])).toEqual([]);
    expect(b.preparedCount).toBe(1);
    expect(b.object("kv", "x")).toBeUndefined();
    expect(b.digest().get("kv")).toBeUndefined();
    expect(b.receiveAll([dx!])).toEqual([]); // a duplicate while held
    expect(b.receiveAll([dy!]).map((d) => d.id)).toEqual(["x", "y"]);
    expect(b.preparedCount).toBe(0);
    expect([shown(b, "kv", "x"), shown(b, "kv", "y")]).toEqual([5, 5]);
    expect(b.digest().get("kv")!.vv.toJSON()).toEqual({ A: 2 });
    // Every sibling of an object's last transaction is in the knowledge (what a reader may check).
    const t = b.txnOf("kv", "x")!;
    expect(t.members.every((m) => b.digest().get(m.collection)!.has([t.origin, m.seq]))).toBe(true);
  });
});
