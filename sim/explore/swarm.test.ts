import { describe, expect, it } from "vitest";
import { crdts } from "../../core/registry.ts";
import { validateScenario } from "../scenario/load.ts";
import { semanticIssues } from "../scenario/load-semantics.ts";
import { swarmScenario } from "./swarm.ts";
import { CANARIES } from "./canaries/index.ts";

const targets = [
  { crdt: crdts["or-set"]!, spec: "or-set" },
  { crdt: crdts.record!, spec: "record" },
  { crdt: crdts["lww-map"]!, spec: "lww-map" },
  { crdt: CANARIES[0]!.crdt, spec: { module: "./canaries/adding-counter.ts" } },
];

describe("swarm scenarios", () => {
  it("are valid per the scenario schema and its cross-field rules, for every seed", () => {
    for (const t of targets)
      for (let seed = 1; seed <= 150; seed++) {
        const sc = swarmScenario(seed, t);
        expect(() => validateScenario(JSON.parse(JSON.stringify(sc)))).not.toThrow();
        expect(semanticIssues(sc)).toEqual([]);
      }
  });

  it("are a pure function of the seed (no wall clock, no Math.random)", () => {
    expect(swarmScenario(42, targets[0]!)).toEqual(swarmScenario(42, targets[0]!));
    expect(swarmScenario(42, targets[0]!)).not.toEqual(swarmScenario(43, targets[0]!));
  });

  it("vary everything the issue lists: node counts 2–7, sync modes, latencies, loss, duplication, every partition shape, crashes, pauses, skew, jumps", () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const sc = swarmScenario(seed, targets[0]!);
      seen.add(`nodes:${sc.nodes.length}`).add(`sync:${sc.sync?.mode}`).add(`latency:${sc.network?.latency?.dist}`);
      if (sc.network?.loss) seen.add("loss");
      if (sc.network?.duplicate) seen.add("duplicate");
      if (sc.network?.reorder) seen.add("reorder");
      if (sc.clocks) seen.add("skew");
      for (const s of sc.steps ?? []) {
        for (const k of ["crash", "restart", "pause", "resume", "clockJump", "partition", "cut", "heal"]) if (k in s) seen.add(k);
        if ("partition" in s && s.partition.length > 1) seen.add("partition:groups");
        if ("cut" in s && s.cut.some(([a, b]) => !s.cut.some(([c, d]) => c === b && d === a))) seen.add("cut:one-way");
      }
    }
    for (const n of [2, 3, 4, 5, 6, 7]) expect(seen).toContain(`nodes:${n}`);
    for (const x of [
      "sync:delta",
      "sync:state",
      "latency:constant",
      "latency:uniform",
      "latency:normal",
      "latency:exponential",
      "latency:pareto",
      "loss",
      "duplicate",
      "reorder",
      "skew",
      "crash",
      "restart",
      "pause",
      "resume",
      "clockJump",
      "partition",
      "partition:groups",
      "cut",
      "cut:one-way",
      "heal",
    ])
      expect(seen).toContain(x);
  });

  it("honours fixed nodes, duration and allFaults (the benchmark's shape)", () => {
    const sc = swarmScenario(3, targets[0]!, { nodes: 5, duration: 10_000, allFaults: true });
    expect(sc.nodes).toHaveLength(5);
    expect(sc.duration).toBe(10_000);
    expect(sc.network?.loss).toBeGreaterThan(0);
    expect(sc.steps!.some((s) => "crash" in s)).toBe(true);
  });

  it("generates ops only from the CRDT's alphabet, in time order", () => {
    const sc = swarmScenario(7, targets[0]!);
    const ops = sc.steps!.filter((s) => "op" in s);
    expect(ops.length).toBeGreaterThan(0);
    for (const s of ops) expect(["add", "remove"]).toContain((s as { op: string }).op);
    expect(sc.steps!.map((s) => s.at)).toEqual(sc.steps!.map((s) => s.at).sort((a, b) => a - b));
  });
});
