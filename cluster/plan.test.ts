// The schedule of a cluster run: drawn from the seed alone, the simulator's own workload, and
// written back as a scenario the simulator accepts; what the cluster cannot do is refused by name.
import { describe, expect, it } from "vitest";
import { prepareScenario, type Scenario } from "../sim/index.ts";
import { clusterSupport, planRun, scenarioOfPlan } from "./index.ts";

const base: Scenario = {
  name: "plan",
  nodes: ["a", "b", "c"],
  crdt: "pn-counter",
  clocks: { c: { skew: 500 } },
  steps: [
    { at: 100, partition: [["a"], ["b", "c"]] },
    { at: 200, clockJump: { node: "c", by: -300 } },
    { at: 900, heal: true },
  ],
  workload: { from: 0, to: 2000, ratePerNode: 10 },
  nemesis: { partitions: { every: 700, duration: [100, 300], shape: "ring" }, crashes: { every: 500, downtime: [100, 200] }, clocks: { every: 800, jump: [-50, 50] } },
  duration: 3000,
};

describe("planRun", () => {
  it("draws the same schedule from the same seed, and another from another", async () => {
    const { crdt } = await prepareScenario(base, { limits: {} });
    const one = planRun(base, 5, crdt.ops);
    expect(planRun(base, 5, crdt.ops)).toEqual(one);
    expect(planRun(base, 6, crdt.ops)).not.toEqual(one);
    const times = one.actions.map((a) => a.t);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(one.actions.filter((a) => a.kind === "op").length).toBeGreaterThan(30);
  });

  it("never crashes the last running node, and restarts each nemesis crash", async () => {
    const { crdt } = await prepareScenario(base, { limits: {} });
    for (const seed of [1, 2, 3, 4, 5]) {
      const down = new Set<string>();
      for (const a of planRun(base, seed, crdt.ops).actions) {
        if (a.kind === "crash") down.add(a.node);
        if (a.kind === "restart") down.delete(a.node);
        expect(down.size, `seed ${seed} at ${a.t}`).toBeLessThan(base.nodes.length);
      }
    }
  });

  it("keeps clock offsets cumulative: a jump adds to the skew before it", async () => {
    const { crdt } = await prepareScenario({ ...base, nemesis: {} }, { limits: {} });
    const plan = planRun({ ...base, nemesis: {} }, 1, crdt.ops);
    expect(plan.initialOffsets.c).toBe(500);
    expect(plan.actions.find((a) => a.kind === "clock")).toMatchObject({ node: "c", by: -300, offset: 200 });
  });

  it("writes the schedule as scripted steps the simulator accepts", async () => {
    const { crdt } = await prepareScenario(base, { limits: {} });
    const plan = planRun(base, 3, crdt.ops);
    const repro = scenarioOfPlan(base, plan);
    expect(repro.workload).toBeUndefined();
    expect(repro.nemesis).toBeUndefined();
    expect(repro.steps?.filter((s) => "op" in s).length).toBe(plan.actions.filter((a) => a.kind === "op").length);
    await expect(prepareScenario(repro, { limits: {} })).resolves.toBeTruthy();
  });
});

describe("clusterSupport", () => {
  it("refuses what a real cluster cannot do, naming the field, and lists approximations", () => {
    const s: Scenario = { ...base, crdt: "lseq", clocks: { a: { skew: 0, drift: 0.001 } }, network: { reorder: 0.2 }, sync: { mode: "state" } };
    const support = clusterSupport("x.json", s, "lseq");
    expect(support.refused).toEqual([
      "x.json: crdt: cluster mode does not run lseq yet (it runs g-set, or-set, g-counter, pn-counter, lww-register, mv-register)",
      "x.json: clocks.a.drift: a real node's clock cannot be made to drift (cluster mode sets clock offsets only: skew and jumps)",
    ]);
    // No antiEntropyMs: the simulator's default full-state round every 500 ms, which a node does as a digest.
    expect(support.approximated.map((a) => a.split(":")[0])).toEqual(["sync.mode", "sync.antiEntropy", "network.reorder/fifo", "restart"]);
    const digest = clusterSupport("x.json", { ...base, sync: { antiEntropy: "digest" }, steps: [{ at: 5, hold: 2 }] }, "pn-counter");
    expect(digest.approximated.map((a) => a.split(":")[0])).toEqual(["restart"]);
    expect(digest.refused).toEqual([
      "x.json: steps[0].hold: a step on one simulated message (its trace id) has no counterpart among a real run's messages (use network.loss, network.duplicate or a partition)",
    ]);
  });
});
