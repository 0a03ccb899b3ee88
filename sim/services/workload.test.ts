/** Random service workloads: Poisson requests per node, deterministic, unaffected by faults elsewhere. */
import { describe, expect, it } from "vitest";
import { gCounter } from "../../core/crdt/g-counter.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { validateScenario } from "../scenario/load.ts";
import type { Scenario } from "../scenario/types.ts";

const run = (sc: Scenario, seed = 1, trace = true) => runSimulation(validateScenario(sc), gCounter, { seed, trace, crdtName: "g-counter" });
const lines = (t: string[] | undefined) => (t ?? []).map((l) => JSON.parse(l) as { t: number; type: string; node?: string; event?: string; [k: string]: unknown });

const cap: Scenario = {
  name: "cap-workload",
  nodes: ["s", "a", "b", "c"],
  crdt: "g-counter",
  steps: [
    {
      at: 0,
      partition: [
        ["s", "a"],
        ["b", "c"],
      ],
    },
  ],
  services: { sequencer: { node: "s", timeoutMs: 300, retryMs: 50, workload: { ratePerNode: 10, nodes: ["a", "b"], to: 2500, names: ["invoice", "order"] } } },
  workload: { ratePerNode: 5, to: 2500 },
  duration: 3000,
};

describe("service workloads", () => {
  it("the sequencer's side is served, the other side times out, CRDT writes go on on both", () => {
    const r = run(cap);
    const av = r.summary.stats.availability!;
    const a = av.a!.sequencer as { attempted: number; succeeded: number; timedOut: number; unfinished: number };
    const b = av.b!.sequencer as typeof a;
    expect(a.attempted).toBeGreaterThan(10);
    expect(a).toMatchObject({ succeeded: a.attempted, timedOut: 0 });
    expect(b.attempted).toBeGreaterThan(10);
    expect(b).toMatchObject({ succeeded: 0, timedOut: b.attempted });
    expect(av.c).not.toHaveProperty("sequencer");
    for (const n of ["a", "b", "c"]) expect(av[n]!.crdtWrites).toBeGreaterThan(3);
    const names = new Set(
      lines(r.trace)
        .filter((e) => e.type === "seq" && e.event === "next")
        .map((e) => e.name),
    );
    expect(names).toEqual(new Set(["invoice", "order"]));
    expect(run(cap, 1, false).summary).toEqual(r.summary);
  });

  it("a crash of an asking node skips its arrivals while down, and they resume after the restart", () => {
    const r = run({
      ...cap,
      steps: [
        { at: 500, crash: "a" },
        { at: 1500, restart: "a" },
      ],
    });
    const asks = lines(r.trace)
      .filter((e) => e.type === "seq" && e.event === "next" && e.node === "a")
      .map((e) => e.t);
    expect(asks.some((t) => t < 500)).toBe(true);
    expect(asks.some((t) => t > 1500)).toBe(true);
    expect(asks.filter((t) => t > 500 && t < 1500)).toEqual([]);
  });

  it("random transactions: RAMP reads are atomic, and the write values name their writer", () => {
    const sc: Scenario = {
      name: "ramp-workload",
      nodes: ["a", "b", "s1", "s2", "s3"],
      crdt: "g-counter",
      network: { latency: { dist: "exponential", mean: 20, max: 300 }, loss: 0.1, duplicate: 0.1 },
      nemesis: { partitions: { every: 300, duration: [50, 250], shape: "random" } },
      services: { ramp: { shards: ["s1", "s2", "s3"], timeoutMs: 600, retryMs: 60, workload: { ratePerNode: 20, nodes: ["a", "b"], keys: ["x", "y", "z", "w"], reads: 0.6 } } },
      duration: 3000,
    };
    const r = run(sc, 5);
    const txns = lines(r.trace).filter((e) => e.type === "txn");
    expect(txns.filter((e) => e.event === "read-ok").length).toBeGreaterThan(20);
    for (const w of txns.filter((e) => e.event === "write")) for (const v of Object.values(w.writes as object)) expect(v).toMatch(new RegExp(`^${w.node}-\\d+$`));
    expect(r.summary.checks.find((c) => c.name === "read-atomic")).toMatchObject({ ok: true });
    const naive = run({ ...sc, services: { ramp: { ...sc.services!.ramp!, mode: "naive" } } }, 5);
    expect(naive.summary.checks.find((c) => c.name === "read-atomic")).toMatchObject({ ok: false });
  });
});
