/**
 * The frame codec: every frame type round-trips, and every malformed input — random bytes, a
 * flipped bit anywhere, a cut anywhere, another protocol version — is a DecodeError (never a
 * different frame, never another exception). Randomized: a failure prints its seed and the
 * command that replays it (core/_test/prop.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { DecodeError, resolveBuiltin, StoreReplica, type StoreCrdt } from "../../core/index.ts";
import { type Frame, frameCodec, PROTOCOL_VERSION, ProtocolVersionError } from "./frames.ts";
import { schemaFingerprint } from "./fingerprint.ts";
import { MAX_SQL_CHARS } from "./requests.ts";

const SCHEMA = { collections: { customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } }, views: "g-counter" } };
const store = resolveBuiltin({ type: "store", ...SCHEMA }) as unknown as StoreCrdt;

/** A replica after a few writes, and the frames of every type it could send. */
function sampleFrames(): Frame[] {
  const a = new StoreReplica("a", store, () => 1000);
  const b = new StoreReplica("b", store, () => 2000);
  const deltas = [
    a.update({ op: "set", args: ["customers", "A", "phone", "555-0101"] }),
    a.update({ op: "set", args: ["customers", "A", "email", "alice@example.com"] }),
    b.update({ op: "inc", args: ["views", "home", 3] }),
    b.update({ op: "inc", args: ["customers", "B", "views", 2] }),
  ];
  // A transaction b holds half of: pending dots beside b's digest, and a sync answer with a table of transactions.
  const c = new StoreReplica("c", store, () => 3000);
  const txn = c.transact([
    { op: "set", args: ["customers", "A", "email", "c@example.com"] },
    { op: "set", args: ["customers", "C", "email", "c2@example.com"] },
    { op: "inc", args: ["views", "home", 1] },
  ]);
  b.receive(txn[0]!);
  return [
    { type: "hello", nodeId: "a", schema: schemaFingerprint(SCHEMA), sequences: ["invoice"], digest: a.digest() },
    { type: "deltas", deltas },
    { type: "digest", digest: b.digest(), reply: true },
    { type: "sync", sync: a.missing(b.digest()) },
    { type: "request", rid: 7, body: { type: "update", collection: "customers", id: "A", op: "set", args: ["phone", "555-0199"] } },
    { type: "request", rid: 8, body: { type: "next", name: "invoice", client: "c-1", requestId: 3, done: 3 } },
    { type: "request", rid: 10, body: { type: "sql", text: "UPDATE customers SET phone = $1 WHERE id = $2", params: ["555-0199", "A"] } },
    { type: "response", rid: 10, body: { ok: true, value: { columns: ["id"], rows: [{ id: "A" }] } } },
    { type: "response", rid: 7, body: { ok: true } },
    { type: "response", rid: 9, body: { ok: false, kind: "unavailable", error: "no reachable node serves sequence invoice" } },
    { type: "event", rid: 2, change: { collection: "customers", id: "A", value: { phone: ["555-0101"] } } },
    { type: "refuse", reason: "schema differs" },
    { type: "hello", nodeId: "b", schema: schemaFingerprint(SCHEMA), sequences: [], digest: b.digest(), pending: b.pending() },
    { type: "digest", digest: b.digest(), reply: false, pending: b.pending() },
    { type: "sync", sync: c.missing(b.digest()) },
    { type: "deltas", deltas: [deltas[0]!, ...txn] },
  ];
}

const codec = frameCodec(new StoreReplica("x", store).codecs);
const frames = sampleFrames();
const encoded = frames.map((f) => codec.encode(f));

function rejects(bytes: Uint8Array): boolean {
  try {
    codec.decode(bytes);
    return false;
  } catch (e) {
    if (e instanceof DecodeError) return true;
    throw e;
  }
}

