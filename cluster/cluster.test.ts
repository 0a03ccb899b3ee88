// Cluster mode against real node processes on loopback (port 0, every wait bounded, every
// process stopped by runCluster's own finally): a partition and a kill -9 pass every check.
// An mv-register run decides no-lost-writes and passes; a node that acknowledges a rolled-back
// write (--test-drop-every) fails it; the physical-clock LWW scenario shows the anomaly on real
// processes. (The deliberately broken node failing durability: cli/cluster-command.test.ts.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Scenario } from "../sim/index.ts";
import type { ClusterRun } from "./index.ts";
import { removeWorkDirs, runOnLoopback } from "./_test/loopback.ts";

afterEach(removeWorkDirs);

const run = (scenario: Scenario, nodeArgs: string[] = []): Promise<ClusterRun> => runOnLoopback(scenario, 7, nodeArgs);

const verdicts = (r: ClusterRun) => Object.fromEntries(r.checks.map((c) => [c.name, c.ok]));

describe("memoconductor cluster", () => {
  it("a 3-node or-set cluster with a partition and a kill -9 passes every check", async () => {
    const r = await run({
      name: "cluster-or-set",
      nodes: ["a", "b", "c"],
      crdt: "or-set",
      sync: { mode: "delta", antiEntropyMs: 200 },
      network: { latency: { dist: "uniform", min: 1, max: 20 } },
      steps: [
        { at: 0, node: "a", op: "add", args: ["milk"] },
        { at: 400, partition: [["a"], ["b", "c"]] },
        { at: 500, node: "a", op: "remove", args: ["milk"] },
        { at: 600, node: "b", op: "add", args: ["milk"] },
        { at: 1000, crash: "b" },
        { at: 1400, restart: "b" },
        { at: 2000, heal: true },
      ],
      workload: { from: 0, to: 2500, ratePerNode: 8, ops: [{ op: "add", args: [{ int: [0, 1_000_000] }] }] },
      duration: 2600,
    });
    expect(r.history.some((h) => h.op === "add" && h.type === "ok")).toBe(true);
    expect(r.events.some((e) => e.type === "crash") && r.events.some((e) => e.type === "restart")).toBe(true);
    expect(r.checks.map((c) => `${c.name}: ${c.detail}`).filter((_, i) => !r.checks[i]!.ok)).toEqual([]);
    expect(verdicts(r)).toMatchObject({ convergence: true, "add-wins": true, durability: true });
    expect((r.finals.a as unknown[]).includes("milk")).toBe(true);
  }, 180_000);

  const register: Scenario = {
    name: "cluster-mv-register",
    nodes: ["a", "b", "c"],
    crdt: "mv-register",
    sync: { mode: "delta", antiEntropyMs: 200 },
    network: { latency: { dist: "uniform", min: 1, max: 20 } },
    steps: [
      { at: 300, partition: [["a"], ["b", "c"]] },
      { at: 700, crash: "c" },
      { at: 900, restart: "c" },
      { at: 1400, heal: true },
    ],
    workload: { from: 0, to: 2000, ratePerNode: 6, ops: [{ op: "set", args: [{ int: [0, 1_000_000] }] }] },
    duration: 2200,
  };

  it("an mv-register cluster with a partition and a kill -9: every acknowledged write is shown or superseded (no-lost-writes decided, and held)", async () => {
    const r = await run(register);
    const acked = r.history.filter((h) => h.op === "set" && h.type === "ok");
    expect(acked.length).toBeGreaterThan(5);
    expect(acked.every((h) => h.ack?.write?.dot !== undefined)).toBe(true);
    expect(r.history.filter((h) => h.op === "read" && h.state).length).toBe(3);
    expect(r.checks.map((c) => `${c.name}: ${c.detail}`).filter((_, i) => !r.checks[i]!.ok)).toEqual([]);
    expect(verdicts(r)).toMatchObject({ convergence: true, "no-lost-writes": true });
    expect(r.support.notChecked.some((c) => c.startsWith("no-lost-writes"))).toBe(false);
  }, 180_000);

  it("a node that acknowledges a write it rolled back (--test-drop-every 3): no-lost-writes fails, naming the write", async () => {
    const r = await run({ ...register, name: "cluster-mv-register-broken" }, ["--test-drop-every=3"]);
    const c = r.checks.find((x) => x.name === "no-lost-writes")!;
    expect(c.ok, c.detail).toBe(false);
    expect(c.detail).toMatch(/lost/);
  }, 180_000);

  it("lww-clock-skew-physical on real processes: bob's write, made after alice's but stamped a minute behind, is lost and no-lost-writes names it", async () => {
    const scenario = JSON.parse(readFileSync(fileURLToPath(new URL("../scenarios/lww-clock-skew-physical.json", import.meta.url)), "utf8")) as Scenario;
    const r = await run(scenario);
    const c = r.checks.find((x) => x.name === "no-lost-writes")!;
    expect(c).toMatchObject({ ok: false, expected: false });
    expect(c.detail).toMatch(/happened after it .* no effect/);
    expect(r.finals).toMatchObject({ alice: "ana@old.example", bob: "ana@old.example", server: "ana@old.example" });
  }, 180_000);
});
