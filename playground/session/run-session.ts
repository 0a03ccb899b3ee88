/**
 * Runs a playground session — which is nothing but a scenario — in the page: validated by the
 * loader's own validator, its CRDT resolved (page-crdts.ts), run by the same runLoaded the CLI's
 * `run` uses, and laid out by the run pages' layout. Same scenario + seed ⇒ the same traceHash
 * as `memoconductor run`.
 */
import type { Crdt } from "../../core/contract.ts";
import type { Run } from "../../sim/run-types.ts";
import { loadLawsCheck } from "../../sim/checkers/laws.ts";
import { IssueError, opIssues } from "../../sim/scenario/load-crdt.ts";
import { ScenarioError, validateScenario } from "../../sim/scenario/load.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { runLoaded } from "../../sim/simulate.ts";
import { layoutRun } from "../../viz/layout/layout.ts";
import type { Model } from "../../viz/layout/model.ts";
import { parseTrace } from "../../viz/trace.ts";
import { resolveInPage } from "./page-crdts.ts";

/** `initial`: each node's value before anything happens (JSON), for the cards at time 0. */
export type SessionRun = { scenario: Scenario; crdt: Crdt; run: Run; model: Model; simMs: number; initial: string[] };

const FILE = "<playground>";

/** The run of a session, or a ScenarioError whose lines name each field to fix. */
export async function runSession(input: unknown, clock: () => number = () => 0): Promise<SessionRun> {
  const scenario = validateScenario(input, { file: FILE });
  if (scenario.expect?.checks && Object.hasOwn(scenario.expect.checks, "laws")) await loadLawsCheck();
  let crdt: Crdt;
  try {
    const resolved = resolveInPage(scenario.crdt);
    const issues = opIssues(scenario, resolved);
    if (issues.length) throw new ScenarioError(FILE, issues);
    crdt = resolved.crdt;
  } catch (e) {
    if (e instanceof IssueError) throw new ScenarioError(FILE, e.issues);
    throw e;
  }
  const started = clock();
  const run = runLoaded({ file: FILE, scenario, crdt, crdtName: crdt.name, limits: {} });
  const simMs = clock() - started;
  const model = layoutRun({ trace: parseTrace(run.trace ?? []), summary: run.summary, scenario });
  const initial = model.lanes.map((l) => (scenario.nodes.includes(l.name) ? (JSON.stringify(crdt.value(crdt.init(l.name) as never)) ?? "—") : "—"));
  return { scenario, crdt, run, model, simMs, initial };
}
