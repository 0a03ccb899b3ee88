/**
 * Property tests over random fault schedules (issue 4): clock skew, drift and jumps, crashes
 * with and without a sync lag, loss, duplication, reordering and partitions.
 *
 * - every builtin (state-based in delta, state and op mode; the op-based ones) converges, keeps
 *   its intent checks, and loses no acknowledged write;
 * - op-mode delivery is exactly-once and causal (a spy op-based type checks it at every effect);
 * - physical-time LWW is caught losing a causally later write; HLC LWW and the MV-Register
 *   never are.
 *
 * A failure prints the fast-check seed and the replay command (checkProperty).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Crdt, OpCrdt } from "../../core/contract.ts";
import { checkProperty } from "../../core/_test/prop.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import type { Scenario, Step } from "../scenario/types.ts";
import { runSimulation } from "./run-simulation.ts";

const NODES = ["n1", "n2", "n3", "n4"];

type Faults = {
  seed: number;
  nodes: number;
  skews: number[];
  drifts: number[];
  loss: number;
  duplicate: number;
  reorder: number;
  hold: boolean;
  syncLag: number;
  crashEvery: number | null;
  partitionEvery: number | null;
  clockEvery: number | null;
  jumps: { at: number; node: number; by: number }[];
  crashes: { at: number; node: number; down: number }[];
};

const DURATION = 2000;

const faultsArb: fc.Arbitrary<Faults> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  nodes: fc.integer({ min: 2, max: 4 }),
  skews: fc.array(fc.integer({ min: -120_000, max: 120_000 }), { minLength: 4, maxLength: 4 }),
  drifts: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 4, maxLength: 4 }),
  loss: fc.constantFrom(0, 0.05, 0.2),
  duplicate: fc.constantFrom(0, 0.1, 0.3),
  reorder: fc.constantFrom(0, 0.2),
  hold: fc.boolean(),
  syncLag: fc.constantFrom(0, 0, 20, 120),
  crashEvery: fc.option(fc.integer({ min: 150, max: 900 }), { nil: null }),
  partitionEvery: fc.option(fc.integer({ min: 200, max: 900 }), { nil: null }),
  clockEvery: fc.option(fc.integer({ min: 100, max: 700 }), { nil: null }),
  jumps: fc.array(fc.record({ at: fc.integer({ min: 0, max: DURATION }), node: fc.nat(3), by: fc.integer({ min: -60_000, max: 60_000 }) }), { maxLength: 3 }),
  crashes: fc.array(fc.record({ at: fc.integer({ min: 0, max: DURATION - 1 }), node: fc.nat(3), down: fc.integer({ min: 0, max: 600 }) }), { maxLength: 2 }),
});

function scenario(f: Faults, crdt: Scenario["crdt"], sync: Scenario["sync"], rate = 12): Scenario {
  const nodes = NODES.slice(0, f.nodes);
  const steps: Step[] = [];
  for (const j of f.jumps) steps.push({ at: j.at, clockJump: { node: nodes[j.node % f.nodes]!, by: j.by } });
  for (const c of f.crashes) {
    steps.push({ at: c.at, crash: nodes[c.node % f.nodes]! });
    steps.push({ at: Math.min(DURATION, c.at + c.down), restart: nodes[c.node % f.nodes]! });
  }
  steps.sort((a, b) => a.at - b.at);
  const nemesis: Scenario["nemesis"] = {};
  if (f.crashEvery) nemesis.crashes = { every: f.crashEvery, downtime: [50, 400] };
  if (f.partitionEvery) nemesis.partitions = { every: f.partitionEvery, duration: [100, 500], shape: "random" };
  if (f.clockEvery) nemesis.clocks = { every: f.clockEvery, skew: [-60_000, 60_000], jump: [-5_000, 5_000] };
  return {
    name: "fault-schedule",
    nodes,
    crdt,
    duration: DURATION,
    seed: f.seed,
    sync: { antiEntropyMs: 250, ...sync },
    network: { latency: { dist: "uniform", min: 2, max: 60 }, loss: f.loss, duplicate: f.duplicate, reorder: f.reorder, partitionMode: f.hold ? "hold" : "drop" },
    clocks: Object.fromEntries(nodes.map((n, i) => [n, { skew: f.skews[i]!, drift: f.drifts[i]! }])),
    storage: { syncLagMs: f.syncLag },
    steps,
    nemesis,
    workload: { ratePerNode: rate, to: DURATION - 200 },
  };
}

function failures(sc: Scenario, crdt: Crdt, name: string) {
  const { summary } = runSimulation(sc, crdt, { seed: sc.seed!, trace: false, crdtName: name });
  return summary.checks.filter((c) => c.ok !== c.expected).map((c) => `${c.name}: ${c.detail}`);
}

describe("every builtin survives random fault schedules: converges, keeps its intent, loses no acknowledged write", () => {
  const cases: [string, Scenario["sync"]][] = [
    ["g-counter", { mode: "delta" }],
    ["pn-counter", { mode: "state" }],
    ["g-set", { mode: "delta" }],
    ["2p-set", { mode: "delta" }],
    ["or-set", { mode: "delta" }],
    ["or-set", { mode: "op" }],
    ["lww-register", { mode: "delta" }],
    ["mv-register", { mode: "delta" }],
    ["lww-map", { mode: "delta" }],
    ["pn-counter", { mode: "op" }],
    ["op-counter", { mode: "op" }],
    ["op-or-set", { mode: "op" }],
  ];
  for (const [name, sync] of cases) {
    it(`${name} (${sync!.mode} mode)`, () => {
      const crdt = resolveAnyBuiltin(name);
      checkProperty(
        fc.property(faultsArb, (f) => {
          const sc = scenario(f, name, sync);
          sc.expect = { checks: { durability: true } }; // run it even when no crash was drawn
          expect(failures(sc, crdt, name)).toEqual([]);
        }),
        { numRuns: 20 },
      );
    });
  }
});

/**
 * A spy op-based type: each op's effect carries the ids its origin had delivered (its causal
 * past); every replica records, at each effect, a duplicate or a missing dependency.
 */
