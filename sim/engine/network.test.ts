import { describe, expect, it } from "vitest";
import { gCounter } from "../../core/crdt/g-counter.ts";
import type { Scenario } from "../scenario/types.ts";
import { runSimulation } from "./run-simulation.ts";

const events = (sc: Scenario, seed = 1) => runSimulation(sc, gCounter, { seed, trace: true, crdtName: "g-counter" }).trace!.map((l) => JSON.parse(l));

/** a increments at t=100 while partitioned from b; heal at 500; anti-entropy off. */
function partitioned(mode: "drop" | "hold"): Scenario {
  return {
    name: "p",
    nodes: ["a", "b"],
    crdt: "g-counter",
    duration: 1000,
    sync: { antiEntropyMs: 0 },
    network: { latency: { dist: "constant", ms: 10 }, partitionMode: mode },
    steps: [
      { at: 50, partition: [["a"], ["b"]] },
      { at: 100, node: "a", op: "inc", args: [1] },
      { at: 500, heal: true },
    ],
  };
}

describe("partitions", () => {
  it("drop: a message sent across a partition is dropped and lost for good", () => {
    const evs = events(partitioned("drop"));
    expect(evs.find((e) => e.type === "drop")).toMatchObject({ t: 100, reason: "partition" });
    expect(evs.some((e) => e.type === "deliver")).toBe(false);
    expect(evs.at(-1)).toMatchObject({ type: "converged", ok: false, values: { a: 1, b: 0 } });
  });

  it("hold: it is held and released at heal, then delivered", () => {
    const evs = events(partitioned("hold"));
    const msg = evs.find((e) => e.type === "hold").msg;
    expect(evs.find((e) => e.type === "release")).toMatchObject({ t: 500, msg });
    expect(evs.find((e) => e.type === "deliver")).toMatchObject({ t: 510, msg, to: "b", value: 1 });
    expect(evs.at(-1)).toMatchObject({ type: "converged", ok: true });
  });

  it("a partition that starts while a message is in flight catches it at delivery", () => {
    const sc: Scenario = {
      ...partitioned("drop"),
      network: { latency: { dist: "constant", ms: 100 } },
      steps: [
        { at: 100, node: "a", op: "inc", args: [1] },
        { at: 150, partition: [["a"]] },
      ],
    };
    expect(events(sc).find((e) => e.type === "drop")).toMatchObject({ t: 200, reason: "partition" });
  });

  it("a one-way cut blocks a → b only", () => {
    const sc: Scenario = {
      name: "cut",
      nodes: ["a", "b"],
      crdt: "g-counter",
      duration: 1000,
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "constant", ms: 10 } },
      steps: [
        { at: 10, cut: [["a", "b"]] },
        { at: 100, node: "a", op: "inc", args: [1] },
        { at: 100, node: "b", op: "inc", args: [2] },
      ],
    };
    const evs = events(sc);
    expect(evs.filter((e) => e.type === "drop").length).toBe(1);
    expect(evs.find((e) => e.type === "deliver")).toMatchObject({ to: "a", from: "b", value: 3 });
  });

  it("unlisted nodes form one more group", () => {
    const sc: Scenario = {
      ...partitioned("drop"),
      nodes: ["a", "b", "c"],
      steps: [
        { at: 50, partition: [["a"]] },
        { at: 100, node: "b", op: "inc", args: [1] },
      ],
    };
    const evs = events(sc);
    expect(evs.find((e) => e.type === "partition").groups).toEqual([["a"], ["b", "c"]]);
    expect(evs.find((e) => e.type === "deliver")).toMatchObject({ to: "c", from: "b" });
    expect(evs.find((e) => e.type === "drop")).toBeDefined();
  });
});

