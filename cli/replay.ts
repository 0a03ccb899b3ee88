/**
 * `memoconductor replay <run-dir|trace.jsonl>`: re-runs the scenario stored in the run directory
 * (scenario.json, seed included) and compares the traceHash with the recorded summary.json.
 * Exit 0 when equal, 1 when different (and, when trace.jsonl is there, the first differing line).
 */
import { ScenarioError } from "../sim/scenario/load-errors.ts";
import { shownPath } from "./format.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "./io.ts";
import { readRunDir, runDirFromArg } from "./run-dir.ts";
import { RunFailure, runScenarioFile } from "./run-scenario.ts";
import { DEFAULT_PLUGIN_TIMEOUT_S } from "./sandbox/supervise.ts";

export async function replayCommand(arg: string, io: Io, o: { pluginTimeout?: number } = {}): Promise<ExitCode> {
  let dir: string;
  let recorded: ReturnType<typeof readRunDir>;
  let run;
  try {
    dir = runDirFromArg(arg);
    recorded = readRunDir(dir, shownPath(dir));
    // The scenario's own seed (written in by `run`); a plugin runs supervised, as in `run`.
    ({ run } = await runScenarioFile(recorded.scenarioFile, { trace: recorded.trace !== undefined, pluginTimeoutS: o.pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S }));
  } catch (e) {
    io.err(`${e instanceof ScenarioError || e instanceof RunFailure ? e.message : errorLine(e)}\n`);
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
