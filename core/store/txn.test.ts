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
        // Anti-entropy from each writer, the answers cut into chunks of `per` objects; the digest
        // sent with B's pending dots (held), which the answer leaves out, as a node's is.
        for (const w of writers) {
          for (const chunk of chunks(w.missing(b.digest(), b.pending()), per)) {
            b.applySync(b.codecs.sync.decode(b.codecs.sync.encode(chunk)));
            check("after a sync chunk");
          }
        }
        // A second round finds everything (what the first left for the next digest).
        for (const w of writers) for (const chunk of chunks(w.missing(b.digest(), b.pending()), per)) b.applySync(chunk);
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

  it("catching up big transactions: the digest's pending dots are not sent again, and every read is atomic", () => {
    // 20 keys written by 3 transactions on A; B catches up through one-object chunks, a digest between each.
    const a = new StoreReplica("A", store, () => 1);
    const ids = Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    for (let n = 1; n <= 3; n++) a.transact(ids.map((id) => set("kv", id, n)));
    const b = new StoreReplica("B", store);
    const first = chunks(a.missing(b.digest(), b.pending()), 1);
    expect(first).toHaveLength(20);
    for (const chunk of first.slice(0, 12)) b.applySync(chunk);
    expect(b.preparedCount).toBe(12);
    expect(ids.every((id) => shown(b, "kv", id) === 0)).toBe(true);
    // B's held dots are reported pending (3 transactions × 12 objects), none of them in its digest.
    const pending = b.pending().get("kv")!;
    expect(b.digest().get("kv")).toBeUndefined();
    for (const seq of [1, 12, 21, 32, 41, 52]) expect(pending.has(["A", seq])).toBe(true);
    for (const seq of [13, 20, 33, 60]) expect(pending.has(["A", seq])).toBe(false);
    // Asked without them, the answer repeats the 12 held objects; with them, only the 8 B lacks.
    expect(a.missing(b.digest()).parts[0]!.objects).toHaveLength(20);
    const rest = a.missing(b.digest(), b.pending());
    expect(rest.parts[0]!.objects.map((o) => o.id)).toEqual(ids.slice(12));
    for (const chunk of chunks(rest, 1)) {
      b.applySync(chunk);
      const shownNow = ids.map((id) => shown(b, "kv", id));
      expect(new Set(shownNow).size, `a fractured read: ${shownNow.join(",")}`).toBe(1);
    }
    expect(b.preparedCount).toBe(0);
    expect(ids.map((id) => shown(b, "kv", id))).toEqual(ids.map(() => 3));
    // The last chunk's knowledge was not raised for A while objects were held: a final round brings it.
    for (const chunk of chunks(a.missing(b.digest(), b.pending()), 1)) b.applySync(chunk);
    expect(b.digest().get("kv")!.vv.toJSON()).toEqual({ A: 60 });
    expect(b.pending().size).toBe(0);
  });

  it("a sync answer lists each transaction once per part (a table the objects name by index)", () => {
    const a = new StoreReplica("A", store, () => 1);
    const ids = Array.from({ length: 100 }, (_, i) => `k${String(i).padStart(3, "0")}`);
    for (let n = 1; n <= 2; n++) a.transact(ids.map((id) => set("kv", id, n)));
    const answer = a.missing(new Map());
    const bytes = a.codecs.sync.encode(answer);
    // 2 transactions of 100 members, once: a few KB. Repeated per object it was 200 × 100 members (~300 KB).
    expect(bytes.length).toBeLessThan(20_000);
    const back = a.codecs.sync.decode(bytes);
    const objects = back.parts[0]!.objects;
    expect(objects.every((o) => o.txns!.length === 2 && o.txns![0] === objects[0]!.txns![0] && o.txns![1] === objects[0]!.txns![1])).toBe(true);
    expect(back.parts[0]!.objects[5]!.txns).toEqual(answer.parts[0]!.objects[5]!.txns);
    // An object naming a transaction that does not update it is refused.
    const wrong = {
      parts: [{ ...answer.parts[0]!, objects: [{ ...answer.parts[0]!.objects[0]!, txns: [{ origin: "A", members: [{ collection: "kv", id: "zzz", seq: 999 }] }] }] }],
    };
    expect(() => a.codecs.sync.decode(a.codecs.sync.encode(wrong))).toThrow(/does not update it/);
  });
});
