/**
 * A run directory (docs/design.md, "The run directory and summary.json": `reports/<scenario>/<seed>/`): summary.json, trace.jsonl and
 * scenario.json — the scenario as run, with the seed written in and a plugin path made
 * absolute, so `replay` (or `run <dir>/scenario.json`) reproduces the run from the directory
 * alone — and the views beside them (timeline.html, report.md, … rendered by viz/).
 *
 * Never half of one run and half of another (a --no-trace run's summary beside another run's
 * trace or timeline), through atomic-dir.ts: a run without a trace is rendered first and swapped
 * in whole; a traced run replaces the directory when it starts — scenario.json and an INCOMPLETE
 * marker — streams trace.jsonl into it as it goes, and at its end writes summary.json and the
 * views and removes the marker. A run stopped half-way (Ctrl-C, kill) leaves the marker: readers
 * say the run is incomplete in one line (incompleteRun) instead of reading a torn trace.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Run, Scenario, Summary } from "../sim/index.ts";
import { traceFileLines } from "../sim/simulate.ts";
import { putFiles, runViewFiles } from "../viz/index.ts";
import { replaceDirHeld, writeDirAtomically, type AtomicDirOptions } from "./atomic-dir.ts";
import { pidAlive } from "./dir-lock.ts";

export const FILES = { summary: "summary.json", trace: "trace.jsonl", scenario: "scenario.json", incomplete: "INCOMPLETE" } as const;

export function runDirOf(outRoot: string, scenarioName: string, seed: number): string {
  return resolve(outRoot, scenarioName, String(seed));
}

/** How a run directory's views are drawn: `timeline: false` leaves out timeline.html and timeline.svg (`memoconductor viz` draws them later). */
export type ViewOptions = { timeline?: boolean };

/** Every file of the run directory of `run`, by name (no trace.jsonl without a trace). */
export function runDirFiles(dir: string, scenario: Scenario, run: Run, v: ViewOptions = {}): Record<string, string | null> {
  return {
    [FILES.scenario]: JSON.stringify(scenario, null, 2) + "\n",
    [FILES.summary]: JSON.stringify(run.summary, null, 2) + "\n",
    ...(run.traceFile === undefined ? { [FILES.trace]: run.trace ? run.trace.map((l) => l + "\n").join("") : null } : {}),
    ...runViewFiles(dir, run, scenario, v.timeline === false ? null : undefined),
  };
}

/** Writes the run directory `dir` whole, replacing what was there. */
export function writeRunDir(dir: string, scenario: Scenario, run: Run, o: AtomicDirOptions = {}, v: ViewOptions = {}): void {
  const files = runDirFiles(dir, scenario, run, v);
  writeDirAtomically(dir, (tmp) => void putFiles(tmp, files), o);
}

/** A traced run's directory while the run goes (beginRunDir). */
export type RunDirInProgress = { traceFile: string; finish(run: Run, v?: ViewOptions): void; abandon(): void };

/**
 * Replaces `dir` with a run directory in progress — scenario.json and the INCOMPLETE marker — and
 * holds its lock while the run streams `traceFile` into it. `finish` writes the summary and the
 * views and removes the marker; `abandon` (the run failed: bad input, a plugin that misbehaved)
 * puts back the directory that was there.
 */
export function beginRunDir(dir: string, scenario: Scenario, o: AtomicDirOptions = {}): RunDirInProgress {
  const held = replaceDirHeld(
    dir,
    (tmp) =>
      void putFiles(tmp, {
        [FILES.scenario]: JSON.stringify(scenario, null, 2) + "\n",
        [FILES.incomplete]: incompleteText(process.pid),
      }),
    o,
  );
  return {
    traceFile: join(dir, FILES.trace),
    finish(run, v = {}) {
      try {
        const { [FILES.trace]: _streamed, [FILES.scenario]: _written, ...rest } = runDirFiles(dir, scenario, run, v);
        putFiles(dir, { ...rest, [FILES.incomplete]: null });
      } catch (e) {
        held.rollBack();
        throw e;
      }
      held.commit();
    },
    abandon: () => held.rollBack(),
  };
}

const incompleteText = (pid: number) =>
  `This run did not finish: it was stopped, or it is still running (pid ${pid}). ${FILES.trace} holds its events up to there; ` +
  `${FILES.summary} and the views are written when a run ends. Run ${FILES.scenario} again to redo it.\n`;

/**
 * One line when `dir` holds a run that did not finish (its INCOMPLETE marker is there), naming
 * how far its trace got; null for a finished run.
 */
export function incompleteRun(dir: string, shown: string): string | null {
  const marker = join(dir, FILES.incomplete);
  if (!existsSync(marker)) return null;
  const pid = Number(/pid (\d+)/.exec(readFileSync(marker, "utf8"))?.[1]);
  const trace = join(dir, FILES.trace);
  let events = 0;
  try {
    if (existsSync(trace)) for (const _ of traceFileLines(trace)) events++;
  } catch {
    // A line the format does not allow: the count stops there.
  }
  const got = `${events.toLocaleString("en-US")} events in ${FILES.trace}`;
  if (pid && pid !== process.pid && pidAlive(pid)) return `${shown}: the run is still going (pid ${pid}; ${got} so far)`;
  return `${shown}: an incomplete run — stopped before it finished (${got}, no ${FILES.summary}); run it again: npx memoconductor run ${join(shown, FILES.scenario)}`;
}

/** The run directories under `outRoot` (`<scenario>/<seed>/`) left incomplete, each as incompleteRun's line. */
export function incompleteRuns(outRoot: string, shown: (dir: string) => string): string[] {
  if (!existsSync(outRoot)) return [];
  const dirs = (d: string) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith("."));
  return dirs(outRoot)
    .flatMap((s) => dirs(join(outRoot, s.name)).map((r) => join(outRoot, s.name, r.name)))
    .sort()
    .flatMap((dir) => incompleteRun(dir, shown(dir)) ?? []);
}

/** Resolves `<run-dir>` or `<run-dir>/trace.jsonl` (or any file in it) to the run directory. */
export function runDirFromArg(arg: string): string {
  const p = resolve(arg);
  if (!existsSync(p)) throw new Error(`${arg}: no such run directory or trace file`);
  return statSync(p).isDirectory() ? p : dirname(p);
}

/** A run directory as read back: its scenario file, its summary, and its trace file when it has one. */
export type RecordedRun = { scenarioFile: string; summary: Summary; traceFile?: string };

/** Reads a run directory; throws a one-line error naming the file when it is not a readable one. */
export function readRunDir(dir: string, shown: string): RecordedRun {
  const scenarioFile = join(dir, FILES.scenario);
  const summaryFile = join(dir, FILES.summary);
  const incomplete = incompleteRun(dir, shown);
  if (incomplete) throw new Error(incomplete);
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
  return existsSync(traceFile) ? { scenarioFile, summary, traceFile } : { scenarioFile, summary };
}
