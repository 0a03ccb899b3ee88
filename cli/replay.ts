/**
 * `memoconductor replay <run-dir|trace.jsonl>`: re-runs the scenario stored in the run directory
 * (scenario.json, seed included) and compares the traceHash with the recorded summary.json.
 * Exit 0 when equal, 1 when different (and, when trace.jsonl is there, the first differing line).
 */
import { ScenarioError } from "../sim/scenario/load-errors.ts";
import { loadScenario } from "../sim/scenario/load.ts";
import { runLoaded } from "../sim/index.ts";
import { shownPath } from "./format.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "./io.ts";
import { readRunDir, runDirFromArg } from "./run-dir.ts";

export async function replayCommand(arg: string, io: Io): Promise<ExitCode> {
  let dir: string;
  let recorded: ReturnType<typeof readRunDir>;
  let loaded;
  try {
    dir = runDirFromArg(arg);
    recorded = readRunDir(dir, shownPath(dir));
    loaded = await loadScenario(recorded.scenarioFile);
  } catch (e) {
    io.err(`${e instanceof ScenarioError ? e.message : errorLine(e)}\n`);
    return EXIT.badInput;
  }
  let run;
  try {
    run = runLoaded(loaded, { trace: recorded.trace !== undefined });
  } catch (e) {
    io.err(`${shownPath(dir)}: replay failed: ${errorLine(e)}\n`);
    return EXIT.badInput;
  }
  const was = recorded.summary.traceHash;
  const now = run.summary.traceHash;
  io.out(`replay ${shownPath(dir)}  (${run.summary.scenario}, ${run.summary.crdt}, seed ${run.summary.seed})\n`);
  io.out(`  recorded traceHash  ${was}\n  replayed traceHash  ${now}\n`);
  if (was === now) {
    io.out("✓ same traceHash: the run reproduces bit for bit\n");
    return EXIT.ok;
  }
  io.out("✗ DIFFERENT traceHash: the run does not reproduce\n");
  if (recorded.trace && run.trace) {
    const n = Math.max(recorded.trace.length, run.trace.length);
    for (let i = 0; i < n; i++) {
      if (recorded.trace[i] !== run.trace[i]) {
        io.out(`  first difference at trace.jsonl line ${i + 1}:\n    recorded ${recorded.trace[i] ?? "(end)"}\n    replayed ${run.trace[i] ?? "(end)"}\n`);
        break;
      }
    }
  }
  return EXIT.failed;
}
