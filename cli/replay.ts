/**
 * `memoconductor replay <run-dir|trace.jsonl>`: re-runs the scenario stored in the run directory
 * (scenario.json, seed included) and checks the recorded files against the re-run: the
 * traceHash in summary.json, trace.jsonl's canonical lines (either format version: their sha256,
 * then line by line — the first line that differs, a file cut off mid-line, lines extra or
 * missing; both sides streamed, so a long run replays in bounded memory) and the rest of
 * summary.json. Exit 0 only when all agree; 1 when the run does not reproduce as recorded
 * (whether the engine changed or a recorded file was edited); 2 when the directory cannot be
 * read as a run (no scenario.json or summary.json, unreadable JSON, an invalid scenario, a run
 * that was stopped before it finished).
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Run, ScenarioError, traceFileLines, type TraceFileInfo, TraceFormatError } from "../sim/simulate.ts";
import { shownPath } from "./format.ts";
import { EXIT, errorLine, type ExitCode, type Io } from "./io.ts";
import { firstJsonDifference } from "./json-diff.ts";
import { FILES, readRunDir, runDirFromArg, type RecordedRun } from "./run-dir.ts";
import { RunFailure, runScenarioFile } from "./run-scenario.ts";
import { DEFAULT_PLUGIN_TIMEOUT_S } from "./sandbox/defaults.ts";
import { compareLines, excerpt, type TraceDiff } from "./trace-compare.ts";

export async function replayCommand(arg: string, io: Io, o: { pluginTimeout?: number } = {}): Promise<ExitCode> {
  let dir: string;
  let recorded: RecordedRun;
  let run: Run;
  try {
    dir = runDirFromArg(arg);
    recorded = readRunDir(dir, shownPath(dir));
    // The scenario's own seed (written in by `run`); a plugin runs supervised, as in `run`.
    const traceFile = recorded.traceFile === undefined ? undefined : join(mkdtempSync(join(tmpdir(), "memoconductor-replay-")), "compact.jsonl");
    ({ run } = await runScenarioFile(recorded.scenarioFile, {
      trace: traceFile !== undefined,
      pluginTimeoutS: o.pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S,
      ...(traceFile === undefined ? {} : { traceFileFor: () => traceFile }),
    }));
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

  if (recorded.traceFile === undefined || run.traceFile === undefined) {
    io.out(`  recorded ${FILES.trace}  none (the run was written with --no-trace): only the traceHash and summary are compared\n`);
  } else {
    let c;
    try {
      c = compareFiles(recorded.traceFile, run.traceFile);
    } catch (e) {
      // An edited compact file may not decode past the edit: named like any other difference.
      if (!(e instanceof TraceFormatError)) throw e;
      problems.push(`${recordedTrace} ${e.message}: the compact trace does not decode from there`);
    }
    if (c) {
      io.out(`  recorded ${FILES.trace}  ${c.recorded.lines} lines, sha256 ${c.recorded.sha}\n`);
      io.out(`  replayed trace        ${c.replayed.lines} lines, sha256 ${c.replayed.sha}\n`);
    }
    if (c?.undecodable !== undefined) problems.push(`${recordedTrace} ${c.undecodable}: the compact trace does not decode from there`);
    if (c && c.diff.kind !== "same") {
      // Where the whole lines can be read and diffed: canonical lines on both sides.
      const tmp = dirname(run.traceFile);
      const recordedShown = c.recordedVersion === 1 ? recordedTrace : canonicalCopy(recorded.traceFile, join(tmp, "recorded.jsonl"));
      problems.push(...traceProblem(c.diff, c.recordedVersion === 1 ? "line" : "event", recordedShown, canonicalCopy(run.traceFile, join(tmp, FILES.trace))));
      rmSync(run.traceFile);
    } else rmSync(dirname(run.traceFile), { recursive: true, force: true });
  }
  // The rest of the summary (verdicts, stats, final values) is the replay's too, or was edited.
  const summaryDiff = firstJsonDifference({ ...recorded.summary, traceHash: s.traceHash }, JSON.parse(JSON.stringify(s)));
  if (summaryDiff)
    problems.push(`summary.json differs from the replay at ${summaryDiff.path}: recorded ${excerpt(summaryDiff.recorded)}, replayed ${excerpt(summaryDiff.replayed)}`);

  if (problems.length === 0) {
    io.out(
      recorded.traceFile === undefined
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

type Side = { lines: number; sha: string };

/** Canonical lines as they go by: counted and hashed (the sha256 of their version-1 text). */
function* tapped(lines: Iterable<string>, side: Side, hash: Hash): Generator<string> {
  for (const l of lines) {
    side.lines++;
    hash.update(l + "\n");
    yield l;
  }
}

