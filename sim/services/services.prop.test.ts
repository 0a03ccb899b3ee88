/**
 * Properties of the services under random fault schedules (crashes of any node — the sequencer
 * and the shards included — partitions of every shape, loss, duplication, reordering, hold or
 * drop, disk sync lag): sequencer numbers are unique and monotonic; RAMP reads are never
 * fractured and committed transactions survive shard crashes. And the checker is not blind:
 * naive mode is caught fracturing on some schedule.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { gCounter } from "../../core/crdt/g-counter.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { validateScenario } from "../scenario/load.ts";
import type { Scenario, Step } from "../scenario/types.ts";

const DURATION = 2500;

const faults = fc.record({
  network: fc.record({
    latency: fc.constant({ dist: "exponential" as const, mean: 15, max: 200 }),
    loss: fc.constantFrom(0, 0.1, 0.3),
    duplicate: fc.constantFrom(0, 0.2, 0.5),
    reorder: fc.constantFrom(0, 0.2),
    partitionMode: fc.constantFrom("drop" as const, "hold" as const),
  }),
  storage: fc.record({ syncLagMs: fc.constantFrom(0, 5, 30) }),
  nemesis: fc.record({
    partitions: fc.record({
      every: fc.integer({ min: 100, max: 600 }),
      duration: fc.constant<[number, number]>([50, 400]),
      shape: fc.constantFrom("random" as const, "one" as const, "halves" as const, "one-way" as const),
    }),
    crashes: fc.record({ every: fc.integer({ min: 150, max: 800 }), downtime: fc.constant<[number, number]>([20, 300]) }),
  }),
});

/** Pauses and resumes of any node (a paused process keeps its messages and timers for later). */
const pauses = (nodes: string[]) => fc.oneof(fc.record({ pause: fc.constantFrom(...nodes) }), fc.record({ resume: fc.constantFrom(...nodes) }));
const withPauses = <T>(step: fc.Arbitrary<T>, nodes: string[]) =>
  fc.oneof({ weight: 6, arbitrary: step as fc.Arbitrary<object> }, { weight: 1, arbitrary: pauses(nodes) as fc.Arbitrary<object> }) as fc.Arbitrary<Omit<Step, "at">>;

/** `count` steps at random times in [0, DURATION - 200], sorted (the loader wants them ordered). */
function timed(step: fc.Arbitrary<Omit<Step, "at">>, count: number): fc.Arbitrary<Step[]> {
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: DURATION - 200 }), step), { minLength: 1, maxLength: count })
    .map((xs) => xs.sort((a, b) => a[0] - b[0]).map(([at, s]) => ({ at, ...s }) as Step));
}

const run = (sc: Scenario, seed: number) => runSimulation(validateScenario(sc), gCounter, { seed, trace: false, crdtName: "g-counter" }).summary;
const verdict = (summary: ReturnType<typeof run>, name: string) => summary.checks.find((c) => c.name === name)!;

describe("sequencer under random faults", () => {
  it("numbers are unique and monotonic whatever crashes, partitions, loss and duplication do", () => {
    const nodes = ["s", "a", "b", "c"];
    const ask = fc.record({ node: fc.constantFrom(...nodes), next: fc.constantFrom("invoice", "order") });
    checkProperty(
      fc.property(faults, timed(withPauses(ask, nodes), 30), fc.integer({ min: 1, max: 1e6 }), (f, steps, seed) => {
        const summary = run(
          { name: "seq-prop", nodes, crdt: "g-counter", ...f, services: { sequencer: { node: "s", timeoutMs: 400, retryMs: 40 } }, steps, duration: DURATION },
          seed,
        );
        for (const name of ["sequencer-unique", "sequencer-monotonic"]) expect(verdict(summary, name), name).toMatchObject({ ok: true });
        // Every request is accounted for: answered, timed out, or unfinished (crash / end of run).
        const asked = Object.values(summary.stats.availability!).reduce((n, a) => n + ((a.sequencer as { attempted: number } | undefined)?.attempted ?? 0), 0);
        expect(asked).toBeLessThanOrEqual(steps.filter((s) => "next" in s).length);
      }),
      { numRuns: 60 },
    );
  });
});

const KEYS = ["x", "y", "z", "w"];
const rampNodes = ["a", "b", "s1", "s2", "s3"];
const txn = fc.oneof(
  fc.record({
    node: fc.constantFrom("a", "b", "s1"),
    txn: fc.record({ write: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 4 }).map((ks) => Object.fromEntries(ks.map((k) => [k, k]))) }),
  }),
  fc.record({ node: fc.constantFrom("a", "b", "s2"), txn: fc.record({ read: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 2, maxLength: 4 }) }) }),
);
type Faults = typeof faults extends fc.Arbitrary<infer T> ? T : never;
const rampScenario = (mode: "ramp" | "naive", f: Faults, steps: Step[]): Scenario => ({
  name: "ramp-prop",
  nodes: rampNodes,
  crdt: "g-counter",
  ...f,
  services: { ramp: { shards: ["s1", "s2", "s3"], mode, timeoutMs: 500, retryMs: 50 } },
  steps,
  duration: DURATION,
});

describe("RAMP under random faults", () => {
  it("never returns a fractured read, and never loses a committed transaction", () => {
    checkProperty(
      fc.property(faults, timed(withPauses(txn, rampNodes), 40), fc.integer({ min: 1, max: 1e6 }), (f, steps, seed) => {
        const summary = run(rampScenario("ramp", f, steps), seed);
        expect(verdict(summary, "read-atomic")).toMatchObject({ ok: true });
        // The crash nemesis makes durability run: the shards' recovered storage holds every committed transaction.
        expect(verdict(summary, "durability")).toMatchObject({ ok: true });
        expect(verdict(summary, "durability").detail).toMatch(/RAMP: \d+ committed transaction/);
      }),
      { numRuns: 60 },
    );
  });

  it("naive mode is caught fracturing on some schedule (the checker is not blind)", () => {
    const details = fc.check(
      fc.property(faults, timed(txn, 40), fc.integer({ min: 1, max: 1e6 }), (f, steps, seed) => verdict(run(rampScenario("naive", f, steps), seed), "read-atomic").ok),
      { numRuns: 200, seed: 42 },
    );
    expect(details.failed).toBe(true);
    const [f, steps, seed] = details.counterexample!;
    expect(verdict(run(rampScenario("naive", f, steps), seed), "read-atomic").detail).toMatch(/^t=\d+ \(history event \d+\): fractured read/);
  });
});
