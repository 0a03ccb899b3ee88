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
import { asScenarioError, runBounds } from "../../sim/simulate.ts";
import { layoutRun } from "../../viz/layout/layout.ts";
import type { Model } from "../../viz/layout/model.ts";
import { parseTrace, type ParsedTrace } from "../../viz/trace.ts";
import { IncrementalRunner } from "./incremental.ts";
import { resolveInPage } from "./page-crdts.ts";

/**
 * `initial`: each node's value before anything happens (JSON), for the cards at time 0;
 * `from`: the virtual ms the run was recomputed from (0: the whole run).
 */
export type SessionRun = { scenario: Scenario; crdt: Crdt; run: Run; model: Model; simMs: number; initial: string[]; from: number };

const FILE = "<playground>";

/** The run of a session, or a ScenarioError whose lines name each field to fix. */
export async function runSession(input: unknown, clock: () => number = () => 0, runner: IncrementalRunner = new IncrementalRunner()): Promise<SessionRun> {
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
  const { seed, maxEvents } = runBounds({ file: FILE, scenario, crdt, crdtName: crdt.name, limits: {} }, undefined, true);
  const started = clock();
  let done;
  try {
    done = runner.run(scenario, crdt, { seed, crdtName: crdt.name, maxEvents });
  } catch (e) {
    throw asScenarioError(e, FILE);
  }
  const { run, from } = done;
  const simMs = clock() - started;
  const model = layoutRun({ trace: parseAgain(runner, run.trace ?? []), summary: run.summary, scenario });
  const initial = model.lanes.map((l) => (scenario.nodes.includes(l.name) ? (JSON.stringify(crdt.value(crdt.init(l.name) as never)) ?? "—") : "—"));
  return { scenario, crdt, run, model, simMs, initial, from };
}

/** Each runner's last trace and its parse: the next run's lines before its edit are the same strings. */
const lastParsed = new WeakMap<IncrementalRunner, { lines: readonly string[]; parsed: ParsedTrace }>();

/**
 * The parsed trace, reusing the previous run's events up to the first line that differs (the
 * canonical lines: the meta line first, one event per line after it).
 */
function parseAgain(runner: IncrementalRunner, lines: readonly string[]): ParsedTrace {
  const old = lastParsed.get(runner);
  let k = 1;
  if (old) while (k < lines.length && k < old.lines.length && lines[k] === old.lines[k]) k++;
  const parsed: ParsedTrace = old
    ? { meta: parseTrace(lines.slice(0, 1)).meta, events: [...old.parsed.events.slice(0, k - 1), ...parseTrace(lines.slice(k)).events] }
    : parseTrace(lines);
  lastParsed.set(runner, { lines, parsed });
  return parsed;
}
