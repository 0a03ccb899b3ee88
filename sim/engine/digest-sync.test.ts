/**
 * Digest anti-entropy (sync.antiEntropy "digest", digest-sync.ts): every state-based builtin
 * converges with it under random loss, duplication, reordering, partitions, crashes and sync
 * lag; it is deterministic; after a crash it falls back to the full state; and it puts fewer
 * anti-entropy bytes on the wire than full-state rounds when the state is big and the gap small.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OpSpec, StateCrdt } from "../../core/contract.ts";
import { checkProperty } from "../../core/_test/prop.ts";
import { resolveBuiltin } from "../../core/registry.ts";
import type { Scenario, Step } from "../scenario/types.ts";
import { runSimulation } from "./run-simulation.ts";
import { Simulator } from "./simulator.ts";

const NODES = ["n1", "n2", "n3", "n4"];
const DURATION = 2000;

type Faults = {
  seed: number;
  nodes: number;
  loss: number;
  duplicate: number;
  reorder: number;
  hold: boolean;
  syncLag: number;
  partitionEvery: number | null;
  crashEvery: number | null;
  crashes: { at: number; node: number; down: number }[];
};
const faultsArb: fc.Arbitrary<Faults> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  nodes: fc.integer({ min: 2, max: 4 }),
  loss: fc.constantFrom(0, 0.05, 0.3),
  duplicate: fc.constantFrom(0, 0.1, 0.3),
  reorder: fc.constantFrom(0, 0.2),
  hold: fc.boolean(),
  syncLag: fc.constantFrom(0, 0, 40),
  partitionEvery: fc.option(fc.integer({ min: 200, max: 900 }), { nil: null }),
  crashEvery: fc.option(fc.integer({ min: 200, max: 900 }), { nil: null }),
  crashes: fc.array(fc.record({ at: fc.integer({ min: 0, max: DURATION - 1 }), node: fc.nat(3), down: fc.integer({ min: 0, max: 500 }) }), { maxLength: 2 }),
});

function scenario(f: Faults, crdt: Scenario["crdt"], ops?: OpSpec[]): Scenario {
  const nodes = NODES.slice(0, f.nodes);
  const steps: Step[] = [];
  for (const c of f.crashes) {
    steps.push({ at: c.at, crash: nodes[c.node % f.nodes]! });
    steps.push({ at: Math.min(DURATION, c.at + c.down), restart: nodes[c.node % f.nodes]! });
  }
  steps.sort((a, b) => a.at - b.at);
  const nemesis: Scenario["nemesis"] = {};
  if (f.partitionEvery) nemesis.partitions = { every: f.partitionEvery, duration: [100, 500], shape: "random" };
  if (f.crashEvery) nemesis.crashes = { every: f.crashEvery, downtime: [50, 400] };
  return {
    name: "digest-sync",
    nodes,
    crdt,
    duration: DURATION,
    seed: f.seed,
    sync: { mode: "delta", antiEntropyMs: 250, antiEntropy: "digest" },
    network: { latency: { dist: "uniform", min: 2, max: 60 }, loss: f.loss, duplicate: f.duplicate, reorder: f.reorder, partitionMode: f.hold ? "hold" : "drop" },
    storage: { syncLagMs: f.syncLag },
    steps,
    nemesis,
    workload: { ratePerNode: 15, to: DURATION - 200, ...(ops ? { ops } : {}) },
  };
}

/** Runs a scenario and also returns the engine, for the digest layer's counters. */
function runWithEngine(sc: Scenario, crdt: StateCrdt, name: string) {
  const sim = new Simulator(sc, crdt, { seed: sc.seed!, trace: false, crdtName: name });
  sim.runMain();
  const fin = sim.runFinal();
  return { sim, fin, checks: sim.checkers.results(sim.replicas, fin) };
}

const STORE = {
  type: "store",
  collections: { customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } }, tags: "or-set" },
};

