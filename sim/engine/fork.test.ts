/**
 * A fork retargeted to an edited scenario is, event for event, the edited scenario's own run at
 * that instant: the same agenda (times and sequence numbers, so ties break alike), the same
 * counters; and a fork runs on without touching the run it was taken from. (The playground's
 * property test, playground/session/incremental.test.ts, compares whole traces.)
 */
import { describe, expect, it } from "vitest";
import { resolveBuiltin } from "../../core/registry.ts";
import { validateScenario } from "../scenario/load.ts";
import type { Scenario } from "../scenario/types.ts";
import { EvKind } from "./event.ts";
import { editTime, forkSimulator, retarget, Unforkable } from "./fork.ts";
import { finishSimulation, startSimulation } from "./run-simulation.ts";
import type { Simulator } from "./simulator.ts";

const crdt = resolveBuiltin("or-set");
const base: Scenario = validateScenario(
  {
    name: "fork",
    seed: 5,
    nodes: ["a", "b", "c"],
    crdt: "or-set",
    sync: { antiEntropyMs: 100 },
    network: { latency: { dist: "uniform", min: 10, max: 60 } },
    workload: { ratePerNode: 30, from: 0, to: 2000 },
    steps: [
      { at: 100, node: "a", op: "add", args: ["x"] },
      { at: 700, partition: [["a"], ["b", "c"]] },
      { at: 900, node: "b", op: "remove", args: ["x"] },
      { at: 1200, heal: true },
    ],
    duration: 2000,
  },
  { file: "<test>" },
);
const start = (s: Scenario) => startSimulation(s, crdt, { seed: 5, trace: true, crdtName: "or-set", maxEvents: 1e6 }, (sim) => sim.trace.hash.keepFeed());
const agenda = (sim: Simulator) => [...sim.agenda.items()].sort((x, y) => x.t - y.t || x.seq - y.seq).map((e) => [e.t, e.seq, e.kind, e.node, e.kind === EvKind.Step ? e.id : -1]);

describe("forking a run", () => {
  const edits: [string, Scenario][] = [
    ["a step added", { ...base, steps: [...base.steps!.slice(0, 2), { at: 800, node: "c", op: "add", args: ["y"] }, ...base.steps!.slice(2)] }],
    ["a step removed", { ...base, steps: base.steps!.filter((_, i) => i !== 2) }],
    ["a longer duration", { ...base, duration: 3000 }],
  ];
  for (const [what, next] of edits) {
    it(`${what}: the retargeted fork is the edited run at that instant, and ends as it does`, () => {
      const at = Math.min(650, editTime(base, next) - 1);
      const sim = start(base);
      sim.loop(at);
      const fork = forkSimulator(sim);
      retarget(fork, next, at, 1e6);
      const fresh = start(next);
      fresh.loop(at);
      expect(agenda(fork)).toEqual(agenda(fresh));
      expect(fork.agenda.seqNext).toBe(fresh.agenda.seqNext);
      expect(fork.stats).toEqual(fresh.stats);
      fork.loop(next.duration);
      fresh.loop(next.duration);
      expect(finishSimulation(fork)).toEqual(finishSimulation(fresh));
      // The original goes on as if never forked.
      sim.loop(base.duration);
      const again = start(base);
      again.loop(base.duration);
      expect(finishSimulation(sim)).toEqual(finishSimulation(again));
    });
  }

  it("refuses an edit at or before the fork's instant, and a change beyond the steps", () => {
    const sim = start(base);
    sim.loop(1000);
    expect(() => retarget(forkSimulator(sim), { ...base, steps: base.steps!.slice(1) }, 1000, 1e6)).toThrow(Unforkable);
    expect(() => retarget(forkSimulator(sim), { ...base, seed: 6 }, 1000, 1e6)).toThrow(Unforkable);
  });
});
