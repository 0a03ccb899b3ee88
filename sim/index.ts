/**
 * The simulator's public library API. `simulate` is the one-call entry point (validate, resolve
 * the CRDT, run); the loader pieces are exported for tools that need them separately (the CLI,
 * the explorer). Everything bad about a scenario surfaces as a ScenarioError.
 */
import type { Run } from "./run-types.ts";
import type { Scenario } from "./scenario/types.ts";
import { runSimulation } from "./engine/run-simulation.ts";
import { EventLimitError } from "./engine/errors.ts";
import { eventLimit, eventLimitIssue, type LimitOverrides } from "./scenario/limits.ts";
import { ScenarioError } from "./scenario/load-errors.ts";
import { loadScenario, prepareScenario, type LoadedScenario } from "./scenario/load.ts";

export type { CheckResult, Run, RunStats, ServiceTally, Summary, TraceEvent } from "./run-types.ts";
export type {
  ClockSpec, CrdtSpec, ExpectSpec, LatencySpec, LimitsSpec, NemesisSpec, NetworkSpec, PartitionShape, Scenario, SequencerWorkload,
  ServicesSpec, Step, StorageSpec, SyncSpec, TxnSpec, TxnWorkload, WorkloadSpec,
} from "./scenario/types.ts";
export { CHECK_NAMES } from "./checkers/index.ts";
export { ScenarioError, type ScenarioIssue } from "./scenario/load-errors.ts";
export {
  loadScenario, modulePathOf, parseScenario, portableScenario, prepareScenario, readScenarioFile, validateScenario, type LoadedScenario,
} from "./scenario/load.ts";
export { scenarioJsonSchema, scenarioSchema } from "./scenario/schema.ts";
export { DEFAULT_LIMITS, estimateEvents, type LimitOverrides } from "./scenario/limits.ts";

/** The seed used when neither the caller nor the scenario gives one: runs are reproducible by default. */
export const DEFAULT_SEED = 1;

export type SimulateOptions = {
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** Keep the canonical trace in the result (default true); checks and traceHash are the same without it. */
  trace?: boolean;
  /** Where a `{ "module": … }` CRDT path is resolved from when `scenario` is an object (default: cwd). */
  baseDir?: string;
  /** Bounds on the run's size; they win over the scenario's `limits` block (README, "Limits"). */
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
 * is stopped: both as a ScenarioError naming the field (README, "Limits").
 */
export function runLoaded(loaded: LoadedScenario, options: { seed?: number; trace?: boolean } = {}): Run {
  const seed = options.seed ?? loaded.scenario.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new ScenarioError(loaded.file, { path: "seed", reason: `the seed must be an integer, got ${seed}` });
  const trace = options.trace ?? true;
  const maxEvents = eventLimit(loaded.scenario, loaded.limits, trace);
  const fromDefault = loaded.limits.events === undefined && loaded.scenario.limits?.events === undefined;
  const tooBig = eventLimitIssue(loaded.scenario, maxEvents, fromDefault, trace);
  if (tooBig) throw new ScenarioError(loaded.file, tooBig);
  try {
    return runSimulation(loaded.scenario, loaded.crdt, { seed, trace, crdtName: loaded.crdtName, maxEvents });
  } catch (e) {
    if (e instanceof EventLimitError) throw new ScenarioError(loaded.file, { path: "limits.events", reason: e.message });
    throw e;
  }
}

// Finding bugs in any CRDT (README, "Finding bugs in your CRDT"): swarm exploration with
// shrinking, the law checker, and the must-fail canaries.
export {
  explore, DEFAULT_EXPLORE_RUNS, type ExploreFailure, type ExploreOptions, type ExploreResult,
} from "./explore/explore.ts";
export { swarmScenario, type SwarmOptions } from "./explore/swarm.ts";
export { shrink, type ShrinkResult } from "./explore/shrink.ts";
export { CANARIES, type Canary } from "./explore/canaries/index.ts";
export { sizeOf as scenarioSize } from "./explore/shrink.ts";
export { detailOf, judge, type Verdict } from "./explore/verdict.ts";
export { parseShard, type Shard } from "./explore/sweep.ts";
export { resolveTarget, specFor, targetRef, TargetError, type Target, type TargetRef } from "./explore/target.ts";
export {
  checkLaws, formatLawsFailure, DEFAULT_LAW_RUNS, type LawsFailure, type LawsOptions, type LawsResult,
} from "./laws/check-laws.ts";

// The CLI's plugin sandbox (cli/sandbox): a plugin runs in a worker thread that installs the
// thread sandbox and reports the method in progress through shared call slots. Plumbing for a
// host that runs untrusted plugins, as the CLI does; a library user calling simulate() needs none of it.
export { attachCallSlot, callSlotsBuffer, readSlot, slotCount, type SlotState } from "./plugin/call-slots.ts";
export { installThreadSandbox } from "./plugin/thread-sandbox.ts";
export { methodThatThrew, PluginError } from "./plugin/guard.ts";