describe("node frames", () => {
  it("every frame type round-trips (re-encoding the decoded frame gives the same bytes)", () => {
    for (const bytes of encoded) expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
    const hello = codec.decode(encoded[0]!);
    expect(hello).toMatchObject({ type: "hello", nodeId: "a", sequences: ["invoice"] });
    expect(hello).not.toHaveProperty("pending");
    // Pending dots travel beside the digest: the held one, not in the digest.
    const held = codec.decode(encoded[12]!) as Extract<Frame, { type: "hello" }>;
    expect(held.pending?.get("customers")?.has(["c", 1])).toBe(true);
    expect(held.digest.get("customers")?.has(["c", 1]) ?? false).toBe(false);
    // The answer with transactions: one table per part, the objects sharing its entries.
    const sync = codec.decode(encoded[14]!) as Extract<Frame, { type: "sync" }>;
    const customers = sync.sync.parts.find((p) => p.collection === "customers")!;
    expect(customers.objects.map((o) => o.id)).toEqual(["A", "C"]);
    expect(customers.objects[0]!.txns![0]).toBe(customers.objects[1]!.txns![0]);
    expect(customers.objects[0]!.txns![0]!.members).toHaveLength(3);
    // A deltas frame likewise: the transaction once, its three deltas naming it; the plain one none.
    const live = codec.decode(encoded[15]!) as Extract<Frame, { type: "deltas" }>;
    expect(live.deltas.map((d) => d.txn?.members.length ?? 0)).toEqual([0, 3, 3, 3]);
    expect(live.deltas[1]!.txn).toBe(live.deltas[3]!.txn);
    const sent = frames[15]!;
    expect(live.deltas.slice(1)).toEqual(sent.type === "deltas" ? sent.deltas.slice(1) : []);
  });

  it("random bytes are refused", () => {
    checkProperty(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => rejects(bytes)));
    // Even with the right magic and version in front.
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.uint8Array({ maxLength: 300 }), (t, rest) => rejects(Uint8Array.from([0x4d, 0x43, PROTOCOL_VERSION, t, ...rest]))),
    );
  });

  it("a flipped bit anywhere in any valid frame is refused", () => {
    checkProperty(
      fc.property(fc.nat({ max: encoded.length - 1 }), fc.nat(), fc.nat({ max: 7 }), (which, at, bit) => {
        const bytes = Uint8Array.from(encoded[which]!);
        bytes[at % bytes.length]! ^= 1 << bit;
        return rejects(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("a valid frame cut anywhere (or with bytes appended) is refused", () => {
    checkProperty(
      fc.property(fc.nat({ max: encoded.length - 1 }), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), (which, at, extra) => {
        const bytes = encoded[which]!;
        return rejects(bytes.subarray(0, at % bytes.length)) && rejects(Uint8Array.from([...bytes, ...extra]));
      }),
      { numRuns: 300 },
    );
  });

  it("a frame of another protocol version is a ProtocolVersionError naming both versions; a refusal is read in any version", () => {
    const other = frameCodec(new StoreReplica("x", store).codecs, PROTOCOL_VERSION + 1);
    const e = (() => {
      try {
        codec.decode(other.encode(frames[0]!));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ProtocolVersionError);
    expect(String((e as Error).message)).toContain(`protocol version ${PROTOCOL_VERSION + 1}, this node speaks version ${PROTOCOL_VERSION}`);
    expect(codec.decode(other.encode({ type: "refuse", reason: "no" }))).toEqual({ type: "refuse", reason: "no" });
    // Version 2 (no pending dots, transactions repeated per object) is refused since version 3.
    expect(PROTOCOL_VERSION).toBe(3);
    const v2 = frameCodec(new StoreReplica("x", store).codecs, 2);
    expect(() => codec.decode(v2.encode(frames[0]!))).toThrow("protocol version 2, this node speaks version 3");
  });

  it("a request that is not a valid client request is refused (zod), naming the field", () => {
    const bad = codec.encode({ type: "request", rid: 1, body: { type: "get", collection: "customers" } as never });
    expect(() => codec.decode(bad)).toThrow(/request: id/);
  });

  it("a sql request needs its text (1 to MAX_SQL_CHARS characters) and a params array, and nothing else", () => {
    const sql = (body: object) => codec.encode({ type: "request", rid: 1, body: { type: "sql", ...body } as never });
    expect(() => codec.decode(sql({ text: "SELECT id FROM customers" }))).toThrow(/request: params/);
    expect(() => codec.decode(sql({ text: "", params: [] }))).toThrow(/request: text/);
    expect(() => codec.decode(sql({ text: "x".repeat(MAX_SQL_CHARS + 1), params: [] }))).toThrow(/request: text/);
    expect(() => codec.decode(sql({ text: 42, params: [] }))).toThrow(/request: text/);
    expect(() => codec.decode(sql({ text: "SELECT 1", params: { 0: 1 } }))).toThrow(/request: params/);
    expect(() => codec.decode(sql({ text: "SELECT 1", params: [], tx: "begin" }))).toThrow(/tx/);
    expect(codec.decode(sql({ text: "SELECT 1", params: [null, [1, "a"]] }))).toEqual({
      type: "request",
      rid: 1,
      body: { type: "sql", text: "SELECT 1", params: [null, [1, "a"]] },
    });
  });

  it("a delta batch with one bad delta is refused whole", () => {
    const deltas = (frames[1] as Extract<Frame, { type: "deltas" }>).deltas;
    const bad = codec.encode({ type: "deltas", deltas: [deltas[0]!, { ...deltas[1]!, origin: "" }] });
    expect(() => codec.decode(bad)).toThrow(/empty origin/);
  });

  it("a deltas frame lists a transaction once: a 100-update transaction's deltas are linear in bytes; a delta its named transaction does not list is refused", () => {
    const w = new StoreReplica("w", store, () => 1);
    const txn = w.transact(Array.from({ length: 100 }, (_, i) => ({ op: "set", args: ["customers", `c${i}`, "email", "x"] })));
    const bytes = codec.encode({ type: "deltas", deltas: txn });
    // 100 deltas of ~30 bytes and the 100 members once: a few KB (repeated per delta: ~100 × 1 KB).
    expect(bytes.length).toBeLessThan(10_000);
    expect((codec.decode(bytes) as Extract<Frame, { type: "deltas" }>).deltas).toEqual(txn);
    const plain = (frames[1] as Extract<Frame, { type: "deltas" }>).deltas[0]!;
    expect(() => codec.decode(codec.encode({ type: "deltas", deltas: [{ ...plain, txn: txn[0]!.txn! }] }))).toThrow(DecodeError);
  });

  it("schema fingerprints ignore key order and see every difference", () => {
    expect(schemaFingerprint({ collections: { b: "g-counter", a: { fields: { x: "lww-register" }, type: "record" } } })).toBe(
      schemaFingerprint({ collections: { a: { type: "record", fields: { x: "lww-register" } }, b: "g-counter" } }),
    );
    expect(schemaFingerprint({ collections: { a: "g-counter" } })).not.toBe(schemaFingerprint({ collections: { a: "pn-counter" } }));
  });
});
