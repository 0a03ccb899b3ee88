/**
 * A playground session is a scenario: every click of the learner becomes a step with a time, and
 * the run is recomputed from it. Going back in time is replaying the same inputs (the simulator
 * is deterministic), export is the scenario itself, and `memoconductor run` of it gives the hash
 * the page shows. These are the edits, pure functions from scenario to scenario.
 */
import type { CrdtSpec, Scenario, Step } from "../../sim/scenario/types.ts";

export const DEFAULT_NODES = ["alice", "bob", "carol"];
/** Virtual ms a fresh session runs for; a step placed later extends it. */
export const DEFAULT_DURATION = 6000;

export function emptySession(crdt: CrdtSpec, nodes: string[] = DEFAULT_NODES): Scenario {
  return {
    name: "playground",
    description: "A session made in the playground",
    seed: 1,
    nodes: [...nodes],
    crdt,
    sync: { antiEntropyMs: 500 },
    network: { latency: { dist: "uniform", min: 40, max: 160 } },
    steps: [],
    duration: DEFAULT_DURATION,
  };
}

/**
 * Adds a step at its time, after every step of the same time (so two clicks at one instant keep
 * their order); the session grows to hold a step placed past its end.
 */
export function addStep(s: Scenario, step: Step): Scenario {
  const at = Math.max(0, Math.round(step.at));
  const steps = [...(s.steps ?? [])];
  let i = steps.length;
  while (i > 0 && steps[i - 1]!.at > at) i--;
  steps.splice(i, 0, { ...step, at });
  return { ...s, steps, duration: Math.max(s.duration, at + 1000) };
}

export function removeStep(s: Scenario, index: number): Scenario {
  return { ...s, steps: (s.steps ?? []).filter((_, i) => i !== index) };
}

/** The same story with another CRDT: the lessons' "now the fix". */
export function withCrdt(s: Scenario, crdt: CrdtSpec): Scenario {
  return { ...s, crdt };
}

/** A node's physical clock offset from the start (ms; 0 takes the entry out). */
export function withSkew(s: Scenario, node: string, skew: number): Scenario {
  const clocks = { ...s.clocks };
  const { skew: _old, ...rest } = clocks[node] ?? {};
  if (skew === 0) {
    if (Object.keys(rest).length) clocks[node] = rest;
    else delete clocks[node];
  } else clocks[node] = { ...rest, skew: Math.round(skew) };
  const { clocks: _c, ...without } = s;
  return Object.keys(clocks).length ? { ...without, clocks } : without;
}

/** Steps of a partition: the selected nodes against the rest. */
export function partitionStep(at: number, nodes: readonly string[], side: ReadonlySet<string>): Step {
  const a = nodes.filter((n) => side.has(n));
  const b = nodes.filter((n) => !side.has(n));
  return { at, partition: [a, b] };
}