describe("digest anti-entropy converges under random faults, for every kind of state-based type", () => {
  const cases: [string, Scenario["crdt"]][] = [
    ["g-counter", "g-counter"],
    ["pn-counter", "pn-counter"],
    ["2p-set", "2p-set"],
    ["or-set", "or-set"],
    ["lww-register", "lww-register"],
    ["mv-register", "mv-register"],
    ["lww-map", "lww-map"],
    ["record", "record"],
    ["rga", "rga"],
    ["store", STORE],
  ];
  for (const [name, spec] of cases) {
    it(name, () => {
      const crdt = resolveBuiltin(spec as string);
      checkProperty(
        fc.property(faultsArb, (f) => {
          const sc = scenario(f, spec);
          sc.expect = { checks: { durability: true } };
          const { summary } = runSimulation(sc, crdt, { seed: f.seed, trace: false, crdtName: name });
          expect(summary.checks.filter((c) => c.ok !== c.expected).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
          expect(summary.stats.convergedAtMs).not.toBeNull();
        }),
        { numRuns: 15 },
      );
    });
  }
});

describe("digest anti-entropy, examples", () => {
  const crdt = resolveBuiltin(STORE as unknown as string);
  const calm: Faults = { seed: 5, nodes: 3, loss: 0.2, duplicate: 0.1, reorder: 0, hold: false, syncLag: 0, partitionEvery: 700, crashEvery: null, crashes: [] };

  it("is deterministic: the same scenario gives the same traceHash twice, with the mode in the trace meta", () => {
    const sc = scenario(calm, STORE);
    const a = runSimulation(sc, crdt, { seed: 5, trace: true, crdtName: "store" });
    const b = runSimulation(sc, crdt, { seed: 5, trace: false, crdtName: "store" });
    expect(a.summary.traceHash).toBe(b.summary.traceHash);
    expect(a.trace![0]).toContain(`"antiEntropy":"digest"`);
    expect(a.trace!.some((l) => l.includes(`"kind":"digest"`))).toBe(true);
  });

  it("answers from the delta log while it covers the gap, and with the full state after a crash lost the log", () => {
    const quiet = runWithEngine(scenario(calm, STORE), crdt, "store");
    expect(quiet.sim.digestSync!.answers).toBeGreaterThan(0);
    expect(quiet.sim.digestSync!.fallbacks).toBe(0);
    // n2 holds n1's updates that n3 lacks, then crashes: it recovers them from disk but not its
    // volatile log, so n3's digest can only be answered with n2's full state.
    const steps: Step[] = [{ at: 0, partition: [["n1", "n2"], ["n3"]] }];
    for (let i = 0; i < 5; i++) steps.push({ at: 10 + i, node: "n1", op: "set", args: ["customers", `c${i}`, "email", `c${i}@x.org`] });
    steps.push({ at: 200, crash: "n2" }, { at: 300, restart: "n2" }, { at: 400, partition: [["n1"], ["n2", "n3"]] }, { at: 1500, heal: true });
    const relay: Scenario = {
      name: "relay",
      nodes: NODES.slice(0, 3),
      crdt: STORE,
      duration: 2000,
      seed: 9,
      sync: { mode: "delta", antiEntropyMs: 100, antiEntropy: "digest" },
      steps,
    };
    const crashed = runWithEngine(relay, crdt, "store");
    expect(crashed.fin.quiescent).toBe(true);
    expect(crashed.checks.every((c) => c.ok === c.expected)).toBe(true);
  });

  it("counts digest traffic in metadataBytes, and spends fewer anti-entropy bytes than full-state rounds on a big store", () => {
    // 200 customers written once, then a trickle of field updates with 20% loss: the state is
    // big, what a peer lacks is small.
    const steps: Step[] = [];
    for (let i = 0; i < 200; i++) steps.push({ at: i, node: NODES[i % 3]!, op: "set", args: ["customers", `c${String(i).padStart(3, "0")}`, "email", `c${i}@example.org`] });
    const base: Scenario = {
      name: "digest-bytes",
      nodes: NODES.slice(0, 3),
      crdt: STORE,
      duration: 6000,
      seed: 3,
      sync: { mode: "delta", antiEntropyMs: 500 },
      network: { loss: 0.2 },
      steps,
      workload: { from: 1000, ratePerNode: 2, ops: [{ op: "inc", args: ["customers", { pick: ["c001", "c050", "c150"] }, "views", 1] }] },
    };
    const digest = { ...base, sync: { ...base.sync, antiEntropy: "digest" as const } };
    const s = runSimulation(base, crdt, { seed: 3, trace: false, crdtName: "store" }).summary;
    const d = runSimulation(digest, crdt, { seed: 3, trace: false, crdtName: "store" }).summary;
    expect(d.final).toEqual(s.final);
    expect(d.ok && s.ok).toBe(true);
    expect(d.stats.metadataBytes * 5).toBeLessThan(s.stats.metadataBytes);
  });
});
