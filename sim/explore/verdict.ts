/**
 * One run of one scenario, reduced to what explore and the shrinker compare: which checks
 * failed (or that the CRDT threw). Runs without a trace — checks and traceHash are the same.
 */
import type { Crdt } from "../../core/contract.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Run } from "../run-types.ts";
import type { Scenario } from "../scenario/types.ts";
import { PluginError } from "../plugin/guard.ts";
import { RunStopped, type StopAt } from "../checkers/first-violation.ts";

/** The pseudo-check name of a run that threw (a CRDT exception, or an engine refusal). */
export const THREW = "exception";

export type Verdict = {
  ok: boolean;
  /** Names of the checks whose outcome differed from the expectation, in the run's order. */
  failed: string[];
  /** The first failed check's detail, or the exception's message. */
  detail: string;
  /** Each failed check's detail, aligned with `failed`. */
  details: string[];
  /** Each failed check's signature (sim/checkers/signature.ts; the check's name when it gives none), aligned with `failed`. */
  signatures: string[];
};

/**
 * `ignore`: checks whose failures do not count (a known, reported false alarm of a checker).
 * `stopAt`: end the run at the first violation of that check with that signature, if it comes
 * during the run (first-violation.ts) — the verdict then names that check alone, which is all the
 * shrinker asks of a candidate; a check judged at the end runs the whole run as before.
 */
export function judge(scenario: Scenario, crdt: Crdt, crdtName: string, trace = false, ignore: readonly string[] = [], stopAt?: StopAt): { verdict: Verdict; run?: Run } {
  let run: Run;
  try {
    run = runSimulation(scenario, crdt, stopAt ? { seed: scenario.seed ?? 1, trace, crdtName, stopAt } : { seed: scenario.seed ?? 1, trace, crdtName });
  } catch (e) {
    if (e instanceof RunStopped) return { verdict: { ok: false, failed: [e.check], detail: e.detail, details: [e.detail], signatures: [e.signature] } };
    // A plugin breaking the contract (value() not JSON) is bad input, not a bug to shrink.
    if (e instanceof PluginError) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    return { verdict: { ok: false, failed: [THREW], detail, details: [detail], signatures: [THREW] } };
  }
  const bad = run.summary.checks.filter((c) => c.ok !== c.expected && !ignore.includes(c.name));
  const signatures = bad.map((c) => c.signature ?? c.name);
  return { verdict: { ok: bad.length === 0, failed: bad.map((c) => c.name), detail: bad[0]?.detail ?? "", details: bad.map((c) => c.detail), signatures }, run };
}

/**
 * True when `v` shows the failure the shrinker must preserve: the same check still fails, and
 * with the same signature when one is given (the same kind of difference, not just any failure
 * under that name).
 */
export function sameFailure(v: Verdict, check: string, signature?: string): boolean {
  const i = v.failed.indexOf(check);
  return i >= 0 && (signature === undefined || v.signatures[i] === signature);
}

/** The signature of `check` in `v`, if it failed. */
export function signatureOf(v: Verdict, check: string): string | undefined {
  const i = v.failed.indexOf(check);
  return i >= 0 ? v.signatures[i] : undefined;
}

/** The detail of `check` in `v` (the first failure's when `check` did not fail). */
export function detailOf(v: Verdict, check: string): string {
  const i = v.failed.indexOf(check);
  return i >= 0 ? v.details[i]! : v.detail;
}
