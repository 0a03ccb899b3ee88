/**
 * A run directory (docs/design.md, "The run directory and summary.json": `reports/<scenario>/<seed>/`): summary.json, trace.jsonl and
 * scenario.json — the scenario as run, with the seed written in and a plugin path made
 * absolute, so `replay` (or `run <dir>/scenario.json`) reproduces the run from the directory
 * alone — and the views beside them (timeline.html, report.md, … rendered by viz/).
 *
 * Written whole (atomic-dir.ts): every file is rendered first, then the directory is built
 * beside the target and swapped in, so a reader or a second writer never sees half of one run
 * and half of another (a --no-trace run's summary beside another run's trace or timeline).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Run, Scenario, Summary } from "../sim/index.ts";
import { putFiles, runViewFiles } from "../viz/index.ts";
import { writeDirAtomically, type AtomicDirOptions } from "./atomic-dir.ts";

export const FILES = { summary: "summary.json", trace: "trace.jsonl", scenario: "scenario.json" } as const;

export function runDirOf(outRoot: string, scenarioName: string, seed: number): string {
  return resolve(outRoot, scenarioName, String(seed));
}

/** Every file of the run directory of `run`, by name (no trace.jsonl without a trace). */
export function runDirFiles(dir: string, scenario: Scenario, run: Run): Record<string, string | null> {
  return {
    [FILES.scenario]: JSON.stringify(scenario, null, 2) + "\n",
    [FILES.summary]: JSON.stringify(run.summary, null, 2) + "\n",
    [FILES.trace]: run.trace ? run.trace.map((l) => l + "\n").join("") : null,
    ...runViewFiles(dir, run, scenario),
  };
}

/** Writes the run directory `dir` whole, replacing what was there. */
export function writeRunDir(dir: string, scenario: Scenario, run: Run, o: AtomicDirOptions = {}): void {
  const files = runDirFiles(dir, scenario, run);
  writeDirAtomically(dir, (tmp) => void putFiles(tmp, files), o);
}

/** Resolves `<run-dir>` or `<run-dir>/trace.jsonl` (or any file in it) to the run directory. */
export function runDirFromArg(arg: string): string {
  const p = resolve(arg);
  if (!existsSync(p)) throw new Error(`${arg}: no such run directory or trace file`);
  return statSync(p).isDirectory() ? p : dirname(p);
}

/** A run directory as read back: its scenario file, its summary, and its trace file's text as stored. */
export type RecordedRun = { scenarioFile: string; summary: Summary; traceText?: string };

/** Reads a run directory; throws a one-line error naming the file when it is not a readable one. */
export function readRunDir(dir: string, shown: string): RecordedRun {
  const scenarioFile = join(dir, FILES.scenario);
  const summaryFile = join(dir, FILES.summary);
  for (const f of [scenarioFile, summaryFile]) {
    if (!existsSync(f)) throw new Error(`${shown}: not a run directory (no ${basename(f)}; runs write one with \`memoconductor run\`)`);
  }
  let summary: Summary;
  try {
    summary = JSON.parse(readFileSync(summaryFile, "utf8")) as Summary;
  } catch (e) {
    throw new Error(`${join(shown, FILES.summary)}: unreadable (${(e as Error).message})`);
  }
  if (typeof summary?.traceHash !== "string") throw new Error(`${join(shown, FILES.summary)}: no traceHash`);
  const traceFile = join(dir, FILES.trace);
  if (!existsSync(traceFile)) return { scenarioFile, summary };
  try {
    return { scenarioFile, summary, traceText: readFileSync(traceFile, "utf8") };
  } catch (e) {
    throw new Error(`${join(shown, FILES.trace)}: unreadable (${(e as Error).message})`);
  }
}
