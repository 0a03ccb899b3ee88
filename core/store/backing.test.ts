import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { at } from "../_test/at.ts";
import { ColdBacking } from "../_test/cold-backing.ts";
import { checkProperty } from "../_test/prop.ts";
import { VersionVector } from "../clock/version-vector.ts";
import { resolveBuiltin } from "../registry.ts";
import type { StoreBacking } from "./backing.ts";
import { MemoryBacking } from "./memory-backing.ts";
import type { DeltaMessage } from "./messages.ts";
import { StoreError, StoreReplica } from "./replica.ts";
import type { StoreCrdt } from "./store-crdt.ts";

const crm = resolveBuiltin({
  type: "store",
  collections: {
    customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } },
    tags: "or-set",
    hits: "g-counter",
  },
}) as unknown as StoreCrdt;
const IDS = ["A", "B", "C", "D"];
const NODES = ["n0", "n1", "n2"];
const node = fc.nat(NODES.length - 1);

const opArb = fc
  .oneof(
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("phone"), fc.constantFrom("1", "2", "3")) }),
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("email"), fc.constantFrom("x", "y")) }),
    fc.record({ op: fc.constant("inc"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("views"), fc.integer({ min: 1, max: 3 })) }),
    // A remove of an absent tag changes nothing: it takes a seq but creates no object.
    fc.record({ op: fc.constantFrom("add", "remove"), args: fc.tuple(fc.constant("tags"), fc.constantFrom(...IDS), fc.constantFrom("vip", "new")) }),
    fc.record({ op: fc.constant("inc"), args: fc.tuple(fc.constant("hits"), fc.constantFrom(...IDS), fc.integer({ min: 1, max: 2 })) }),
    // Bad input: an unknown field, an unknown collection (each an error that must change nothing).
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("fax"), fc.constant("0")) }),
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("orders"), fc.constantFrom(...IDS), fc.constant("x"), fc.constant("0")) }),
  )
  .map((o) => ({ op: o.op, args: [...o.args] as unknown[] }));

type Step =
  | { kind: "op"; at: number; op: { op: string; args: unknown[] } }
  | { kind: "deliver"; msg: number; to: number; bytes: boolean }
  | { kind: "sync"; from: number; to: number; bytes: boolean }
  | { kind: "compact"; at: number; upTo: number | null }
  | { kind: "restore"; at: number }
  | { kind: "reopen"; at: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("op" as const), at: node, op: opArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), msg: fc.nat(), to: node, bytes: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: node, to: node, bytes: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), at: node, upTo: fc.option(node) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restore" as const), at: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reopen" as const), at: node }) },
);

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Plays a history on three replicas over fresh backings and returns a transcript of everything
 * observable: every message's bytes, every return value or error, and at the end each replica's
 * value, digest, snapshot, log size, read helpers and its answer to every peer's digest.
 */
