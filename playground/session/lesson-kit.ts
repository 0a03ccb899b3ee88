/** What every lesson is made of: its shape, the verdicts it reads from a run, its first session. */
import type { Run } from "../../sim/run-types.ts";
import type { CrdtSpec, Scenario } from "../../sim/scenario/types.ts";

export type Lesson = {
  id: string;
  title: string;
  /** What it teaches, in two sentences. */
  point: string;
  /** What to click to cause the anomaly. */
  task: string;
  start: Scenario;
  /** Whether this run shows the anomaly. */
  caused(scenario: Scenario, run: Run): boolean;
  /** The same session made safe: another CRDT, a clock, a protocol. */
  fix: { why: string; apply(s: Scenario): Scenario };
  /** Whether the fixed run kept what the anomaly lost. */
  fixed(scenario: Scenario, run: Run): boolean;
};

export const failed = (run: Run, check: string) => run.summary.checks.some((c) => c.name === check && !c.ok);
export const held = (run: Run, check: string) => run.summary.checks.some((c) => c.name === check && c.ok);

/** A lesson's first session: no steps yet, a network slow enough to watch. */
export const lessonStart = (name: string, nodes: string[], crdt: CrdtSpec, extra: Partial<Scenario> = {}): Scenario => ({
  name,
  seed: 1,
  nodes,
  crdt,
  sync: { antiEntropyMs: 500 },
  network: { latency: { dist: "uniform", min: 60, max: 200 } },
  steps: [],
  duration: 5000,
  ...extra,
});
