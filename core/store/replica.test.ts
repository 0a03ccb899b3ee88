import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { at } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";
import { DecodeError, OpError } from "../errors.ts";
import { resolveBuiltin } from "../registry.ts";
import type { DeltaMessage } from "./messages.ts";
import { StoreError, StoreReplica } from "./replica.ts";
import type { StoreCrdt } from "./store-crdt.ts";

const crm = resolveBuiltin({
  type: "store",
  collections: {
    customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } },
    tags: "or-set",
  },
}) as unknown as StoreCrdt;
const IDS = ["A", "B", "C", "D"];
const NODES = ["n0", "n1", "n2"];

const hex = (r: StoreReplica) => Buffer.from(crm.codec!.encode(r.state)).toString("hex");
const opArb = fc
  .oneof(
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("phone"), fc.constantFrom("1", "2", "3")) }),
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("email"), fc.constantFrom("x", "y")) }),
    fc.record({ op: fc.constant("inc"), args: fc.tuple(fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("views"), fc.integer({ min: 1, max: 3 })) }),
    fc.record({ op: fc.constantFrom("add", "remove"), args: fc.tuple(fc.constant("tags"), fc.constantFrom(...IDS), fc.constantFrom("vip", "new")) }),
  )
  .map((o) => ({ op: o.op, args: [...o.args] as unknown[] }));

type Step =
  | { kind: "op"; at: number; op: { op: string; args: unknown[] } }
  | { kind: "deliver"; msg: number; to: number }
  | { kind: "sync"; from: number; to: number }
  | { kind: "compact"; at: number };
const node = fc.nat(NODES.length - 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("op" as const), at: node, op: opArb }) },
  // Deliveries pick any message sent so far (loss: never picked; duplication: picked twice; reorder: any order).
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), msg: fc.nat(), to: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: node, to: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), at: node }) },
);

/** Runs a history. A sync "from → to" is one digest round: `to` sends its digest, `from` answers with what `to` lacks. */
function play(steps: Step[]): { replicas: StoreReplica[]; sent: DeltaMessage[] } {
  const replicas = NODES.map((n, i) => new StoreReplica(n, crm, () => i));
  const sent: DeltaMessage[] = [];
  for (const s of steps) {
    if (s.kind === "op") sent.push(at(replicas, s.at).update(s.op));
    else if (s.kind === "deliver") {
      if (sent.length > 0) at(replicas, s.to).receive(at(sent, s.msg % sent.length));
    } else if (s.kind === "sync") {
      if (s.from !== s.to) at(replicas, s.to).applySync(at(replicas, s.from).missing(at(replicas, s.to).digest()));
    } else at(replicas, s.at).compactLog();
  }
  return { replicas, sent };
}

/** b ⊒ a: merging a into b changes nothing. */
function covers(b: StoreReplica, a: StoreReplica): boolean {
  const joined = crm.merge(crm.clone!(b.state), a.state);
  return Buffer.from(crm.codec!.encode(joined)).equals(Buffer.from(crm.codec!.encode(b.state)));
}

