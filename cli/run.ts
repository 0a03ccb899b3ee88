/**
 * `memoconductor run <scenario.json>...`: load each file, run it, write its run directory, print
 * a verdict (or with --json exactly one summary line per scenario on stdout), and return the
 * exit code: 2 if any file was bad input, else 1 if any expectation failed, else 0. A bad file
 * does not stop the others: every good scenario still runs and is reported.
 */
import { ScenarioError } from "../sim/scenario/load-errors.ts";
import { loadScenario, portableScenario } from "../sim/scenario/load.ts";
import type { LimitOverrides } from "../sim/scenario/limits.ts";
import { DEFAULT_SEED, runLoaded } from "../sim/index.ts";
import type { Summary } from "../sim/run-types.ts";
import { existsSync, statSync } from "node:fs";
import { shownPath, verdictBlock } from "./format.ts";
import { scenarioFiles } from "./list.ts";
import { progress } from "./progress.ts";
import { EXIT, errorLine, worst, type ExitCode, type Io } from "./io.ts";
import { runDirOf, writeRunDir } from "./run-dir.ts";
import { writeRunViews } from "../viz/index.ts";

export type RunOptions = { seed?: number; out: string; json: boolean; trace: boolean; limits?: LimitOverrides };
export type Outcome = { code: ExitCode; summary?: Summary; runDir?: string; description?: string };

/** Runs one scenario file; reports problems on `io.err` as one line. */
export async function runOne(file: string, opts: RunOptions, io: Io, quiet = false, beforeOutput = () => {}): Promise<Outcome> {
  const result = await runQuiet(file, opts, io, beforeOutput);
  if (result.summary && result.runDir) {
    if (opts.json) io.out(JSON.stringify(result.summary) + "\n");
    else if (!quiet) io.out(verdictBlock(result.summary, result.runDir) + "\n");
  }
  return result;
}

async function runQuiet(file: string, opts: RunOptions, io0: Io, beforeOutput: () => void): Promise<Outcome> {
  const io: Io = { out: io0.out, err: (t) => (beforeOutput(), io0.err(t)) };
  let loaded;
  try {
    loaded = await loadScenario(file, { limits: opts.limits ?? {} });
  } catch (e) {
    io.err(`${e instanceof ScenarioError ? e.message : `${file}: ${errorLine(e)}`}\n`);
    return { code: EXIT.badInput };
  }
  const seed = opts.seed ?? loaded.scenario.seed ?? DEFAULT_SEED;
  let run;
  try {
    run = runLoaded(loaded, { seed, trace: opts.trace });
  } catch (e) {
    // Over its event limit (refused up front, or stopped): the one-line `<file>: <path>: <reason>`.
    if (e instanceof ScenarioError) {
      io.err(`${e.message}\n`);
      return { code: EXIT.badInput };
    }
    // The engine threw: in practice a plugin whose update/merge/value throws. Bad input, one line.
    io.err(`${file}: run failed (seed ${seed}): ${errorLine(e)}\n`);
    return { code: EXIT.badInput };
  }
  const runDir = runDirOf(opts.out, loaded.scenario.name, seed);
  try {
    writeRunDir(runDir, portableScenario(loaded, seed), run);
    writeRunViews(runDir, run, loaded.scenario);
  } catch (e) {
    io.err(`${file}: cannot write run directory ${runDir}: ${errorLine(e)}\n`);
    return { code: EXIT.badInput };
  }
  beforeOutput();
  return { code: run.summary.ok ? EXIT.ok : EXIT.failed, summary: run.summary, runDir, ...(loaded.scenario.description ? { description: loaded.scenario.description } : {}) };
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
