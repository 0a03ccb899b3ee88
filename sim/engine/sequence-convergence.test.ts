/**
 * The sequence types (rga, lseq) in the simulator: 3–4 replicas insert and delete at the same
 * index concurrently — partitioned into random groups, over a network that loses, duplicates
 * and reorders messages, in delta and state sync, with a partition nemesis on top — and every
 * run converges (all replicas equal after the heal), is strongly convergent (replicas that
 * applied the same updates always show the same text), idempotent and order-independent.
 * For RGA, runs typed concurrently at one place never interleave, even when keystrokes are lost
 * and retransmitted by anti-entropy. A failure prints the fast-check seed and replay command.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import type { Scenario, Step } from "../scenario/types.ts";
import { runSimulation } from "./run-simulation.ts";

const NODES = ["n1", "n2", "n3", "n4"];
const ROUND = 400; // ms per round: partition, concurrent edits, heal
const BASE = "ABCDEFGH";

type Edit = { ins: boolean; text: string; n: number };
type Round = { groups: number[]; index: number; edits: Edit[][]; heal: boolean };
type Net = { seed: number; nodes: number; loss: number; duplicate: number; reorder: number; hold: boolean; mode: "delta" | "state"; nemesis: boolean };

const netArb: fc.Arbitrary<Net> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  nodes: fc.integer({ min: 3, max: 4 }),
  loss: fc.constantFrom(0, 0.1, 0.3),
  duplicate: fc.constantFrom(0, 0.1, 0.3),
  reorder: fc.constantFrom(0, 0.2),
  hold: fc.boolean(),
  mode: fc.constantFrom("delta" as const, "state" as const),
  nemesis: fc.boolean(),
});

const editArb: fc.Arbitrary<Edit> = fc.record({
  ins: fc.boolean(),
  text: fc.string({ unit: fc.constantFrom(..."xyz"), minLength: 1, maxLength: 3 }),
  n: fc.integer({ min: 1, max: 3 }),
});

const roundArb: fc.Arbitrary<Round> = fc.record({
  groups: fc.array(fc.nat(2), { minLength: 4, maxLength: 4 }),
  index: fc.nat(9),
  edits: fc.array(fc.array(editArb, { maxLength: 3 }), { minLength: 4, maxLength: 4 }),
  heal: fc.boolean(),
});

function network(net: Net): Pick<Scenario, "network" | "sync" | "nemesis" | "seed"> {
  return {
    seed: net.seed,
    sync: { mode: net.mode, antiEntropyMs: 150 },
    network: { latency: { dist: "uniform", min: 2, max: 60 }, loss: net.loss, duplicate: net.duplicate, reorder: net.reorder, partitionMode: net.hold ? "hold" : "drop" },
    nemesis: net.nemesis ? { partitions: { every: 350, duration: [80, 300], shape: "random" } } : {},
  };
}

/** A base text, then rounds in which every node edits at one shared index while partitioned. */
function editScenario(crdt: string, net: Net, rounds: Round[]): Scenario {
  const nodes = NODES.slice(0, net.nodes);
  const steps: Step[] = [{ at: 0, node: "n1", op: "insert", args: [0, BASE] }];
  rounds.forEach((r, k) => {
    const t0 = 200 + k * ROUND;
    const groups = [0, 1, 2].map((g) => nodes.filter((_, i) => r.groups[i] === g)).filter((g) => g.length > 0);
    steps.push({ at: t0, partition: groups });
    nodes.forEach((node, i) =>
      r.edits[i]!.forEach((e, j) => steps.push({ at: t0 + 20 + 30 * j + i, node, op: e.ins ? "insert" : "delete", args: [r.index, e.ins ? e.text : e.n] })),
    );
    if (r.heal) steps.push({ at: t0 + 300, heal: true });
  });
  steps.sort((a, b) => a.at - b.at);
  return { name: `${crdt}-same-index`, nodes, crdt, ...network(net), steps, duration: 200 + rounds.length * ROUND + 200 };
}

function run(sc: Scenario) {
  const { summary } = runSimulation(sc, resolveAnyBuiltin(sc.crdt as string), { seed: sc.seed!, trace: false, crdtName: sc.crdt as string });
  return summary;
}

const CHECKS = ["convergence", "strong-convergence", "idempotence", "order-independence"];

for (const crdt of ["rga", "lseq"]) {
  describe(`${crdt} in the simulator`, () => {
    it("concurrent inserts and deletes at the same index on 3–4 replicas, with partitions, loss, duplication and reordering, converge strongly", () => {
      checkProperty(
        fc.property(netArb, fc.array(roundArb, { minLength: 1, maxLength: 3 }), (net, rounds) => {
          const summary = run(editScenario(crdt, net, rounds));
          const byName = new Map(summary.checks.map((c) => [c.name, c]));
          for (const name of CHECKS) expect(byName.get(name)?.ok, `${name}: ${byName.get(name)?.detail}`).toBe(true);
          expect(summary.checks.filter((c) => c.ok !== c.expected).map((c) => c.detail)).toEqual([]);
          const values = Object.values(summary.final);
          expect(new Set(values).size).toBe(1);
        }),
        { numRuns: 100 },
      );
    });
  });
}

/**
 * Three (or four) typists, each alone in a partition, type distinct letters at one position of
 * a shared text, forwards (each keystroke after the previous one) or backwards (each at the
 * same index, before the previous one). After the heal every replica shows each typist's run
 * as one block and the base text intact.
 */
describe("rga in the simulator: concurrently typed runs never interleave", () => {
  const typistArb = fc.record({ len: fc.integer({ min: 1, max: 6 }), back: fc.boolean() });
  it("typists partitioned from each other, over a lossy, duplicating network", () => {
    checkProperty(
      fc.property(netArb, fc.array(typistArb, { minLength: 3, maxLength: 4 }), fc.nat(BASE.length), (net, typists, at) => {
        const nodes = NODES.slice(0, typists.length);
        // The base is everywhere before the split (no loss yet: the faults start with the partition).
        const steps: Step[] = [
          { at: 0, node: "n1", op: "insert", args: [0, BASE] },
          { at: 300, partition: nodes.map((n) => [n]) },
        ];
        const words = typists.map((t, k) => "pqrs"[k]!.repeat(t.len));
        typists.forEach((t, k) => {
          for (let i = 0; i < t.len; i++) steps.push({ at: 320 + 25 * i + k, node: nodes[k]!, op: "insert", args: [t.back ? at : at + i, "pqrs"[k]!] });
        });
        steps.push({ at: 600, heal: true });
        steps.sort((a, b) => a.at - b.at);
        const base = network(net);
        const sc: Scenario = {
          name: "rga-typists",
          nodes,
          crdt: "rga",
          ...base,
          steps,
          duration: 900,
          // Reliable until the partition so that every typist starts from the same text.
          network: { ...base.network, loss: 0, latency: { dist: "constant", ms: 5 } },
          nemesis: {},
        };
        const lossy: Scenario = { ...sc, network: { ...base.network } };
        for (const s of [sc, lossy]) {
          const summary = run(s);
          expect(summary.checks.filter((c) => c.ok !== c.expected).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
          for (const v of Object.values(summary.final) as string[]) {
            expect(v.length).toBe(BASE.length + words.join("").length);
            for (const w of words) expect(v, `run ${w} interleaved`).toContain(w);
            expect(v.replace(/[pqrs]/g, "")).toBe(BASE);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