describe("StoreReplica: digests and anti-entropy", () => {
  it("peer + missing(peer's digest) ⊒ self, and the peer's digest then covers self's (any loss, duplication, order, compaction)", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 40 }), node, node, (steps, a, b) => {
        fc.pre(a !== b);
        const { replicas } = play(steps);
        const [self, peer] = [at(replicas, a), at(replicas, b)];
        const answer = self.missing(peer.digest());
        peer.applySync(answer);
        expect(covers(peer, self)).toBe(true);
        for (const [c, cc] of self.digest())
          for (const d of [...cc.cloud(), ...cc.vv.entries().map(([r, n]) => [r, n] as [string, number])]) expect(peer.digest().get(c)?.has(d)).toBe(true);
        // Once the peer has it all, there is nothing left to send.
        expect(self.missing(peer.digest()).parts.every((p) => p.objects.length === 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("missing() sends exactly the objects touched by updates the peer lacks (log intact)", () => {
    checkProperty(
      fc.property(fc.array(opArb, { maxLength: 25 }), fc.nat(25), (ops, k) => {
        const self = new StoreReplica("s", crm);
        const peer = new StoreReplica("p", crm);
        const msgs = ops.map((op) => self.update(op));
        const seen = msgs.slice(0, Math.min(k, msgs.length));
        for (const m of seen) peer.receive(m);
        const answer = self.missing(peer.digest());
        const expected = new Set(msgs.slice(seen.length).map((m) => `${m.collection}/${m.id}`));
        const shipped = answer.parts.flatMap((p) => p.objects.map((o) => `${p.collection}/${o.id}`));
        expect(new Set(shipped)).toEqual(expected);
        expect(shipped.length).toBe(expected.size);
        expect(answer.parts.every((p) => p.objects.every((o) => !o.full))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("every replica converges after a round of digest syncs in both directions, whatever was lost", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const { replicas } = play(steps);
        for (let round = 0; round < 2; round++) for (const a of replicas) for (const b of replicas) if (a !== b) b.applySync(a.missing(b.digest()));
        const all = crm.init("x");
        for (const r of replicas) crm.merge(all, r.state);
        for (const r of replicas) expect(r.value()).toEqual(crm.value(all));
        expect(new Set(replicas.map(hex)).size).toBe(1);
      }),
      { numRuns: 150 },
    );
  });

  it("applying a delta or a sync answer twice changes nothing the second time", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 30 }), (steps) => {
        const { replicas, sent } = play(steps);
        const a = at(replicas, 0),
          b = at(replicas, 1);
        for (const m of sent) {
          a.receive(m);
          const before = hex(a);
          expect(a.receive(m)).toBe(false);
          expect(hex(a)).toBe(before);
        }
        const answer = a.missing(b.digest());
        b.applySync(answer);
        const before = hex(b);
        b.applySync(answer);
        expect(hex(b)).toBe(before);
      }),
      { numRuns: 100 },
    );
  });

  it("messages round-trip through their encodings; malformed bytes are a DecodeError and change nothing", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 30 }), fc.uint8Array({ maxLength: 30 }), (steps, noise) => {
        const { replicas, sent } = play(steps);
        const a = at(replicas, 0),
          b = at(replicas, 1);
        const { delta, digest, sync } = a.codecs;
        const answer = a.missing(b.digest());
        const bytes = sync.encode(answer);
        expect(Buffer.from(sync.encode(sync.decode(bytes))).equals(Buffer.from(bytes))).toBe(true);
        const d = digest.encode(b.digest());
        expect(Buffer.from(digest.encode(digest.decode(d))).equals(Buffer.from(d))).toBe(true);
        const before = hex(b);
        for (let cut = 0; cut < bytes.length; cut++) expect(() => b.applySyncBytes(bytes.slice(0, cut))).toThrow(DecodeError);
        for (const m of sent.slice(0, 3)) {
          const mb = delta.encode(m);
          expect(delta.decode(mb)).toMatchObject({ collection: m.collection, id: m.id, origin: m.origin, seq: m.seq });
          expect(() => b.receiveBytes(new Uint8Array([...mb, 0]))).toThrow(DecodeError);
        }
        try {
          b.receiveBytes(noise);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          expect(hex(b)).toBe(before);
        }
      }),
      { numRuns: 80 },
    );
  });

  it("after the delta log is compacted, missing() falls back to the whole objects the peer lacks, and only those", () => {
    const self = new StoreReplica("s", crm);
    const peer = new StoreReplica("p", crm);
    for (let i = 0; i < 50; i++) peer.receive(self.update({ op: "set", args: ["customers", `c${i}`, "email", `c${i}@x.org`] }));
    self.update({ op: "set", args: ["customers", "c3", "phone", "555-0103"] });
    self.update({ op: "inc", args: ["customers", "c3", "views", 1] });
    self.update({ op: "set", args: ["customers", "c9", "phone", "555-0109"] });
    const viaLog = self.missing(peer.digest());
    expect(at(viaLog.parts, 0).objects.map((o) => [o.id, o.full])).toEqual([
      ["c3", false],
      ["c9", false],
    ]);
    expect(self.compactLog()).toBe(53);
    const viaStates = self.missing(peer.digest());
    expect(at(viaStates.parts, 0).objects.map((o) => [o.id, o.full])).toEqual([
      ["c3", true],
      ["c9", true],
    ]);
    peer.applySync(viaStates);
    expect(peer.value()).toEqual(self.value());
    expect(self.missing(peer.digest()).parts).toEqual([]);
  });

  it("bad input names the collection and leaves the store untouched", () => {
    const r = new StoreReplica("r", crm);
    r.update({ op: "set", args: ["customers", "A", "phone", "1"] });
    const before = hex(r);
    expect(() => r.update({ op: "set", args: ["orders", "A", "x", 1] })).toThrow(OpError);
    expect(() => r.update({ op: "set", args: ["customers", "A", "fax", 1] })).toThrow(/unknown field "fax"/);
    expect(() => r.receive({ collection: "orders", id: "A", origin: "x", seq: 1, delta: new Map() })).toThrow(StoreError);
    expect(() => r.receive({ collection: "orders", id: "A", origin: "x", seq: 1, delta: new Map() })).toThrow(
      /unknown collection "orders" \(the store's collections: customers, tags\)/,
    );
    expect(() => r.receive({ collection: "tags", id: "A", origin: "x", seq: 0, delta: null })).toThrow(/bad dot/);
    expect(() => r.missing(new Map([["orders", r.digest().get("customers")!]]))).toThrow(/unknown collection "orders"/);
    expect(hex(r)).toBe(before);
    expect(r.digest().get("customers")?.toJSON()).toEqual({ vv: { r: 1 }, cloud: [] });
  });
});