function transcript(steps: Step[], backing: () => StoreBacking): string[] {
  const open = (i: number, b: StoreBacking) => new StoreReplica(at(NODES, i), crm, () => i, b);
  const replicas = NODES.map((_, i) => open(i, backing()));
  const sent: DeltaMessage[] = [];
  const out: string[] = [];
  const attempt = (f: () => string) => {
    try {
      out.push(f());
    } catch (e) {
      out.push(`error ${(e as Error).name}: ${(e as Error).message}`);
    }
  };
  for (const s of steps) {
    if (s.kind === "op")
      attempt(() => {
        const r = at(replicas, s.at);
        const msg = r.update(s.op);
        sent.push(msg);
        return hex(r.codecs.delta.encode(msg));
      });
    else if (s.kind === "deliver") {
      if (sent.length === 0) continue;
      const r = at(replicas, s.to);
      const msg = at(sent, s.msg % sent.length);
      out.push(String(s.bytes ? r.receiveBytes(r.codecs.delta.encode(msg)) : r.receive(msg)));
    } else if (s.kind === "sync") {
      if (s.from === s.to) continue;
      const [from, to] = [at(replicas, s.from), at(replicas, s.to)];
      const answer = s.bytes ? from.codecs.sync.encode(from.missing(from.codecs.digest.decode(to.codecs.digest.encode(to.digest())))) : null;
      const msg = answer === null ? from.missing(to.digest()) : null;
      out.push(answer === null ? `${hex(from.codecs.sync.encode(msg!))} ${to.applySync(msg!)}` : `${hex(answer)} ${to.applySyncBytes(answer)}`);
    } else if (s.kind === "compact") {
      const r = at(replicas, s.at);
      out.push(String(r.compactLog(s.upTo === null ? undefined : at(replicas, s.upTo).digest())));
    } else if (s.kind === "restore") {
      const bytes = at(replicas, s.at).snapshot();
      replicas[s.at] = StoreReplica.restore(crm, bytes, () => s.at, backing());
      out.push(hex(bytes));
    } else {
      // A new replica over the same backing: it must carry on exactly where the old one was.
      replicas[s.at] = open(s.at, at(replicas, s.at).backing);
      out.push("reopened");
    }
  }
  for (const r of replicas) {
    out.push(JSON.stringify(r.value()), hex(r.codecs.digest.encode(r.digest())), hex(r.snapshot()), `log ${r.logSize()}`);
    for (const c of crm.collections) out.push(JSON.stringify([r.ids(c), r.count(c), r.valueOf(c), IDS.map((id) => r.object(c, id) ?? null)]));
    for (const peer of replicas) if (peer !== r) out.push(hex(r.codecs.sync.encode(r.missing(peer.digest()))));
  }
  return out;
}

