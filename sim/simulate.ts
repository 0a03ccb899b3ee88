/**
 * `simulate`, the one-call entry point (validate, resolve the CRDT, run), and `runLoaded` for a
 * scenario already loaded. Kept apart from sim/index.ts, which also exports the explorer and the
 * law checker (fast-check): the CLI's `run` imports this module and starts without them.
 */
import type { Run } from "./run-types.ts";
import type { Scenario } from "./scenario/types.ts";
import { runSimulation } from "./engine/run-simulation.ts";
import { TraceFileWriter } from "./trace-format/file.ts";
import { EventLimitError } from "./engine/errors.ts";
import { eventLimit, eventLimitIssue, type LimitOverrides } from "./scenario/limits.ts";
import { ScenarioError } from "./scenario/load-errors.ts";
import { loadScenario, prepareScenario, type LoadedScenario } from "./scenario/load.ts";

// What loading and running need, and nothing of the explorer or the law checker: the public entry
// for a tool that must start at once (the CLI's run, replay and list). sim/index.ts re-exports all of it.
export type { Run } from "./run-types.ts";
export type { Scenario } from "./scenario/types.ts";
export type { LimitOverrides } from "./scenario/limits.ts";
export { ScenarioError } from "./scenario/load-errors.ts";
// The plugin supervisor's call slots: `run` of a plugin scenario watches them from the main thread.
export { callSlotsBuffer, readSlot, slotCount, type SlotState } from "./plugin/call-slots.ts";
// The thread CPU clock and the worker bundler are Node-only: sim/node-only.ts.
export { modulePathOf, parseScenario, portableScenario, prepareScenario, readScenarioFile } from "./scenario/load.ts";
export { traceFileLines, type TraceFileInfo } from "./trace-format/file.ts";
export { TraceFormatError } from "./trace-format/decode.ts";

/** The seed used when neither the caller nor the scenario gives one: runs are reproducible by default. */
export const DEFAULT_SEED = 1;

export type SimulateOptions = {
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** Keep the canonical trace in the result (default true); checks and traceHash are the same without it. */
  trace?: boolean;
  /**
   * Stream the trace to this file as the run goes (the compact format, docs/reading-a-run.md)
   * instead of keeping it in the result: a long run's memory then does not grow with its length.
   */
  traceFile?: string;
  /** Where a `{ "module": … }` CRDT path is resolved from when `scenario` is an object (default: cwd). */
  baseDir?: string;
  /** Bounds on the run's size; they win over the scenario's `limits` block (docs/limits.md). */
  limits?: LimitOverrides;
};

/**
 * Runs a scenario — an object, or the path of a scenario file (a plugin path then resolves
 * relative to that file) — and returns the summary and trace. Rejects with a ScenarioError
 * when the scenario is invalid; a run whose checks fail resolves normally with `summary.ok` false.
 */
export async function simulate(scenario: Scenario | string, options: SimulateOptions = {}): Promise<Run> {
  const loaded =
    typeof scenario === "string"
      ? await loadScenario(scenario, { limits: options.limits ?? {} })
      : await prepareScenario(scenario, { limits: options.limits ?? {}, ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }) });
  return runLoaded(loaded, options);
}

/**
 * Runs an already loaded scenario (what the CLI does after loadScenario). A run whose estimated
 * size is over its event limit is refused before it starts, and one that passes the limit anyway
 * is stopped: both as a ScenarioError naming the field (docs/limits.md).
 */
export function runLoaded(loaded: LoadedScenario, options: { seed?: number; trace?: boolean; traceFile?: string } = {}): Run {
  const trace = options.trace ?? true;
  const { seed, maxEvents } = runBounds(loaded, options.seed, trace);
  // Streamed as the run goes: a run stopped half-way leaves the file without its trailer.
  const file = trace && options.traceFile !== undefined ? new TraceFileWriter(options.traceFile, loaded.scenario.nodes) : null;
  try {
    const run = runSimulation(loaded.scenario, loaded.crdt, { seed, trace, crdtName: loaded.crdtName, maxEvents, ...(file ? { traceSink: file.sink } : {}) });
    if (!file) return run;
    file.end();
    return { ...run, traceFile: file.file };
  } catch (e) {
    file?.close();
    throw asScenarioError(e, loaded.file);
  }
}

/**
 * The seed and the event limit of a run of `loaded`; a ScenarioError naming the field when the
 * seed is not an integer or the run's estimated size is over its limit (also the playground's, run-session.ts).
 */
export function runBounds(loaded: LoadedScenario, seedOverride: number | undefined, trace: boolean): { seed: number; maxEvents: number } {
  const seed = seedOverride ?? loaded.scenario.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new ScenarioError(loaded.file, { path: "seed", reason: `the seed must be an integer, got ${seed}` });
  const maxEvents = eventLimit(loaded.scenario, loaded.limits, trace);
  const fromDefault = loaded.limits.events === undefined && loaded.scenario.limits?.events === undefined;
  const tooBig = eventLimitIssue(loaded.scenario, maxEvents, fromDefault, trace);
  if (tooBig) throw new ScenarioError(loaded.file, tooBig);
  return { seed, maxEvents };
}

/** A run stopped at its event limit, as the ScenarioError naming `limits.events`; any other error as it is. */
export function asScenarioError(e: unknown, file: string): unknown {
  return e instanceof EventLimitError ? new ScenarioError(file, { path: "limits.events", reason: e.message }) : e;
}