describe("StoreReplica: snapshot and restore (durable image, volatile log)", () => {
  it("a restored replica has the same state, digest and answers; its empty log makes it answer with whole objects", () => {
    checkProperty(
      fc.property(fc.array(stepArb, { maxLength: 40 }), node, node, (steps, a, b) => {
        fc.pre(a !== b);
        const { replicas } = play(steps);
        const [self, peer] = [at(replicas, a), at(replicas, b)];
        const back = StoreReplica.restore(crm, self.snapshot());
        expect(back.id).toBe(self.id);
        expect(hex(back)).toBe(hex(self));
        expect(back.digest()).toEqual(self.digest());
        expect(back.logSize()).toBe(0);
        expect(Buffer.from(back.snapshot()).equals(Buffer.from(self.snapshot()))).toBe(true);
        // Its answer covers what the peer lacks as well as the original's does.
        const answer = back.missing(peer.digest());
        expect(answer.parts.every((p) => p.objects.every((o) => o.full))).toBe(true);
        peer.applySync(answer);
        expect(covers(peer, self)).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it("a truncated or padded snapshot is a DecodeError", () => {
    const r = new StoreReplica("r", crm);
    r.update({ op: "set", args: ["customers", "A", "phone", "1"] });
    r.update({ op: "add", args: ["tags", "B", "vip"] });
    const bytes = r.snapshot();
    for (let cut = 0; cut < bytes.length; cut++) expect(() => StoreReplica.restore(crm, bytes.slice(0, cut))).toThrow(DecodeError);
    expect(() => StoreReplica.restore(crm, new Uint8Array([...bytes, 1]))).toThrow(DecodeError);
    expect(() => new StoreReplica("x", resolveBuiltin("or-set"))).toThrow(/needs a store type/);
  });
});

describe("StoreReplica.updateObject: several ops of one object as one update", () => {
  const fieldOp = fc.oneof(
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("phone"), fc.constantFrom("1", "2")) }),
    fc.record({ op: fc.constant("set"), args: fc.tuple(fc.constant("email"), fc.constantFrom("x", "y")) }),
    fc.record({ op: fc.constantFrom("inc", "dec"), args: fc.tuple(fc.constant("views"), fc.integer({ min: 1, max: 3 })) }),
  );
  const tagOp = fc.record({ op: fc.constantFrom("add", "remove"), args: fc.tuple(fc.constantFrom("vip", "new")) });

  it("leaves the state one-by-one updates leave, with one dot and one delta a peer merges to the same state", () => {
    checkProperty(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...IDS), fc.array(fieldOp, { minLength: 1, maxLength: 4 }), fc.array(tagOp, { minLength: 1, maxLength: 3 })), {
          maxLength: 8,
        }),
        (batches) => {
          const one = new StoreReplica("n0", crm, () => 5);
          const many = new StoreReplica("n0", crm, () => 5);
          const peer = new StoreReplica("n1", crm);
          for (const [tags, id, fields, tagOps] of batches) {
            const ops = (tags ? tagOps : fields).map((o) => ({ op: o.op, args: [...o.args] as unknown[] }));
            const c = tags ? "tags" : "customers";
            for (const o of ops) one.update({ op: o.op, args: [c, id, ...o.args] });
            const seqBefore = many.digest().get(c)?.vv.get("n0") ?? 0;
            const msg = many.updateObject(c, id, ops);
            expect(msg.seq).toBe(seqBefore + 1);
            expect(peer.receiveBytes(many.codecs.delta.encode(msg))).toBe(true);
          }
          expect(many.value()).toEqual(one.value());
          expect(hex(peer)).toBe(hex(many));
        },
      ),
    );
  });

  it("is all or nothing: a failing op leaves the object, its knowledge and its log as they were", () => {
    const r = new StoreReplica("n0", crm, () => 5);
    r.update({ op: "set", args: ["customers", "A", "phone", "555"] });
    r.update({ op: "inc", args: ["customers", "A", "views", 2] });
    const before = hex(r);
    const digest = r.digest();
    const log = r.logSize();
    expect(() =>
      r.updateObject("customers", "A", [
        { op: "set", args: ["phone", "556"] },
        { op: "inc", args: ["views", 1] },
        { op: "inc", args: ["nope", 1] },
      ]),
    ).toThrow(OpError);
    expect(() =>
      r.updateObject("customers", "B", [
        { op: "set", args: ["phone", "1"] },
        { op: "dec", args: ["views", -1] },
      ]),
    ).toThrow(/customers\["B"\]/);
    expect(() =>
      r.updateObject("tags", "A", [
        { op: "add", args: ["x"] },
        { op: "bogus", args: [] },
      ]),
    ).toThrow(OpError);
    expect(hex(r)).toBe(before);
    expect(r.digest()).toEqual(digest);
    expect(r.logSize()).toBe(log);
    expect(() => r.updateObject("nope", "A", [{ op: "set", args: ["phone", "1"] }])).toThrow(OpError);
    expect(() => r.updateObject("customers", "A", [])).toThrow(OpError);
  });
});
