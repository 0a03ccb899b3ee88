/**
 * A run directory (DESIGN.md: `reports/<scenario>/<seed>/`): summary.json, trace.jsonl and
 * scenario.json — the scenario as run, with the seed written in and a plugin path made
 * absolute, so `replay` (or `run <dir>/scenario.json`) reproduces the run from the directory
 * alone. The views (timeline.html, report.md, …) are written beside them by viz/.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Run, Summary } from "../sim/run-types.ts";
import type { Scenario } from "../sim/scenario/types.ts";

export const FILES = { summary: "summary.json", trace: "trace.jsonl", scenario: "scenario.json" } as const;

export function runDirOf(outRoot: string, scenarioName: string, seed: number): string {
  return resolve(outRoot, scenarioName, String(seed));
}

export function writeRunDir(dir: string, scenario: Scenario, run: Run): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, FILES.scenario), JSON.stringify(scenario, null, 2) + "\n");
  writeFileSync(join(dir, FILES.summary), JSON.stringify(run.summary, null, 2) + "\n");
  const trace = join(dir, FILES.trace);
  if (run.trace) writeFileSync(trace, run.trace.map((l) => l + "\n").join(""));
  // A trace left from an earlier run of another version of the scenario would sit beside this
  // summary and mislead viz/replay; --no-trace means "this run has no trace".
  else if (existsSync(trace)) rmSync(trace);
}

/** Resolves `<run-dir>` or `<run-dir>/trace.jsonl` (or any file in it) to the run directory. */
export function runDirFromArg(arg: string): string {
  const p = resolve(arg);
  if (!existsSync(p)) throw new Error(`${arg}: no such run directory or trace file`);
  return statSync(p).isDirectory() ? p : dirname(p);
}

export function readRunDir(dir: string, shown: string): { scenarioFile: string; summary: Summary; trace?: string[] } {
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
  const out: { scenarioFile: string; summary: Summary; trace?: string[] } = { scenarioFile, summary };
  if (existsSync(traceFile)) out.trace = readFileSync(traceFile, "utf8").split("\n").filter((l) => l !== "");
  return out;
}
