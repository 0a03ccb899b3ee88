/**
 * explore: swarm-test a CRDT. Each seed of the sweep becomes a scripted random scenario
 * (swarm.ts) run with every check; the sweep stops at the first failing seed (in seed order, for
 * any --jobs), whose scenario is then shrunk to a minimal one that still fails the same check
 * with the same signature (the kind of difference, sim/checkers/signature.ts).
 * Pure and deterministic: the same target, seeds and options give the same result; files are
 * written by the caller (the CLI writes the scenario and the original-vs-shrunk page).
 */
import type { Crdt } from "../../core/contract.ts";
import type { Scenario } from "../scenario/types.ts";
import { sweepInWorkers } from "./pool.ts";
import { shrink, sizeOf, DEFAULT_SHRINK_RUNS } from "./shrink.ts";
import { swarmScenario, type SwarmOptions } from "./swarm.ts";
import { seedsOf, sweepSeed, parseShard, type SeedVerdict, type Shard } from "./sweep.ts";
import { resolveTarget, specFor, targetRef, TargetError, type Target, type TargetRef } from "./target.ts";
import { detailOf, judge, THREW, type Verdict } from "./verdict.ts";

export const DEFAULT_EXPLORE_RUNS = 500;
export const DEFAULT_EXPLORE_SEED = 1;

export type ExploreOptions = {
  /** Seeds in the whole sweep (default 500); a shard runs its part of them. */
  runs?: number;
  /** First seed (default 1): the sweep covers seed … seed + runs − 1. */
  seed?: number;
  /** Worker threads (default 1). Same verdicts for any value. */
  jobs?: number;
  /** This machine's part of the sweep: `"2/4"` or `{ index: 2, count: 4 }`. */
  shard?: string | Shard;
  /**
   * Checks whose failures do not count. For a checker's known false alarm only (the sweep then
   * looks past it); never to hide a bug of the CRDT.
   */
  ignore?: string[];
  /** Fix the node count or duration, turn every fault class on, or (freshText: false) type letters a–z. */
  swarm?: SwarmOptions;
  /** Shrink the first failure (default true), within this many runs (default 3000). */
  shrink?: boolean;
  shrinkRuns?: number;
  /** Where a relative module path is resolved from (default: cwd). */
  baseDir?: string;
  /** Directory the shrunk scenario will be written to: its `crdt.module` is made relative to it. */
  scenarioDir?: string;
  /** Called after each judged seed (progress bars). */
  onProgress?: (done: number, total: number) => void;
};

export type ExploreFailure = {
  seed: number;
  /** The check the shrinker preserved (the first failed one) and every check that failed. */
  check: string;
  /** The kind of failure the shrinker kept (sim/checkers/signature.ts; the check's name when it gives none). */
  signature: string;
  failed: string[];
  detail: string;
  original: Scenario;
  shrunk?: { scenario: Scenario; verdict: Verdict; runs: number; exhausted: boolean };
};

export type ExploreResult = {
  crdt: string;
  /** How the scenarios name the CRDT: a builtin, or a module by absolute path. */
  target: TargetRef;
  ok: boolean;
  /** Seeds judged, out of the shard's planned seeds. */
  runs: number;
  planned: number;
  firstSeed: number;
  shard: Shard;
  failure?: ExploreFailure;
};

