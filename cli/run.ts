/**
 * `memoconductor run <scenario.json>...`: load each file, run it, write its run directory, print
 * a verdict (or with --json exactly one summary line per scenario on stdout), and return the
 * exit code: 2 if any file was bad input, else 1 if any expectation failed, else 0. A bad file
 * does not stop the others: every good scenario still runs and is reported.
 */
import type { Scenario, Summary } from "../sim/index.ts";
import { type LimitOverrides, ScenarioError } from "../sim/simulate.ts";
import { existsSync, statSync } from "node:fs";
import { shownPath, verdictBlock } from "./format.ts";
import { scenarioFiles } from "./list.ts";
import { progress } from "./progress.ts";
import { EXIT, errorLine, worst, type ExitCode, type Io } from "./io.ts";
import { beginRunDir, runDirOf, type RunDirInProgress, writeRunDir } from "./run-dir.ts";
import { RunFailure, runScenarioFile } from "./run-scenario.ts";
import { vizCommand } from "../viz/index.ts";
import { DEFAULT_PLUGIN_TIMEOUT_S } from "./sandbox/defaults.ts";

/**
 * The most events `run` draws a timeline for by itself: about 12 s of CPU and 280 MB to lay out and write
 * here. Past it the timeline is left to `memoconductor viz <run-dir>` (which draws up to
 * TIMELINE_MAX_EVENTS, minutes and gigabytes at a million events), or drawn with `--timeline`.
 */
export const RUN_TIMELINE_MAX_EVENTS = 100_000;

/**
 * `pluginTimeout`: seconds one plugin call may take (default DEFAULT_PLUGIN_TIMEOUT_S); `limits`: the flags' limits, over the file's;
 * `timeline`: draw the timeline whatever the run's length (else only up to `timelineMaxEvents`, default RUN_TIMELINE_MAX_EVENTS).
 */
export type RunOptions = {
  seed?: number;
  out: string;
  json: boolean;
  trace: boolean;
  pluginTimeout?: number;
  limits?: LimitOverrides;
  timeline?: boolean;
  timelineMaxEvents?: number;
};
/** `timeline`: false when a traced run's timeline was left to `viz` (past RUN_TIMELINE_MAX_EVENTS). */
export type Outcome = { code: ExitCode; summary?: Summary; runDir?: string; description?: string; timeline?: boolean };

/** Runs one scenario file; reports problems on `io.err` as one line. */
export async function runOne(file: string, opts: RunOptions, io: Io, quiet = false, beforeOutput = () => {}): Promise<Outcome> {
  const result = await runQuiet(file, opts, io, beforeOutput);
  if (result.summary && result.runDir) {
    if (opts.json) io.out(JSON.stringify(result.summary) + "\n");
    else if (!quiet) io.out(verdictBlock(result.summary, result.runDir) + "\n");
    // One line (stderr, so --json keeps stdout to the summaries): how to draw what was left out.
    if (result.timeline === false)
      io.err(
        `${shownPath(result.runDir)}: timeline not drawn: ${result.summary.stats.events.toLocaleString("en-US")} events, over ${(opts.timelineMaxEvents ?? RUN_TIMELINE_MAX_EVENTS).toLocaleString("en-US")} (--timeline draws it with the run); draw it with: ${vizCommand(result.runDir)}\n`,
      );
  }
  return result;
}

async function runQuiet(file: string, opts: RunOptions, io0: Io, beforeOutput: () => void): Promise<Outcome> {
  const io: Io = { out: io0.out, err: (t) => (beforeOutput(), io0.err(t)) };
  // A traced run streams its trace into its run directory as it goes (run-dir.ts beginRunDir).
  let inProgress: RunDirInProgress | undefined;
  const traceFileFor = (scenario: Scenario, seed: number, portable: Scenario): string => {
    const dir = runDirOf(opts.out, scenario.name, seed);
    try {
      inProgress = beginRunDir(dir, portable);
    } catch (e) {
      throw new RunFailure(`${file}: cannot write run directory ${dir}: ${errorLine(e)}`);
    }
    return inProgress.traceFile;
  };
  let ran;
  try {
    ran = await runScenarioFile(file, {
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      trace: opts.trace,
      pluginTimeoutS: opts.pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S,
      limits: opts.limits ?? {},
      traceFileFor,
    });
  } catch (e) {
    // A bad scenario, a plugin whose method threw or that misbehaved: bad input, one line; the
    // run directory stays as it was.
    inProgress?.abandon();
    io.err(`${e instanceof ScenarioError || e instanceof RunFailure ? e.message : `${file}: ${errorLine(e)}`}\n`);
    return { code: EXIT.badInput };
  }
  const { scenario, seed, run, portable } = ran;
  const runDir = runDirOf(opts.out, scenario.name, seed);
  // A long traced run's timeline takes minutes and gigabytes to draw: left to `viz` unless asked for.
  const traced = run.trace !== undefined || run.traceFile !== undefined;
  const timeline = !traced || opts.timeline === true || run.summary.stats.events <= (opts.timelineMaxEvents ?? RUN_TIMELINE_MAX_EVENTS);
  try {
    if (inProgress) inProgress.finish(run, { timeline });
    else writeRunDir(runDir, portable, run, {}, { timeline });
  } catch (e) {
    io.err(`${file}: cannot write run directory ${runDir}: ${errorLine(e)}\n`);
    return { code: EXIT.badInput };
  }
  beforeOutput();
  return {
    code: run.summary.ok ? EXIT.ok : EXIT.failed,
    summary: run.summary,
    runDir,
    ...(scenario.description ? { description: scenario.description } : {}),
    ...(traced ? { timeline } : {}),
  };
}

/**
 * The files to run: a directory stands for the scenarios in it, and the format's own JSON
 * Schema is skipped (so `run scenarios/*.json` does what it says).
 */
export function expandArgs(args: string[], io: Io): string[] {
  return args.flatMap((arg) => {
    if (existsSync(arg) && statSync(arg).isDirectory()) return scenarioFiles(arg).map(shownPath);
    if (arg.endsWith(".schema.json")) {
      io.err(`skipping ${arg} (a JSON Schema, not a scenario)\n`);
      return [];
    }
    return [arg];
  });
}

export async function runCommand(args: string[], opts: RunOptions, io: Io): Promise<ExitCode> {
  const codes: ExitCode[] = [];
  const files = expandArgs(args, io);
  const bar = progress(!opts.json && files.length > 1);
  for (const [i, file] of files.entries()) {
    bar.step(i, files.length, file);
    const outcome = await runOne(file, opts, io, false, bar.done);
    codes.push(outcome.code);
  }
  bar.done();
  return worst(codes);
}
