/**
 * The simulator's public library API. `simulate` is the one-call entry point (validate, resolve
 * the CRDT, run); the loader pieces are exported for tools that need them separately (the CLI,
 * the explorer). Everything bad about a scenario surfaces as a ScenarioError.
 */
export type { CheckAt, CheckResult, Run, RunStats, ServiceTally, Summary, TraceEvent } from "./run-types.ts";
// Each line of trace.jsonl, by type (TraceEvent is their union).
export type {
  AckEvent,
  BufferEvent,
  ClockJumpEvent,
  ClockSkewEvent,
  ConvergedEvent,
  CutEvent,
  DeliverEvent,
  DropEvent,
  DropReason,
  DuplicateEvent,
  FaultCause,
  HealEvent,
  HoldEvent,
  LostEvent,
  MetaEvent,
  NodeEvent,
  PartitionEvent,
  SendEvent,
  SequencerEvent,
  SkipEvent,
  SqlErrorEvent,
  TransactionEvent,
  UpdateEvent,
  VV,
} from "./run-types.ts";
export type { Side, Violation } from "./laws/evaluate.ts";
export type { Method, METHODS } from "./plugin/call-slots.ts";
export type { EventSource } from "./scenario/limits.ts";
export type { LoadOptions, PrepareOptions, ValidateOptions } from "./scenario/load.ts";
export type { ShrinkOptions } from "./explore/shrink.ts";
export type { SwarmTarget } from "./explore/swarm.ts";
export type {
  ClockSpec,
  CrdtSpec,
  ExpectSpec,
  LatencySpec,
  LimitsSpec,
  NemesisSpec,
  MessageFatesSpec,
  MessageRef,
  NetworkSpec,
  PartitionShape,
  Scenario,
  SequencerWorkload,
  ServicesSpec,
  Step,
  StorageSpec,
  SyncSpec,
  TxnSpec,
  TxnWorkload,
  WorkloadSpec,
} from "./scenario/types.ts";
export { CHECK_NAMES } from "./checkers/index.ts";
export { ScenarioError, type ScenarioIssue } from "./scenario/load-errors.ts";
export { loadScenario, modulePathOf, parseScenario, portableScenario, prepareScenario, readScenarioFile, validateScenario, type LoadedScenario } from "./scenario/load.ts";
export { scenarioJsonSchema, scenarioSchema } from "./scenario/schema.ts";
export { DEFAULT_ANTI_ENTROPY_MS, DEFAULT_LIMITS, estimateEvents, type LimitOverrides } from "./scenario/limits.ts";

export { DEFAULT_SEED, runLoaded, simulate, traceFileLines, TraceFormatError, type SimulateOptions, type TraceFileInfo } from "./simulate.ts";

// Finding bugs in any CRDT (docs/finding-bugs.md): swarm exploration with
// shrinking, the law checker, and the must-fail canaries.
export { explore, DEFAULT_EXPLORE_RUNS, type ExploreFailure, type ExploreOptions, type ExploreResult } from "./explore/explore.ts";
export { swarmScenario, type SwarmOptions } from "./explore/swarm.ts";
export { shrink, type ShrinkResult } from "./explore/shrink.ts";
export { CANARIES, type Canary } from "./explore/canaries/index.ts";
export { sizeOf as scenarioSize } from "./explore/shrink.ts";
export { detailOf, judge, type Verdict } from "./explore/verdict.ts";
export { RunStopped, type StopAt } from "./checkers/first-violation.ts";
export { parseShard, type Shard } from "./explore/sweep.ts";
export { resolveTarget, specFor, targetRef, TargetError, type Target, type TargetRef } from "./explore/target.ts";
export { checkLaws, formatLawsFailure, DEFAULT_LAW_RUNS, type LawsFailure, type LawsOptions, type LawsResult } from "./laws/check-laws.ts";

// The CLI's plugin sandbox (cli/sandbox): a plugin runs in a worker thread that installs the
// thread sandbox and reports the method in progress through shared call slots. Plumbing for a
// host that runs untrusted plugins, as the CLI does; a library user calling simulate() needs none of it.
export { attachCallSlot, callSlotsBuffer, readSlot, slotCount, type SlotState } from "./plugin/call-slots.ts";
export { osThreadId, sourceWorkerEntry, threadCpuMs, type SourceWorkerOptions } from "./node-only.ts";
export { installThreadSandbox } from "./plugin/thread-sandbox.ts";
export { methodThatThrew, PluginError } from "./plugin/guard.ts";

// Cluster mode (cluster/): the same seeded streams, workload and nemesis shapes the simulator
// draws, so a real run's schedule is the one a simulation of the same seed would draw.
export { Rng, Streams, STREAM } from "./rng.ts";
export { OpMix, Arrivals } from "./engine/workload.ts";
export { latencySampler, type LatencySampler } from "./engine/latency.ts";
export { randomPartition, completeGroups, groupPairs, type NemesisPartition, type Pair } from "./engine/links.ts";