/** `crdt`: a builtin name or module path, or a contract object (then only jobs 1, and the scenario names it by `name`). */
export async function explore(crdt: string | Crdt, o: ExploreOptions = {}): Promise<ExploreResult> {
  const runs = o.runs ?? DEFAULT_EXPLORE_RUNS;
  const first = o.seed ?? DEFAULT_EXPLORE_SEED;
  const jobs = o.jobs ?? 1;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  if (!Number.isSafeInteger(first)) throw new RangeError(`seed must be an integer, got ${first}`);
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, got ${jobs}`);
  const shard = typeof o.shard === "string" ? parseShard(o.shard) : (o.shard ?? { index: 1, count: 1 });
  // Sequence types type fresh characters, so that the sequence checks can follow them.
  const swarm: SwarmOptions = { freshText: true, ...o.swarm };
  let target: Target;
  if (typeof crdt === "string") target = await resolveTarget(targetRef(crdt, o.baseDir));
  else {
    if (jobs > 1) throw new RangeError("jobs > 1 needs a builtin name or a module path: each worker thread imports the CRDT itself");
    target = { ref: { builtin: crdt.name }, crdt };
  }
  if (target.crdt.kind === "op") refuseIfNoOpMode(target);
  const seeds = seedsOf(first, runs, shard);
  let done = 0;
  const tick = () => o.onProgress?.(++done, seeds.length);
  const ignore = o.ignore ?? [];
  const verdicts = jobs > 1 ? await sweepInWorkers(jobs, target, swarm, ignore, seeds, true, tick) : sweepHere(seeds, target, swarm, ignore, tick);
  const failed = verdicts.find((v) => !v.ok);
  const judged = failed ? verdicts.filter((v) => v.seed <= failed.seed).length : verdicts.length;
  const result: ExploreResult = { crdt: target.crdt.name, target: target.ref, ok: !failed, runs: judged, planned: seeds.length, firstSeed: first, shard };
  if (failed) result.failure = failure(failed, target, swarm, o);
  return result;
}

/**
 * An op-based CRDT needs the engine's op mode (exactly-once causal broadcast). Until the engine
 * has it, say so as bad input instead of reporting every seed as a failure of the CRDT.
 */
function refuseIfNoOpMode(target: Target): void {
  const probe: Scenario = { name: "op-mode-probe", nodes: ["a", "b"], crdt: specFor(target.ref), sync: { mode: "op" }, duration: 1 };
  const v = judge(probe, target.crdt, target.crdt.name).verdict;
  if (v.failed.includes(THREW) && /op/i.test(v.detail)) throw new TargetError(`${target.crdt.name} is op-based (kind "op"), and the simulator cannot run it: ${v.detail}`);
}

function sweepHere(seeds: number[], target: Target, swarm: SwarmOptions, ignore: readonly string[], tick: () => void): SeedVerdict[] {
  const out: SeedVerdict[] = [];
  for (const seed of seeds) {
    const v = sweepSeed(seed, target, swarm, ignore);
    out.push(v);
    tick();
    if (!v.ok) break;
  }
  return out;
}

function failure(v: SeedVerdict, target: Target, swarm: SwarmOptions, o: ExploreOptions): ExploreFailure {
  const original = swarmScenario(v.seed, { crdt: target.crdt, spec: specFor(target.ref, o.scenarioDir) }, swarm);
  const check = v.failed[0]!;
  const f: ExploreFailure = { seed: v.seed, check, signature: v.signatures[0] ?? check, failed: v.failed, detail: v.detail, original };
  if (o.shrink === false) return f;
  const r = shrink(original, target.crdt, target.crdt.name, check, { maxRuns: o.shrinkRuns ?? DEFAULT_SHRINK_RUNS });
  const before = sizeOf(original);
  const after = sizeOf(r.scenario);
  const description =
    `Found by memoconductor explore (seed ${v.seed}) and shrunk: check "${check}" fails (${f.signature}) for ${target.crdt.name}. ` +
    `${detailOf(r.verdict, check)} — shrunk from ${before.steps} steps on ${before.nodes} nodes to ${after.steps} on ${after.nodes} in ${r.runs} runs.` +
    (after.fates > 0 ? ` The messages it needs lost or duplicated are named in network.fates (frozen from the run's draws: ${after.fates}).` : "");
  f.shrunk = { scenario: { ...r.scenario, name: `${original.name}-shrunk`, description }, verdict: r.verdict, runs: r.runs, exhausted: r.exhausted };
  return f;
}

export type { Shard, SeedVerdict, TargetRef };
