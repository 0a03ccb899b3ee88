/**
 * Op mode's store keeps every delivered op for retransmission; causally stable ones (delivered
 * by every replica, as far as this one has heard) are dropped. Dropping must change nothing a
 * run does — the same messages, deliveries, values and verdicts; only a retransmission batch may
 * be smaller — and must keep the store bounded on a long run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import type { Scenario } from "../scenario/types.ts";
import { OpNode, type OpRec } from "./causal.ts";
import { Knowledge } from "./knowledge.ts";
import { runSimulation } from "./run-simulation.ts";
import { Simulator } from "./simulator.ts";

const op = (o: number, s: number, deps: number[]): OpRec => ({ o, s, deps: Int32Array.from(deps), e: null, bytes: 0 });

describe("OpNode: causal-stability collection", () => {
  it("drops, per origin, the prefix every replica has delivered, and still serves what peers lack", () => {
    const node = new OpNode(3);
    const k = new Knowledge(3);
    for (let s = 1; s <= 200; s++) {
      node.put(op(1, s, [0, s - 1, 0]));
      k.add(1, s);
    }
    node.hear(1, Int32Array.from([0, 200, 0])); // origin 1 itself
    node.hear(2, Int32Array.from([0, 150, 0])); // peer 2 is behind
    expect(node.collect(k, 0)).toBe(150);
    expect(node.base).toEqual([0, 150, 0]);
    expect(node.held).toBe(50);
    // Peer 2 still gets exactly the ops it lacks.
    expect(node.missing(Int32Array.from([0, 150, 0]), 0, 0).map((r) => r.s)).toEqual(Array.from({ length: 50 }, (_, i) => 151 + i));
    // A late copy of a collected op is not stored again.
    node.put(op(1, 3, [0, 2, 0]));
    expect(node.held).toBe(50);
  });

  it("keeps everything a peer has not been heard to deliver, and collects in batches", () => {
    const node = new OpNode(2);
    const k = new Knowledge(2);
    for (let s = 1; s <= 100; s++) {
      node.put(op(0, s, [s - 1, 0]));
      k.add(0, s);
    }
    expect(node.collect(k, 0)).toBe(0); // peer 1 never heard from
    node.hear(1, Int32Array.from([10, 0]));
    expect(node.collect(k, 0)).toBe(0); // 10 is below the batch size: not worth a copy yet
    node.heardOwn(1, 5);
    node.hear(1, Int32Array.from([100, 5]));
    expect(node.collect(k, 0)).toBe(100);
    expect(node.held).toBe(0);
  });
});

type Faults = { seed: number; loss: number; duplicate: number; partitionEvery: number | null; crashEvery: number | null; ae: number; syncLag: number };

const faultsArb: fc.Arbitrary<Faults> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  loss: fc.constantFrom(0, 0.05, 0.2),
  duplicate: fc.constantFrom(0, 0.1),
  partitionEvery: fc.option(fc.integer({ min: 300, max: 1500 }), { nil: null }),
  crashEvery: fc.option(fc.integer({ min: 300, max: 1500 }), { nil: null }),
  ae: fc.constantFrom(100, 400), // never 0: without anti-entropy nothing repairs a loss
  // With a lag, a crash takes back unsynced deliveries: only durable news may drop an op.
  syncLag: fc.constantFrom(0, 0, 20, 120),
});

function scenario(f: Faults, crdt: string, duration = 3000): Scenario {
  const nemesis: Scenario["nemesis"] = {};
  if (f.partitionEvery) nemesis.partitions = { every: f.partitionEvery, duration: [100, 600], shape: "random" };
  if (f.crashEvery) nemesis.crashes = { every: f.crashEvery, downtime: [50, 400] };
  return {
    name: "op-store-gc",
    nodes: ["a", "b", "c", "d"],
    crdt,
    duration,
    seed: f.seed,
    sync: { mode: "op", antiEntropyMs: f.ae },
    network: { latency: { dist: "uniform", min: 2, max: 60 }, loss: f.loss, duplicate: f.duplicate },
    nemesis,
    storage: { syncLagMs: f.syncLag },
    workload: { ratePerNode: 150 },
  };
}

describe("op-store collection changes nothing a run does", () => {
  for (const crdt of ["op-counter", "op-or-set", "or-set"]) {
    it(`${crdt}: the same run with and without it, under loss, duplication, partitions and crashes`, () => {
      const type = resolveAnyBuiltin(crdt);
      checkProperty(
        fc.property(faultsArb, (f) => {
          const sc = scenario(f, crdt);
          const on = runSimulation(sc, type, { seed: f.seed, trace: false, crdtName: crdt }).summary;
          const off = runSimulation(sc, type, { seed: f.seed, trace: false, crdtName: crdt, opStoreGc: false }).summary;
          // Identical runs, message for message, except that a retransmission batch may leave out
          // collected ops: ops the receiver has delivered since its digest (it would drop them).
          const same = (s: typeof on) => ({ ...s, traceHash: "", stats: { ...s.stats, metadataBytes: 0 } });
          expect(same(on)).toEqual(same(off));
          expect(on.stats.metadataBytes).toBeLessThanOrEqual(off.stats.metadataBytes);
          expect(on.checks.filter((c) => c.ok !== c.expected)).toEqual([]);
        }),
        { numRuns: 12 },
      );
    });
  }

  for (const syncLag of [0, 50])
    it(`keeps the store bounded on a long run: a fraction of the ops without it (sync lag ${syncLag} ms)`, () => {
      const sc = scenario({ seed: 3, loss: 0.05, duplicate: 0.1, partitionEvery: null, crashEvery: null, ae: 200, syncLag }, "op-counter", 20_000);
      const held = (gc: boolean) => {
        const sim = new Simulator(sc, resolveAnyBuiltin("op-counter") as never, { seed: 3, trace: false, crdtName: "op-counter", opStoreGc: gc });
        sim.runMain();
        sim.runFinal();
        return sim.replicas.map((r) => r.op!.held);
      };
      const without = held(false),
        withGc = held(true);
      const total = without[0]!; // every replica ends holding every op without collection
      expect(total).toBeGreaterThan(10_000);
      for (const h of without) expect(h).toBe(total);
      // With it, what is held is the recent tail (what some peer may not have delivered yet).
      for (const h of withGc) expect(h).toBeLessThan(total / 10);
      console.log(`op store after ${total} ops on 4 nodes, sync lag ${syncLag} ms: ${withGc.join(", ")} held with collection, ${total} each without`);
    });
});