describe("nodes and network faults", () => {
  const base: Scenario = {
    name: "n",
    nodes: ["a", "b"],
    crdt: "g-counter",
    duration: 2000,
    sync: { antiEntropyMs: 0 },
    network: { latency: { dist: "constant", ms: 100 } },
  };

  it("crash loses in-flight messages; restart keeps the durable state; anti-entropy catches up", () => {
    const sc: Scenario = {
      ...base,
      sync: { antiEntropyMs: 300 },
      steps: [
        { at: 10, node: "b", op: "inc", args: [5] },
        { at: 500, node: "a", op: "inc", args: [1] },
        { at: 550, crash: "b" },
        { at: 560, node: "b", op: "inc", args: [1] },
        { at: 900, restart: "b" },
      ],
    };
    const run = runSimulation(sc, gCounter, { seed: 1, trace: true, crdtName: "g-counter" });
    const evs = run.trace!.map((l) => JSON.parse(l));
    expect(evs.find((e) => e.type === "drop" && e.reason === "crash")).toMatchObject({ t: 600 });
    expect(evs.find((e) => e.type === "skip")).toMatchObject({ t: 560, node: "b", reason: "crashed" });
    expect(run.summary.final).toEqual({ a: 6, b: 6 });
    expect(run.summary.checks.every((c) => c.ok)).toBe(true);
  });

  it("pause keeps arriving messages and applies them at resume", () => {
    const sc: Scenario = {
      ...base,
      steps: [
        { at: 0, pause: "b" },
        { at: 10, node: "a", op: "inc", args: [2] },
        { at: 700, resume: "b" },
      ],
    };
    const evs = events(sc);
    expect(evs.find((e) => e.type === "deliver")).toMatchObject({ t: 700, to: "b", value: 2 });
  });

  it("messages waiting in a paused node's inbox and held by a partition survive the traffic that reuses delivered events", async () => {
    // A G-Set with anti-entropy off: every add reaches b only through its own delta, so a waiting
    // message overwritten by a later send (its event recycled too early) would be an element b never gets.
    const { gSet } = await import("../../core/crdt/g-set.ts");
    const sc: Scenario = {
      name: "recycle",
      nodes: ["a", "b", "c"],
      crdt: "g-set",
      duration: 2000,
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "uniform", min: 1, max: 30 }, partitionMode: "hold" },
      workload: { ratePerNode: 200, ops: [{ op: "add", args: [{ int: [1, 1_000_000] }] }] },
      steps: [
        { at: 100, pause: "b" },
        { at: 300, partition: [["a"], ["b", "c"]] },
        { at: 900, resume: "b" },
        { at: 1200, heal: true },
      ],
    };
    const run = runSimulation(sc, gSet, { seed: 3, trace: false, crdtName: "g-set" });
    const final = Object.values(run.summary.final) as number[][];
    expect(final[0]!.length).toBeGreaterThan(500);
    for (const v of final) expect(v).toEqual(final[0]);
    for (const c of run.summary.checks) expect(c, c.name).toMatchObject({ ok: true });
  });

  it("loss 1 drops everything; duplicate 1 delivers every message twice", () => {
    const ops: Scenario["steps"] = [
      { at: 0, node: "a", op: "inc", args: [1] },
      { at: 5, node: "a", op: "inc", args: [1] },
    ];
    const lost = events({ ...base, network: { loss: 1 }, steps: ops });
    expect(lost.filter((e) => e.type === "drop" && e.reason === "loss").length).toBe(2);
    const dup = events({ ...base, network: { duplicate: 1 }, steps: ops });
    expect(dup.filter((e) => e.type === "duplicate").length).toBe(2);
    expect(dup.filter((e) => e.type === "deliver").length).toBe(4);
  });

  it("FIFO: a message never overtakes an earlier one on the same link", () => {
    const steps = Array.from({ length: 30 }, (_, i) => ({ at: i, node: "a", op: "inc", args: [1] }));
    const order = (fifo: boolean) =>
      events({ ...base, network: { latency: { dist: "uniform", min: 1, max: 200 }, fifo }, steps })
        .filter((e) => e.type === "deliver")
        .map((e) => e.msg);
    const fifo = order(true);
    expect(fifo).toEqual([...fifo].sort((x, y) => x - y));
    const free = order(false);
    expect(free).not.toEqual([...free].sort((x, y) => x - y));
  });

  it("ctx.now() is the node's skewed, drifting, jumped clock", () => {
    const seen: number[] = [];
    const clockSpy = { ...gCounter, update: (s: any, op: any, ctx: any) => (seen.push(ctx.now()), gCounter.update(s, op, ctx)) };
    const sc: Scenario = {
      ...base,
      clocks: { a: { skew: -1000, drift: 0.01 } },
      steps: [
        { at: 100, node: "a", op: "inc", args: [1] },
        { at: 200, clockJump: { node: "a", by: 50 } },
        { at: 300, node: "a", op: "inc", args: [1] },
      ],
    };
    runSimulation(sc, clockSpy, { seed: 1, trace: false, crdtName: "g-counter" });
    expect(seen).toEqual([Math.round(100 * 1.01 - 1000), Math.round(300 * 1.01 - 1000) + 50]);
  });

  it("the nemesis partitions and heals on its schedule", () => {
    const sc: Scenario = { ...base, nodes: ["a", "b", "c", "d", "e"], nemesis: { partitions: { every: 400, duration: [100, 200], shape: "ring" } } };
    const evs = events(sc);
    const parts = evs.filter((e) => e.type === "partition");
    expect(parts.map((e) => e.t)).toEqual([400, 800, 1200, 1600, 2000]);
    expect(parts[0]).toMatchObject({ by: "nemesis", shape: "ring" });
    expect(parts[0].links.length).toBe(10); // 5 nodes, each reaching only its 2 ring neighbours
  });
});
