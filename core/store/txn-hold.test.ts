/**
 * The indexed transaction hold (txn-hold.ts) against the fixed point it replaces: a reference
 * that, on every settle, recomputes which held updates are whole over all of them (the
 * StoreReplica code before the hold was indexed, kept here verbatim in substance). Both are fed
 * the same deltas, sync objects (joined per object, sent whole or not) and dots learnt outside
 * the hold, and must apply the same updates in the same order, write the same knowledge and the
 * same last transactions, and hold the same ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../_test/prop.ts";
import { CausalContext } from "../clock/causal-context.ts";
import { VersionVector } from "../clock/version-vector.ts";
import type { StateCrdt } from "../contract.ts";
import { type DeltaMessage, type SyncObject, txnKey, type TxnMeta } from "./messages.ts";
import { heldCount, heldOrigins, holdDelta, holdObject, type HoldPort, holdStats, knowledgeRaised, knownDot, newTxnHold, settle, type Prepared } from "./txn-hold.ts";

/** Object states are numbers, joined by max: enough to see what was merged. */
const maxCrdt = { merge: (a: number, b: number) => Math.max(a, b), clone: (a: number) => a } as unknown as StateCrdt;
const OBJECTS = [
  ["kv", "x"],
  ["kv", "y"],
  ["kv", "z"],
  ["other", "w"],
] as const;
const ORIGINS = ["A", "C"] as const;

/** A store as the port sees it: knowledge per collection, and a log of what was applied. */
class World implements HoldPort {
  readonly cc = new Map<string, CausalContext>();
  readonly log: string[] = [];
  knowledge(c: string): CausalContext | undefined {
    return this.cc.get(c);
  }
  putKnowledge(c: string, cc: CausalContext): void {
    this.cc.set(c, cc);
  }
  applyDelta(msg: DeltaMessage, cc: CausalContext): void {
    cc.add([msg.origin, msg.seq]);
    this.putKnowledge(msg.collection, cc);
    this.log.push(`delta ${msg.collection}/${msg.id} ${msg.origin}:${msg.seq}`);
  }
  mergeObject(c: string, o: SyncObject, covered: boolean): void {
    this.log.push(`object ${c}/${o.id} full=${o.full} vv=${JSON.stringify(o.vv.toJSON())} state=${String(o.state)} covered=${covered}`);
  }
  putTxn(c: string, id: string, txn: TxnMeta): void {
    this.log.push(`txn ${c}/${id} ${txnKey(txn)}`);
  }
  knows(c: string, origin: string, seq: number): boolean {
    return this.cc.get(c)?.has([origin, seq]) ?? false;
  }
  add(c: string, origin: string, seq: number): void {
    const cc = this.cc.get(c) ?? new CausalContext();
    cc.add([origin, seq]);
    this.cc.set(c, cc);
  }
}

