/**
 * Issue 4's faults at the engine level: the clock nemesis and the clocks in the trace's meta
 * line, the crash nemesis, the disk (sync lag, acknowledgement, unsynced loss, recovery without
 * reissuing ids), and op mode's causal broadcast with its dedup/causal switches.
 */
import { describe, expect, it } from "vitest";
import type { Crdt } from "../../core/contract.ts";
import { gCounter } from "../../core/crdt/g-counter.ts";
import { opCounter } from "../../core/crdt/op-counter.ts";
import { opOrSet } from "../../core/crdt/op-or-set.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import { at } from "../../core/_test/at.ts";
import { without } from "../../core/_test/without.ts";
import type { Scenario, SyncSpec } from "../scenario/types.ts";
import { runSimulation } from "./run-simulation.ts";

const run = (sc: Scenario, crdt: Crdt, name: string, seed = 1) => runSimulation(sc, crdt, { seed, trace: true, crdtName: name });
const events = (r: { trace?: string[] }) => r.trace!.map((l) => JSON.parse(l));
type Checked = { summary: { checks: { name: string; ok: boolean; detail: string }[] } };
/** The run's check of that name; a run without it fails the test, naming what it had. */
const check = (r: Checked, name: string) => {
  const c = r.summary.checks.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no check "${name}" in this run (it has ${r.summary.checks.map((x) => x.name).join(", ")})`);
  return c;
};

describe("clocks", () => {
  it("the meta line carries each node's initial skew and drift (the timeline's lane labels)", () => {
    const sc: Scenario = { name: "m", nodes: ["a", "b"], crdt: "g-counter", duration: 100, clocks: { b: { skew: -60000, drift: 0.0001 } } };
    expect(events(run(sc, gCounter, "g-counter"))[0]).toMatchObject({ type: "meta", clocks: { a: { skew: 0, drift: 0 }, b: { skew: -60000, drift: 0.0001 } } });
    const plain = at(events(run(without(sc, "clocks"), gCounter, "g-counter")), 0);
    expect(plain.clocks).toBeUndefined();
  });

  it("the clock nemesis sets skews and steps clocks on its schedule, and ctx.now() follows", () => {
    const seen: number[] = [];
    const spy = { ...gCounter, update: (s: any, op: any, ctx: any) => (seen.push(ctx.now()), gCounter.update(s, op, ctx)) };
    const sc: Scenario = {
      name: "cn",
      nodes: ["a", "b", "c"],
      crdt: "g-counter",
      duration: 2000,
      nemesis: { clocks: { every: 250, skew: [-5000, 5000], jump: [-300, 300] } },
      workload: { ratePerNode: 5 },
    };
    const evs = events(run(sc, spy, "g-counter"));
    const clockEvents = evs.filter((e) => e.type === "clock-skew" || e.type === "clock-jump");
    expect(clockEvents.map((e) => e.t)).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(new Set(clockEvents.map((e) => e.type))).toEqual(new Set(["clock-skew", "clock-jump"]));
    for (const e of clockEvents) expect(e.source).toBe("nemesis");
    const skews = clockEvents.filter((e) => e.type === "clock-skew");
    for (const e of skews) expect(e.clock).toBe(e.t + e.skew);
    expect(seen.some((now, i) => i > 0 && Math.abs(now - seen[i - 1]!) > 1000)).toBe(true);
  });
});

describe("crashes and the disk", () => {
  const burst = (lag: number): Scenario => ({
    name: "burst",
    nodes: ["a", "b", "c"],
    crdt: "or-set",
    duration: 2000,
    storage: { syncLagMs: lag },
    network: { latency: { dist: "uniform", min: 5, max: 60 } },
    workload: {
      ratePerNode: 50,
      to: 1800,
      ops: [
        { op: "add", args: [{ int: [0, 9999] }], weight: 3 },
        { op: "remove", args: [{ int: [0, 9999] }] },
      ],
    },
    steps: [
      { at: 700, crash: "b" },
      { at: 900, restart: "b" },
      { at: 1300, crash: "a" },
      { at: 1301, restart: "a" },
    ],
  });

  it("without a sync lag every write is acknowledged at once and nothing is lost", () => {
    const r = run(burst(0), resolveAnyBuiltin("or-set"), "or-set");
    const evs = events(r);
    expect(evs.some((e) => e.type === "unsynced-lost")).toBe(false);
    expect(evs.some((e) => e.type === "ack")).toBe(false); // the update line is its own ack
    expect(check(r, "durability")).toMatchObject({ ok: true });
    expect(check(r, "durability").detail).toMatch(/0 unacknowledged updates lost/);
    expect(r.summary.ok).toBe(true);
  });

  it("with a sync lag: acks come at the group commit, unsynced writes die in the crash, acknowledged ones never", () => {
    const r = run(burst(100), resolveAnyBuiltin("or-set"), "or-set");
    const evs = events(r);
    const lost = evs.filter((e) => e.type === "unsynced-lost");
    expect(lost.length).toBeGreaterThan(0);
    const lostIds = lost.flatMap((e) => e.updates.map((id: [string, number]) => id.join(":")));
    // Every ack follows its update by at most the lag, and no lost update was ever acknowledged before its crash.
    const issued = new Map<string, number>();
    for (const e of evs) {
      if (e.type === "update") issued.set(e.id.join(":"), e.t);
      if (e.type === "ack") {
        const at = issued.get(e.id.join(":"))!;
        expect(e.t - at).toBeGreaterThanOrEqual(0);
        expect(e.t - at).toBeLessThanOrEqual(100);
      }
    }
    expect(lostIds.length).toBeGreaterThan(0);
    expect(check(r, "durability")).toMatchObject({ ok: true });
    expect(check(r, "add-wins")).toMatchObject({ ok: true });
    expect(check(r, "convergence")).toMatchObject({ ok: true });
    expect(r.summary.ok).toBe(true);
  });

  it("a restarted replica never reissues a dot a peer holds: the reissued ids carry fresh writes everywhere", () => {
    // Write-ahead: a write leaves its node only once durable, so whatever a crash can lose no
    // peer has seen, and the ids the restarted node issues again are unknown everywhere.
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const type of ["or-set", "mv-register", "g-counter"]) {
        const sc: Scenario = { ...burst(80), crdt: type, workload: { ratePerNode: 50, to: 1800 }, nemesis: { crashes: { every: 300, downtime: [0, 200] } } };
        const r = run(sc, resolveAnyBuiltin(type), type, seed);
        const failed = r.summary.checks.filter((c) => !c.ok);
        expect(failed, `${type} seed ${seed}`).toEqual([]);
      }
    }
  });

  it("the crash nemesis crashes and restarts nodes on its schedule, never the last one up", () => {
    const sc: Scenario = {
      name: "cx",
      nodes: ["a", "b"],
      crdt: "g-counter",
      duration: 3000,
      storage: { syncLagMs: 30 },
      nemesis: { crashes: { every: 200, downtime: [100, 1000] } },
      workload: { ratePerNode: 20 },
    };
    const r = run(sc, gCounter, "g-counter");
    const evs = events(r);
    const crashes = evs.filter((e) => e.type === "crash");
    expect(crashes.length).toBeGreaterThan(3);
    expect(crashes.every((e) => e.by === "nemesis")).toBe(true);
    let down = 0;
    for (const e of evs) {
      if (e.type === "crash") down++;
      if (e.type === "restart") down--;
      expect(down).toBeLessThan(2);
    }
    expect(r.summary.ok).toBe(true);
  });
});

describe("op mode: reliable causal broadcast", () => {
  const counter = (sync: SyncSpec): Scenario => ({
    name: "oc",
    nodes: ["a", "b", "c"],
    crdt: "op-counter",
    duration: 3000,
    sync,
    network: { latency: { dist: "uniform", min: 10, max: 120 }, duplicate: 0.3, loss: 0.1, reorder: 0.2 },
    workload: { ratePerNode: 10, to: 2500 },
  });

  it("an op-based counter under 30 % duplication and loss counts every op exactly once", () => {
    const r = run(counter({ mode: "op" }), opCounter, "op-counter");
    const evs = events(r);
    expect(evs[0]).toMatchObject({ sync: "op", dedup: true, causal: true });
    expect(evs.some((e) => e.type === "drop" && e.reason === "dedup")).toBe(true);
    expect(evs.some((e) => e.type === "send" && e.kind === "ops")).toBe(true); // retransmission
    expect(r.summary.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("without dedup it over-counts: counter-total and idempotence catch it", () => {
    const r = run(counter({ mode: "op", dedup: false }), opCounter, "op-counter");
    expect(check(r, "counter-total").ok).toBe(false);
    expect(check(r, "idempotence").ok).toBe(false);
    const issued = Number(/inc − dec = (-?\d+)/.exec(check(r, "counter-total").detail)![1]);
    expect((Object.values(r.summary.final) as number[]).some((v) => v > issued)).toBe(true);
  });

  it("causal: a remove that overtakes its add waits in the buffer; without causal order it is lost", () => {
    const sc: Scenario = {
      name: "oc",
      nodes: ["alice", "bob", "carol"],
      crdt: "op-or-set",
      duration: 1000,
      seed: 4,
      sync: { mode: "op", antiEntropyMs: 0 },
      network: { latency: { dist: "uniform", min: 5, max: 80 }, partitionMode: "hold" },
      steps: [
        { at: 100, cut: [["alice", "bob"]] },
        { at: 200, node: "alice", op: "add", args: ["milk"] },
        { at: 250, node: "alice", op: "remove", args: ["milk"] },
        { at: 300, heal: true },
      ],
    };
    const causal = run(sc, opOrSet, "op-or-set", 4);
    expect(events(causal).some((e) => e.type === "buffer" && e.to === "bob")).toBe(true);
    expect(causal.summary.final).toEqual({ alice: [], bob: [], carol: [] });
    expect(causal.summary.checks.filter((c) => !c.ok)).toEqual([]);
    const loose = run({ ...sc, sync: { mode: "op", antiEntropyMs: 0, causal: false } }, opOrSet, "op-or-set", 4);
    expect(loose.summary.final).toEqual({ alice: [], bob: ["milk"], carol: [] });
    expect(check(loose, "add-wins").ok).toBe(false);
  });

  it("a state-based type in sync mode op ships its deltas through the same layer", () => {
    const sc: Scenario = { ...counter({ mode: "op" }), crdt: "or-set", workload: { ratePerNode: 10, to: 2500 } };
    const r = run(sc, resolveAnyBuiltin("or-set"), "or-set");
    expect(
      events(r)
        .filter((e) => e.type === "send")
        .every((e) => ["op", "ops", "digest"].includes(e.kind)),
    ).toBe(true);
    expect(r.summary.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("an op-based type refuses state or delta mode", () => {
    expect(() => run({ ...counter({ mode: "delta" }) }, opCounter, "op-counter")).toThrow(/op-based.*sync mode "op" only/);
  });
});

describe("determinism of the new paths", () => {
  it("op mode, the disk and the nemeses: trace: false proves the same hash and summary", () => {
    const sc: Scenario = {
      name: "det",
      nodes: ["a", "b", "c"],
      crdt: "op-or-set",
      duration: 2000,
      sync: { mode: "op", antiEntropyMs: 200 },
      storage: { syncLagMs: 40 },
      network: { loss: 0.1, duplicate: 0.2, reorder: 0.2 },
      workload: { ratePerNode: 20 },
      nemesis: { crashes: { every: 300, downtime: [50, 300] }, clocks: { every: 250, skew: [-1000, 1000], jump: [-100, 100] } },
    };
    const traced = runSimulation(sc, opOrSet, { seed: 3, trace: true, crdtName: "op-or-set" });
    const bare = runSimulation(sc, opOrSet, { seed: 3, trace: false, crdtName: "op-or-set" });
    expect(bare.summary).toEqual(traced.summary);
    expect(runSimulation(sc, opOrSet, { seed: 3, trace: true, crdtName: "op-or-set" }).trace).toEqual(traced.trace);
  });
});