describe("StoreReplica over a backing", () => {
  it("over a cold backing (bytes only, decoded on every read) it is byte-for-byte the replica over MemoryBacking", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 50 }), (steps) => {
        const colds: ColdBacking[] = [];
        const cold = transcript(steps, () => {
          const b = new ColdBacking(crm);
          colds.push(b);
          return b;
        });
        expect(cold).toEqual(transcript(steps, () => new MemoryBacking()));
        // The cold run did go through its backings (a replica that kept its own copy would not).
        if (steps.some((s) => s.kind === "op" && !String(s.op.args[2]).match(/fax/) && s.op.args[0] !== "orders")) expect(colds.some((b) => b.writes > 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("a replica opened over another's backing answers exactly as that one (nothing is kept outside it)", () => {
    checkProperty(
      fc.property(fc.array(opArb, { maxLength: 20 }), (ops) => {
        const b = new ColdBacking(crm);
        const first = new StoreReplica("r", crm, () => 1, b);
        const peer = new StoreReplica("p", crm, () => 2);
        for (const op of ops)
          try {
            peer.receive(first.update(op));
          } catch {
            // Bad ops are part of the history: they must leave the backing as it was.
          }
        first.compactLog(peer.digest());
        const second = new StoreReplica("r", crm, () => 1, b);
        expect(hex(second.snapshot())).toBe(hex(first.snapshot()));
        expect(hex(second.codecs.digest.encode(second.digest()))).toBe(hex(first.codecs.digest.encode(first.digest())));
        expect(second.logSize()).toBe(first.logSize());
        const empty = new StoreReplica("q", crm);
        expect(hex(second.codecs.sync.encode(second.missing(empty.digest())))).toBe(hex(first.codecs.sync.encode(first.missing(empty.digest()))));
      }),
      { numRuns: 100 },
    );
  });
});

describe("MemoryBacking", () => {
  const ORIGINS = ["o1", "o2", "o3"];
  type Put = { c: string; id: string; vv: Record<string, number>; inPlace: boolean };
  const putArb: fc.Arbitrary<Put> = fc.record({
    c: fc.constantFrom("x", "y"),
    id: fc.constantFrom("a", "b", "c", "d", "e"),
    vv: fc.dictionary(fc.constantFrom(...ORIGINS), fc.nat(6), { maxKeys: 3 }),
    inPlace: fc.boolean(),
  });

  it("touchedAbove is the scan of every object's vector (ascending), whatever vectors put was given", () => {
    checkProperty(
      fc.property(fc.array(putArb, { maxLength: 30 }), (puts) => {
        const m = new MemoryBacking();
        for (const p of puts) {
          const live = m.vv(p.c, p.id);
          // In place: the replica's way (mutate the live vector, then put it back), here also lowering entries.
          const vv = p.inPlace && live ? live : new VersionVector();
          for (const o of ORIGINS) vv.set(o, p.vv[o] ?? 0);
          m.put(p.c, p.id, `state of ${p.id}`, vv);
        }
        for (const c of ["x", "y", "z"]) {
          const ids = m.ids(c);
          expect(ids).toEqual([...new Set(puts.filter((p) => p.c === c).map((p) => p.id))].sort());
          expect(m.count(c)).toBe(ids.length);
          for (const o of [...ORIGINS, "o4"])
            for (let above = 0; above <= 7; above++) expect([...m.touchedAbove(c, o, above)]).toEqual(ids.filter((id) => m.vv(c, id)!.get(o) > above));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("counts its log across puts, overwrites and compactions", () => {
    const m = new MemoryBacking();
    m.logPut("x", "o1", 1, { id: "a", delta: 1 });
    m.logPut("x", "o1", 2, { id: "a", delta: 2 });
    m.logPut("x", "o1", 2, { id: "b", delta: 3 });
    m.logPut("y", "o2", 5, { id: "a", delta: 4 });
    expect(m.logSize()).toBe(3);
    expect(m.logGet("x", "o1", 2)).toEqual({ id: "b", delta: 3 });
    expect(m.logCompact((c, o) => (c === "x" && o === "o1" ? 1 : 0))).toBe(1);
    expect(m.logSize()).toBe(2);
    expect(m.logGet("x", "o1", 1)).toBeUndefined();
    expect(m.logCompact(() => Number.MAX_SAFE_INTEGER)).toBe(2);
    expect(m.logSize()).toBe(0);
  });
});

describe("StoreReplica: reading one collection or object", () => {
  it("object, ids, count and valueOf agree with value()", () => {
    checkProperty(
      fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
        const r = new StoreReplica("r", crm);
        for (const op of ops)
          try {
            r.update(op);
          } catch {
            // bad ops of the alphabet: nothing to read from them
          }
        const value = r.value();
        for (const c of crm.collections) {
          expect(r.valueOf(c)).toEqual(value[c]);
          expect(r.ids(c)).toEqual(Object.keys(value[c]!));
          expect(r.count(c)).toBe(Object.keys(value[c]!).length);
          for (const id of IDS) expect(r.object(c, id)).toEqual(value[c]![id]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("an unknown collection or a bad id is a StoreError naming the collections", () => {
    const r = new StoreReplica("r", crm);
    for (const read of [() => r.object("orders", "A"), () => r.ids("orders"), () => r.count("orders"), () => r.valueOf("orders")])
      expect(read).toThrow(new StoreError(`unknown collection "orders" (the store's collections: customers, hits, tags)`));
    expect(() => r.object("customers", "")).toThrow(StoreError);
    expect(r.object("customers", "A")).toBeUndefined();
    expect(r.valueOf("tags")).toEqual({});
  });

  it("an update that changes nothing takes a seq but creates no object (nor a vector of one)", () => {
    const r = new StoreReplica("r", crm);
    const msg = r.update({ op: "remove", args: ["tags", "A", "vip"] });
    expect(msg.seq).toBe(1);
    expect([r.count("tags"), r.object("tags", "A"), r.backing.vv("tags", "A")]).toEqual([0, undefined, undefined]);
    // The logged no-op still answers a peer that lacks it (an empty delta, an empty vector).
    const answer = r.missing(new Map());
    expect(answer.parts.map((p) => p.objects.map((o) => [o.id, o.full, o.vv.size]))).toEqual([[["A", false, 0]]]);
    r.update({ op: "add", args: ["tags", "A", "vip"] });
    expect(r.backing.vv("tags", "A")?.toJSON()).toEqual({ r: 2 });
  });
});
