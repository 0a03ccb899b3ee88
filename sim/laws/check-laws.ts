/**
 * checkLaws: the CRDT laws, checked with fast-check on random op histories of any plugin (the
 * public, value-based counterpart of the builtin law tests). State-based: merge commutative,
 * associative, idempotent, leaving its second argument alone, and deltas that inflate.
 * Op-based: concurrent effects commute and causal delivery in any order converges.
 * Deterministic: the default seed is fixed, so CI sees the same histories on every run.
 */
import fc from "fast-check";
import type { AnsweringCrdt, Crdt } from "../../core/contract.ts";
import { historyArbitrary, type History } from "./history.ts";
import { ANSWER_LAWS, evaluate, OP_ANSWER_LAW, OP_LAWS, STATE_LAWS, type Violation } from "./evaluate.ts";
import { answers } from "../engine/answers.ts";
import { PluginError } from "../plugin/guard.ts";

export type LawsOptions = {
  /** Random histories to try (default 200). */
  runs?: number;
  /** fast-check seed (default 1). */
  seed?: number;
  /** Replicas per history, 3 to 5 (default 3). */
  replicas?: number;
  /** Longest history (default 30 steps). */
  maxSteps?: number;
};

export type LawsFailure = Violation & {
  /** fast-check's seed and shrink path: with the same runs they replay this counterexample. */
  seed: number;
  path: string;
  /** How many of the histories ran before this one failed (1-based), and shrink steps taken. */
  failedAfter: number;
  shrinks: number;
};

export type LawsResult = { crdt: string; kind: Crdt["kind"]; ok: boolean; runs: number; seed: number; laws: string[]; failure?: LawsFailure };

export const DEFAULT_LAW_RUNS = 200;
export const DEFAULT_LAW_SEED = 1;

export function checkLaws(crdt: Crdt | AnsweringCrdt, options: LawsOptions = {}): LawsResult {
  const runs = options.runs ?? DEFAULT_LAW_RUNS;
  const seed = options.seed ?? DEFAULT_LAW_SEED;
  const replicas = options.replicas ?? 3;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(replicas) || replicas < 3 || replicas > 5) throw new RangeError(`replicas must be 3 to 5, got ${replicas}`);
  const laws = [...(crdt.kind === "op" ? OP_LAWS : STATE_LAWS), ...(answers(crdt) ? (crdt.kind === "op" ? [OP_ANSWER_LAW] : ANSWER_LAWS) : [])];
  const arb = historyArbitrary(crdt, replicas, options.maxSteps ?? 30);
  const details = fc.check(
    fc.property(arb, (h: History) => evaluate(crdt, h, replicas) === null),
    { numRuns: runs, seed },
  );
  // evaluate rethrows a plugin's contract violation; fast-check caught it as a failure.
  if (details.failed && details.errorInstance instanceof PluginError) throw details.errorInstance;
  const result: LawsResult = { crdt: crdt.name, kind: crdt.kind, ok: !details.failed, runs, seed, laws };
  if (details.failed && details.counterexample) {
    // Re-run the shrunk history to get the violation it shows (evaluation is deterministic).
    const h = minimise(crdt, details.counterexample[0], replicas);
    const v = evaluate(crdt, h, replicas);
    if (v) result.failure = { ...v, seed: details.seed, path: details.counterexamplePath ?? "", failedAfter: details.numRuns, shrinks: details.numShrinks };
  }
  return result;
}

/**
 * fast-check's shrinker stops at a local minimum of its own value tree; one more greedy pass
 * that drops single steps (keeping the same law violated) removes leftovers such as no-op syncs.
 */
function minimise(crdt: Crdt | AnsweringCrdt, h: History, replicas: number): History {
  const law = evaluate(crdt, h, replicas)?.law;
  let steps = h.steps;
  for (let i = steps.length - 1; i >= 0; i--) {
    const candidate = { ...h, steps: [...steps.slice(0, i), ...steps.slice(i + 1)] };
    if (candidate.steps.length > 0 && evaluate(crdt, candidate, replicas)?.law === law) steps = candidate.steps;
  }
  return { ...h, steps };
}

/** The counterexample as text: the history, the values, and the two sides that differ. */
export function formatLawsFailure(r: LawsResult, replay: string): string {
  const f = r.failure;
  if (!f) return `${r.crdt}: all ${r.laws.length} laws hold on ${r.runs} random histories (seed ${r.seed})`;
  const j = (x: unknown) => JSON.stringify(x) ?? "undefined";
  const out = [`${r.crdt}: law violated — ${f.law}`, "", `counterexample (after ${f.failedAfter} histories, shrunk ${f.shrinks} times):`];
  f.history.forEach((line, i) => out.push(`  ${i + 1}. ${line}`));
  out.push("", "ops per replica:");
  for (const [id, ops] of Object.entries(f.ops)) out.push(`  ${id}: ${ops.length ? ops.join("; ") : "(none)"}`);
  out.push("", "values:");
  for (const [id, v] of Object.entries(f.values)) out.push(`  ${id} = ${j(v)}`);
  if (f.error) out.push("", `error: ${f.error}`);
  if (f.left && f.right) {
    out.push("", `  ${f.left.label} = ${j(f.left.value)}`, `  ${f.right.label} = ${j(f.right.value)}`);
    if (j(f.left.value) === j(f.right.value)) out.push("  (equal values, different canonical encodings)");
  }
  out.push("", `seed ${f.seed} (fast-check path ${f.path || "-"})`, `replay: ${replay}`);
  return out.join("\n");
}
