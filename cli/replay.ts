/**
 * `memoconductor replay <run-dir|trace.jsonl>`: re-runs the scenario stored in the run directory
 * (scenario.json, seed included) and checks the recorded files against the re-run: the
 * traceHash in summary.json, trace.jsonl as stored (its sha256, then line by line — the first
 * line that differs, a file cut off mid-line, lines extra or missing) and the rest of
 * summary.json. Exit 0 only when all agree; 1 when the run does not reproduce as recorded
 * (whether the engine changed or a recorded file was edited); 2 when the directory cannot be
 * read as a run (no scenario.json or summary.json, unreadable JSON, an invalid scenario).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Run, ScenarioError } from "../sim/simulate.ts";
import { shownPath } from "./format.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "./io.ts";
import { firstJsonDifference } from "./json-diff.ts";
import { FILES, readRunDir, runDirFromArg, type RecordedRun } from "./run-dir.ts";
import { RunFailure, runScenarioFile } from "./run-scenario.ts";
import { DEFAULT_PLUGIN_TIMEOUT_S } from "./sandbox/defaults.ts";
import { compareTrace, excerpt, recordedLines, sha256, traceText, type TraceDiff } from "./trace-compare.ts";

export async function replayCommand(arg: string, io: Io, o: { pluginTimeout?: number } = {}): Promise<ExitCode> {
  let dir: string;
  let recorded: RecordedRun;
  let run: Run;
  try {
    dir = runDirFromArg(arg);
    recorded = readRunDir(dir, shownPath(dir));
    // The scenario's own seed (written in by `run`); a plugin runs supervised, as in `run`.
    ({ run } = await runScenarioFile(recorded.scenarioFile, { trace: recorded.traceText !== undefined, pluginTimeoutS: o.pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S }));
  } catch (e) {
    io.err(`${e instanceof ScenarioError || e instanceof RunFailure ? e.message : errorLine(e)}\n`);
    return EXIT.badInput;
  }
  const recordedTrace = join(shownPath(dir), FILES.trace);
  const s = run.summary;
  io.out(`replay ${shownPath(dir)}  (${s.scenario}, ${s.crdt}, seed ${s.seed})\n`);
  io.out(`  recorded traceHash    ${recorded.summary.traceHash}\n  replayed traceHash    ${s.traceHash}\n`);
  const problems: string[] = [];
  if (recorded.summary.traceHash !== s.traceHash) problems.push("DIFFERENT traceHash: summary.json's is not the replay's");

  let diff: TraceDiff = { kind: "same" };
  if (recorded.traceText === undefined) {
    io.out(`  recorded ${FILES.trace}  none (the run was written with --no-trace): only the traceHash and summary are compared\n`);
  } else {
    const replayedText = traceText(run.trace!);
    io.out(`  recorded ${FILES.trace}  ${recordedLines(recorded.traceText).lines.length} lines, sha256 ${sha256(recorded.traceText)}\n`);
    io.out(`  replayed trace        ${run.trace!.length} lines, sha256 ${sha256(replayedText)}\n`);
    diff = compareTrace(recorded.traceText, run.trace!);
    if (diff.kind !== "same") problems.push(...traceProblem(diff, recordedTrace, replayedTraceFile(replayedText)));
  }
  // The rest of the summary (verdicts, stats, final values) is the replay's too, or was edited.
  const summaryDiff = firstJsonDifference({ ...recorded.summary, traceHash: s.traceHash }, JSON.parse(JSON.stringify(s)));
  if (summaryDiff)
    problems.push(`summary.json differs from the replay at ${summaryDiff.path}: recorded ${excerpt(summaryDiff.recorded)}, replayed ${excerpt(summaryDiff.replayed)}`);

  if (problems.length === 0) {
    io.out(
      recorded.traceText === undefined
        ? "✓ same traceHash and summary: the run reproduces bit for bit (no trace.jsonl was recorded to compare line by line)\n"
        : "✓ same traceHash, trace.jsonl line for line and summary: the run reproduces bit for bit\n",
    );
    return EXIT.ok;
  }
  io.out(
    recorded.summary.traceHash !== s.traceHash
      ? "✗ DIFFERENT traceHash: the run does not reproduce\n"
      : "✗ the recorded files differ from the replay: the run does not reproduce as recorded\n",
  );
  for (const p of problems) io.out(`  - ${p}\n`);
  return EXIT.failed;
}

/** The replay's trace, written where the user can diff it against the recorded one. */
function replayedTraceFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "memoconductor-replay-")), FILES.trace);
  writeFileSync(file, text);
  return file;
}

function traceProblem(d: Exclude<TraceDiff, { kind: "same" }>, recordedFile: string, replayedFile: string): string[] {
  const whole = (line: number) => `    whole lines: ${recordedFile}:${line} and ${replayedFile}:${line} (diff ${recordedFile} ${replayedFile})`;
  const side = (name: string, text: string | undefined, column = 1) => `    ${name}  ${text === undefined ? "(end of trace)" : excerpt(text, column)}`;
  switch (d.kind) {
    case "differs":
      return [
        `first difference at ${FILES.trace} line ${d.line}, column ${d.column}:\n${side("recorded", d.recorded, d.column)}\n${side("replayed", d.replayed, d.column)}\n${whole(d.line)}`,
      ];
    case "truncated":
      return [`${FILES.trace} is truncated at line ${d.line} (cut off mid-line: ${d.why}):\n${side("recorded", d.recorded)}\n${side("replayed", d.replayed)}\n${whole(d.line)}`];
    case "extra":
      return [
        `${FILES.trace} has ${d.count} extra line${d.count === 1 ? "" : "s"} from line ${d.line}, where the replay's trace ends:\n${side("recorded", d.recorded)}\n${whole(d.line)}`,
      ];
    case "missing":
      return [
        `${FILES.trace} ends after line ${d.line - 1}: ${d.count} line${d.count === 1 ? "" : "s"} missing from line ${d.line}:\n${side("replayed", d.replayed)}\n${whole(d.line)}`,
      ];
  }
}