/** The hold before it was indexed: a Map of held updates and a fixed point over all of them on every settle. */
class Reference {
  readonly prepared = new Map<string, Prepared>();
  constructor(readonly port: World) {}
  holdDelta(msg: DeltaMessage & { txn: TxnMeta }): boolean {
    const key = `d\u0000${msg.collection}\u0000${msg.origin}\u0000${msg.seq}`;
    if (this.prepared.has(key)) return false;
    this.prepared.set(key, { kind: "delta", msg });
    return true;
  }
  holdObject(c: string, o: SyncObject & { txns: TxnMeta[] }, covered: boolean): void {
    const key = `s\u0000${c}\u0000${o.id}`;
    const before = this.prepared.get(key);
    if (before?.kind !== "sync") {
      this.prepared.set(key, { kind: "sync", collection: c, object: { ...o, vv: o.vv.clone(), txns: [...o.txns] }, covered });
      return;
    }
    const b = before.object;
    const txns = new Map(b.txns.map((t) => [txnKey(t), t]));
    for (const t of o.txns) txns.set(txnKey(t), t);
    this.prepared.set(key, {
      kind: "sync",
      collection: c,
      object: { id: o.id, full: b.full || o.full, vv: b.vv.clone().merge(o.vv), state: maxCrdt.merge(b.state, o.state), txns: [...txns.values()] },
      covered: before.covered && covered,
    });
  }
  heldOrigins(c: string): Set<string> {
    const out = new Set<string>();
    for (const p of this.prepared.values()) {
      if (p.kind === "delta") {
        if (p.msg.collection === c) out.add(p.msg.origin);
      } else if (p.collection === c) for (const r of p.object.vv.replicaIds()) out.add(r);
    }
    return out;
  }
  settle(): DeltaMessage[] {
    if (this.prepared.size === 0) return [];
    const dotKey = (c: string, origin: string, seq: number) => `${c}\u0000${origin}\u0000${seq}`;
    let live = [...this.prepared];
    for (;;) {
      const provided = new Set<string>();
      const whole = new Map<string, VersionVector>();
      for (const [, p] of live) {
        if (p.kind === "delta") provided.add(dotKey(p.msg.collection, p.msg.origin, p.msg.seq));
        else {
          const { collection: c, object: o } = p;
          for (const t of o.txns) for (const m of t.members) if (m.collection === c && m.id === o.id) provided.add(dotKey(c, t.origin, m.seq));
          if (o.full) whole.set(`${c}\u0000${o.id}`, o.vv);
        }
      }
      const has = (t: TxnMeta): boolean =>
        t.members.every(
          (m) =>
            provided.has(dotKey(m.collection, t.origin, m.seq)) ||
            (this.port.knowledge(m.collection)?.has([t.origin, m.seq]) ?? false) ||
            (whole.get(`${m.collection}\u0000${m.id}`)?.get(t.origin) ?? 0) >= m.seq,
        );
      const next = live.filter(([, p]) => (p.kind === "delta" ? has(p.msg.txn) : p.object.txns.every(has)));
      if (next.length === live.length) break;
      live = next;
    }
    const out: DeltaMessage[] = [];
    for (const [key, p] of live) {
      this.prepared.delete(key);
      if (p.kind === "delta") {
        const cc = this.port.knowledge(p.msg.collection) ?? new CausalContext();
        if (cc.has([p.msg.origin, p.msg.seq])) continue;
        this.port.applyDelta(p.msg, cc);
        out.push(p.msg);
        continue;
      }
      const { collection: c, object: o } = p;
      this.port.mergeObject(c, o, p.covered);
      const cc = this.port.knowledge(c) ?? new CausalContext();
      let last: TxnMeta | undefined;
      let top = 0;
      for (const t of o.txns)
        for (const m of t.members)
          if (m.collection === c && m.id === o.id) {
            cc.add([t.origin, m.seq]);
            if (m.seq >= top) [last, top] = [t, m.seq];
          }
      this.port.putKnowledge(c, cc);
      if (last) this.port.putTxn(c, o.id, last);
    }
    return out;
  }
}