/** The recorded file against the replay's, both read as canonical lines; every line of both is counted and hashed. */
function compareFiles(recordedFile: string, replayedFile: string): { diff: TraceDiff; recorded: Side; replayed: Side; recordedVersion: number; undecodable?: string } {
  const info: TraceFileInfo = { version: 1, lines: 0, whole: false };
  const recorded = { lines: 0, sha: "" };
  const replayed = { lines: 0, sha: "" };
  const [hr, hp] = [createHash("sha256"), createHash("sha256")];
  const rec = tapped(traceFileLines(recordedFile, info), recorded, hr);
  const rep = tapped(traceFileLines(replayedFile), replayed, hp);
  const diff = compareLines(rec, () => (info.torn === undefined ? undefined : { text: info.torn, why: "no newline at its end" }), rep);
  let undecodable: string | undefined;
  try {
    for (const _ of rec);
  } catch (e) {
    // Past the first difference: the counts stop here, the difference is still the one to name.
    if (!(e instanceof TraceFormatError)) throw e;
    undecodable = e.message;
  }
  for (const _ of rep);
  // A torn last line is part of the file as stored: hashed, not counted.
  if (info.torn !== undefined) hr.update(info.torn);
  recorded.sha = hr.digest("hex");
  replayed.sha = hp.digest("hex");
  return { diff, recorded, replayed, recordedVersion: info.version, ...(undecodable === undefined ? {} : { undecodable }) };
}

/** A trace file's canonical lines, written to `out` (in the replay's temp dir) for the user to diff. */
function canonicalCopy(file: string, out: string): string {
  const fd = openSync(out, "w");
  try {
    let chunk = "";
    try {
      for (const l of traceFileLines(file)) {
        chunk += l + "\n";
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = "";
        }
      }
    } catch (e) {
      // Up to where an edited file stops decoding (the problem says where).
      if (!(e instanceof TraceFormatError)) throw e;
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * The problem's lines. `unit`: what the numbers count — lines of a canonical (version 1) file,
 * events of a compact one (whose own lines are records; the whole lines are in canonical copies).
 */
function traceProblem(d: Exclude<TraceDiff, { kind: "same" }>, unit: "line" | "event", recordedFile: string, replayedFile: string): string[] {
  const whole = (line: number) => `    whole lines: ${recordedFile}:${line} and ${replayedFile}:${line} (diff ${recordedFile} ${replayedFile})`;
  const side = (name: string, text: string | undefined, column = 1) => `    ${name}  ${text === undefined ? "(end of trace)" : excerpt(text, column)}`;
  const at = `${FILES.trace} ${unit}`;
  const s = (n: number) => (n === 1 ? "" : "s");
  switch (d.kind) {
    case "differs":
      return [`first difference at ${at} ${d.line}, column ${d.column}:\n${side("recorded", d.recorded, d.column)}\n${side("replayed", d.replayed, d.column)}\n${whole(d.line)}`];
    case "truncated":
      return [`${FILES.trace} is truncated at ${unit} ${d.line} (cut off mid-line: ${d.why}):\n${side("recorded", d.recorded)}\n${side("replayed", d.replayed)}\n${whole(d.line)}`];
    case "extra":
      return [`${FILES.trace} has ${d.count} extra ${unit}${s(d.count)} from ${unit} ${d.line}, where the replay's trace ends:\n${side("recorded", d.recorded)}\n${whole(d.line)}`];
    case "missing":
      return [
        `${FILES.trace} ends after ${unit} ${d.line - 1}: ${d.count} ${unit}${s(d.count)} missing from ${unit} ${d.line}:\n${side("replayed", d.replayed)}\n${whole(d.line)}`,
      ];
  }
}