type SpyState = { seen: Set<string>; violations: string[] };
const spy: OpCrdt<SpyState, string[], { delivered: number; violations: string[] }> = {
  kind: "op",
  name: "causal-spy",
  ops: [{ op: "tick" }],
  init: () => ({ seen: new Set(), violations: [] }),
  prepare: (s) => [...s.seen].sort(),
  effect(s, past, meta) {
    const id = `${meta.origin}:${meta.seq}`;
    if (s.seen.has(id)) s.violations.push(`${id} delivered twice`);
    for (const dep of past) if (!s.seen.has(dep)) s.violations.push(`${id} delivered before its dependency ${dep}`);
    s.seen.add(id);
    return s;
  },
  value: (s) => ({ delivered: s.seen.size, violations: s.violations }),
  clone: (s) => ({ seen: new Set(s.seen), violations: [...s.violations] }),
};

describe("op mode delivers exactly once and in causal order", () => {
  it("under random fault schedules (crashes and sync lag included)", () => {
    checkProperty(
      fc.property(faultsArb, (f) => {
        const sc = scenario(f, { module: "spy" }, { mode: "op" }, 15);
        const { summary } = runSimulation(sc, spy, { seed: f.seed, trace: false, crdtName: "causal-spy" });
        const finals = Object.values(summary.final) as { delivered: number; violations: string[] }[];
        for (const v of finals) expect(v.violations).toEqual([]);
        // Everything that survived was delivered everywhere, once.
        expect(new Set(finals.map((v) => v.delivered)).size).toBe(1);
        expect(summary.checks.filter((c) => !c.ok).map((c) => c.detail)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it("the spy does see violations when the layer's guarantees are switched off", () => {
    const f: Faults = {
      seed: 9,
      nodes: 3,
      skews: [0, 0, 0, 0],
      drifts: [0, 0, 0, 0],
      loss: 0.1,
      duplicate: 0.3,
      reorder: 0.3,
      hold: false,
      syncLag: 0,
      crashEvery: null,
      partitionEvery: 400,
      clockEvery: null,
      jumps: [],
      crashes: [],
    };
    const sc = scenario(f, { module: "spy" }, { mode: "op", dedup: false, causal: false }, 15);
    const { summary } = runSimulation(sc, spy, { seed: 9, trace: false, crdtName: "causal-spy" });
    const violations = (Object.values(summary.final) as { violations: string[] }[]).flatMap((v) => v.violations);
    expect(violations.some((v) => /delivered twice/.test(v))).toBe(true);
    expect(violations.some((v) => /before its dependency/.test(v))).toBe(true);
  });
});

describe("no-lost-writes and clocks", () => {
  it("physical-time LWW is caught losing a causally later write whenever the later writer's clock is far enough behind", () => {
    checkProperty(
      fc.property(
        fc.integer({ min: 0, max: 1000 }), // first write
        fc.integer({ min: 300, max: 3000 }), // gap to the causally later write
        fc.integer({ min: 1, max: 100_000 }), // how far beyond the gap bob's clock is behind
        fc.integer({ min: 1, max: 1_000_000 }),
        (t0, gap, extra, seed) => {
          const sc: Scenario = {
            name: "lww",
            nodes: ["alice", "bob"],
            duration: t0 + gap + 500,
            seed,
            crdt: { type: "lww-register", clock: "physical" },
            clocks: { bob: { skew: -(gap + extra) } },
            network: { latency: { dist: "uniform", min: 1, max: 100 } },
            steps: [
              { at: t0, node: "alice", op: "set", args: ["first"] },
              { at: t0 + gap, node: "bob", op: "set", args: ["later"] },
            ],
          };
          const physical = runSimulation(sc, resolveAnyBuiltin(sc.crdt as { type: string }), { seed, trace: false, crdtName: "lww-register" }).summary;
          const check = physical.checks.find((c) => c.name === "no-lost-writes")!;
          expect(check.ok).toBe(false);
          expect(check.detail).toMatch(/from alice's write alice:1 .*\(alice's clock read \d+\), but bob's write bob:1 of "later" .*\(bob's clock read -?\d+\) happened after it/);
          const hlcSpec = { type: "lww-register", clock: "hlc" };
          const hlc = runSimulation({ ...sc, crdt: hlcSpec }, resolveAnyBuiltin(hlcSpec), { seed, trace: false, crdtName: "lww-register" }).summary;
          expect(hlc.checks.find((c) => c.name === "no-lost-writes")!.ok).toBe(true);
          expect(Object.values(hlc.final)).toEqual(["later", "later"]);
        },
      ),
      { numRuns: 40 },
    );
  });

  for (const spec of [{ type: "lww-register", clock: "hlc" }, { type: "mv-register" }]) {
    it(`${spec.type}${"clock" in spec ? " (hlc)" : ""} is never flagged under random skew, drift, jumps and crashes`, () => {
      const crdt = resolveAnyBuiltin(spec);
      checkProperty(
        fc.property(faultsArb, (f) => {
          const sc = scenario(f, spec, { mode: "delta" }, 15);
          const { summary } = runSimulation(sc, crdt, { seed: f.seed, trace: false, crdtName: spec.type });
          const nlw = summary.checks.find((c) => c.name === "no-lost-writes")!;
          expect(nlw.ok, nlw.detail).toBe(true);
        }),
        { numRuns: 20 },
      );
    });
  }
});