describe("the indexed transaction hold", () => {
  const planArb = fc.record({
    txns: fc.array(fc.record({ origin: fc.nat(1), objects: fc.uniqueArray(fc.nat(OBJECTS.length - 1), { minLength: 1, maxLength: OBJECTS.length }) }), {
      minLength: 1,
      maxLength: 8,
    }),
    actions: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant("delta" as const), txn: fc.nat(), member: fc.nat() }) },
        {
          weight: 3,
          arbitrary: fc.record({
            kind: fc.constant("sync" as const),
            object: fc.nat(OBJECTS.length - 1),
            txns: fc.array(fc.nat(), { maxLength: 3 }),
            full: fc.boolean(),
            covered: fc.boolean(),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("learn" as const), txn: fc.nat(), member: fc.nat() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("raise" as const), txns: fc.array(fc.nat(), { maxLength: 3 }) }) },
      ),
      { maxLength: 60 },
    ),
  });

  it("applies what the fixed point over every held update applies, in the same order, whatever arrives in what order", () => {
    checkProperty(
      fc.property(planArb, ({ txns: plan, actions }) => {
        // Seqs per origin and collection, as replicas give them.
        const next = new Map<string, number>();
        const metas: TxnMeta[] = plan.map(({ origin, objects }) => ({
          origin: ORIGINS[origin]!,
          members: objects.map((o) => {
            const [collection, id] = OBJECTS[o]!;
            const k = `${ORIGINS[origin]}/${collection}`;
            const seq = (next.get(k) ?? 0) + 1;
            next.set(k, seq);
            return { collection, id, seq };
          }),
        }));
        const ours = new World();
        const theirs = new World();
        const hold = newTxnHold();
        const ref = new Reference(theirs);
        const applied: [string[], string[]] = [[], []];
        for (const a of actions) {
          if (a.kind === "delta" || a.kind === "learn") {
            const t = metas[a.txn % metas.length]!;
            const m = t.members[a.member % t.members.length]!;
            if (a.kind === "learn") {
              // A dot learnt outside the hold (a plain delta of the same dot would never come; a test of the notification).
              for (const w of [ours, theirs]) w.add(m.collection, t.origin, m.seq);
              knownDot(hold, m.collection, t.origin, m.seq);
              continue;
            }
            if (ours.knows(m.collection, t.origin, m.seq)) continue; // the replica applies nothing it knows
            const msg = { collection: m.collection, id: m.id, origin: t.origin, seq: m.seq, delta: m.seq, txn: t };
            const held = holdDelta(hold, msg, ours);
            expect(ref.holdDelta(msg)).toBe(held);
          } else if (a.kind === "sync") {
            const [c, id] = OBJECTS[a.object]!;
            const listed = [...new Set(a.txns.map((i) => metas[i % metas.length]!))].filter((t) => t.members.some((m) => m.collection === c && m.id === id));
            if (listed.length === 0) continue;
            const vv = new VersionVector();
            for (const t of listed) for (const m of t.members) if (m.collection === c && m.id === id && vv.get(t.origin) < m.seq) vv.set(t.origin, m.seq);
            const o = { id, full: a.full, vv, state: vv.get("A") + vv.get("C"), txns: listed };
            holdObject(hold, c, { ...o, vv: vv.clone() }, a.covered, maxCrdt, ours);
            ref.holdObject(c, { ...o, vv: vv.clone() }, a.covered);
          } else {
            // A sync answer's knowledge raised after its objects: some transactions' dots.
            const raised = new Map<string, CausalContext>();
            for (const i of a.txns) {
              const t = metas[i % metas.length]!;
              for (const m of t.members) {
                const cc = raised.get(m.collection) ?? new CausalContext();
                raised.set(m.collection, cc.add([t.origin, m.seq]));
              }
            }
            for (const [c, cc] of raised) {
              for (const w of [ours, theirs]) w.putKnowledge(c, (w.knowledge(c) ?? new CausalContext()).merge(cc));
              knowledgeRaised(hold, c, ours.knowledge(c)!);
            }
            continue;
          }
          applied[0].push(...settle(hold, ours).map((d) => `${d.origin}:${d.seq}`));
          applied[1].push(...ref.settle().map((d) => `${d.origin}:${d.seq}`));
          expect(ours.log).toEqual(theirs.log);
          expect(applied[0]).toEqual(applied[1]);
          expect(heldCount(hold)).toBe(ref.prepared.size);
          for (const c of ["kv", "other"]) expect([...heldOrigins(hold, c)].sort()).toEqual([...ref.heldOrigins(c)].sort());
        }
        for (const c of ["kv", "other"]) expect(ours.knowledge(c)?.toJSON()).toEqual(theirs.knowledge(c)?.toJSON());
        const stats = holdStats(hold);
        expect(stats.updates).toBe(ref.prepared.size);
        if (stats.updates === 0) expect(stats).toEqual({ updates: 0, transactions: 0, members: 0 });
      }),
      { numRuns: 500 },
    );
  });

  /**
   * An update whose transaction is complete may still wait on a provider that is not whole: a
   * sync object of x listing T1 = {x, y} and T2 = {x, z}, with z missing, provides T1's x to the
   * delta of y. `then` makes the object whole (z arrives) or x's T1 dot known outside the hold;
   * the delta of y must be applied in the same settle as the reference applies it.
   */
  function waitingOnAProvider(then: "z arrives" | "x learnt"): void {
    const ours = new World();
    const theirs = new World();
    const hold = newTxnHold();
    const ref = new Reference(theirs);
    const t1: TxnMeta = {
      origin: "A",
      members: [
        { collection: "kv", id: "x", seq: 1 },
        { collection: "kv", id: "y", seq: 2 },
      ],
    };
    const t2: TxnMeta = {
      origin: "A",
      members: [
        { collection: "kv", id: "x", seq: 3 },
        { collection: "kv", id: "z", seq: 4 },
      ],
    };
    const t3: TxnMeta = {
      origin: "C",
      members: [
        { collection: "other", id: "w", seq: 1 },
        { collection: "other", id: "v", seq: 2 },
      ],
    };
    const delta = (t: TxnMeta, i: number) => ({ collection: t.members[i]!.collection, id: t.members[i]!.id, origin: t.origin, seq: t.members[i]!.seq, delta: 0, txn: t });
    const both = (f: () => void, g: () => void) => {
      f();
      g();
      expect([settle(hold, ours).map((d) => d.seq), ours.log]).toEqual([ref.settle().map((d) => d.seq), theirs.log]);
    };
    const x = { id: "x", full: false, vv: VersionVector.from({ A: 3 }), state: 3, txns: [t1, t2] };
    both(
      () => holdObject(hold, "kv", { ...x, vv: x.vv.clone() }, true, maxCrdt, ours),
      () => ref.holdObject("kv", { ...x, vv: x.vv.clone() }, true),
    );
    both(
      () => holdDelta(hold, delta(t1, 1), ours),
      () => ref.holdDelta(delta(t1, 1)),
    );
    expect(heldCount(hold)).toBe(2);
    if (then === "z arrives")
      both(
        () => holdDelta(hold, delta(t2, 1), ours),
        () => ref.holdDelta(delta(t2, 1)),
      );
    else {
      for (const w of [ours, theirs]) w.add("kv", "A", 1);
      knownDot(hold, "kv", "A", 1);
      // Any receipt settles: here a delta of an unrelated transaction, held.
      both(
        () => holdDelta(hold, delta(t3, 0), ours),
        () => ref.holdDelta(delta(t3, 0)),
      );
    }
    expect(theirs.log.some((l) => l.startsWith("delta kv/y"))).toBe(true);
    expect(heldCount(hold)).toBe(ref.prepared.size);
  }

  it("applies an update waiting on a provider once the provider is whole", () => waitingOnAProvider("z arrives"));
  it("applies an update waiting on a provider once the dot it waited for is known", () => waitingOnAProvider("x learnt"));

  it("settles a transaction of k deltas delivered in reverse once, when its first arrives", () => {
    const w = new World();
    const hold = newTxnHold();
    const t: TxnMeta = { origin: "A", members: [1, 2, 3, 4].map((seq) => ({ collection: "kv", id: `o${seq}`, seq })) };
    for (const m of [...t.members].reverse()) {
      expect(holdDelta(hold, { collection: "kv", id: m.id, origin: "A", seq: m.seq, delta: 0, txn: t }, w)).toBe(true);
      const out = settle(hold, w);
      expect(out.map((d) => d.seq)).toEqual(m.seq === 1 ? [4, 3, 2, 1] : []);
    }
    expect(holdStats(hold)).toEqual({ updates: 0, transactions: 0, members: 0 });
    expect(w.knowledge("kv")!.vv.toJSON()).toEqual({ A: 4 });
  });
});
