/**
 * The `laws` check of a scenario: the CRDT laws (sim/laws) on random op histories of the
 * scenario's type, with a fast-check seed drawn from the run's checks stream (so the run's seed
 * decides it). It looks at the type, not at the run, so it runs only when a scenario names it
 * (`"expect": {"checks": {"laws": true}}`); the CLI's `laws` command is the same check with its
 * own knobs, and prints the whole counterexample.
 */
import type { Crdt } from "../../core/contract.ts";
import type { checkLaws as CheckLaws } from "../laws/check-laws.ts";
import type { CheckResult } from "../run-types.ts";

// The law checker brings fast-check, about a third of the code a `run` would otherwise load
// before it starts; only scenarios that name "laws" need it. The scenario loader
// (prepareScenario) loads it for them, before the (synchronous) run.
let checkLaws: typeof CheckLaws | undefined;

/** Loads the law checker; `simulate`, `loadScenario` and `prepareScenario` call it when a scenario names "laws". */
export async function loadLawsCheck(): Promise<void> {
  checkLaws ??= (await import("../laws/check-laws.ts")).checkLaws;
}

/** Fewer histories than the CLI's 200: a scenario run should stay quick. */
const SCENARIO_LAW_RUNS = 100;

export function lawsCheck(crdt: Crdt, seed: number, expected: boolean): CheckResult {
  if (!checkLaws) throw new Error('the "laws" check is not loaded: run the scenario through prepareScenario or loadScenario (or await loadLawsCheck() first)');
  const r = checkLaws(crdt, { runs: SCENARIO_LAW_RUNS, seed });
  const f = r.failure;
  const j = (x: unknown) => JSON.stringify(x) ?? "undefined";
  const replay = `memoconductor laws <crdt> --seed ${seed} --runs ${r.runs}`;
  const detail = !f
    ? `all ${r.laws.length} laws hold on ${r.runs} random histories (seed ${seed})`
    : `${f.law} fails after ${f.history.join("; ")}: ` +
      (f.left && f.right ? `${f.left.label} = ${j(f.left.value)} but ${f.right.label} = ${j(f.right.value)}` : `threw ${f.error ?? "?"}`) +
      ` (${replay} shows the whole counterexample)`;
  return { name: "laws", ok: r.ok, expected, detail };
}
