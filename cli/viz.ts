/**
 * `memoconductor viz <run-dir|trace.jsonl> [-o file.html]`: (re)writes the views of a run.
 * Given a run directory (or a file in one): timeline.html, timeline.svg, report.md and junit.xml
 * beside its summary.json. With -o: only the interactive timeline, to that file. A bare
 * trace.jsonl with no summary beside it still gets its timeline (verdicts unknown). In a run
 * directory the views are written under the directory's lock (atomic-dir.ts), each file
 * written aside and renamed over.
 *
 * Self-contained on purpose (its own Io shape, exit codes by the contract: 0 written, 2 bad
 * input), so it registers in the command table with one line.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Summary } from "../sim/index.ts";
import { layoutRun, putFiles, renderSvg, renderTimelineHtml, replayCommand, runViewFiles, streamTraceFile, VIEW_FILES, type Model, type ScenarioInfo } from "../viz/index.ts";
import { withDirLock } from "./atomic-dir.ts";
import { incompleteRun } from "./run-dir.ts";

type Io = { out(text: string): void; err(text: string): void };

type Loaded = { model: Model; summary: Summary | null; scenario: ScenarioInfo | null };

/**
 * Lays out a trace (streamed from its file) with, beside it, summary.json and scenario.json if
 * there; throws one-line errors (a malformed or cut-off line included: nothing is written then).
 */
function load(dir: string, traceFile: string): Loaded {
  const readJson = <T>(f: string): T | null => {
    if (!existsSync(f)) return null;
    try {
      return JSON.parse(readFileSync(f, "utf8")) as T;
    } catch (e) {
      throw new Error(`${relative(process.cwd(), f) || f}: unreadable JSON (${(e as Error).message})`);
    }
  };
  const shown = relative(process.cwd(), traceFile) || traceFile;
  // The run directory's INCOMPLETE marker first: a stopped run's trace is torn, not malformed.
  const incomplete = existsSync(join(dir, "summary.json")) ? null : incompleteRun(dir, relative(process.cwd(), dir) || dir);
  if (incomplete) throw new Error(incomplete);
  let summary = readJson<Summary>(join(dir, "summary.json"));
  const scenario = readJson<ScenarioInfo>(join(dir, "scenario.json"));
  if (summary && typeof summary.traceHash !== "string") summary = null;
  try {
    const trace = streamTraceFile(traceFile);
    if ("over" in trace) throw new Error(`over ${trace.over.toLocaleString("en-US")} events; a timeline draws at most that many (report.md and junit.xml have the verdicts)`);
    return { model: layoutRun({ trace, summary, scenario }), summary, scenario };
  } catch (e) {
    throw new Error(`${shown}: ${(e as Error).message}`);
  }
}

/**
 * The views to write into `dir` (whose replay command names `shownDir`): all four for a run
 * with its summary; the timeline alone (html and svg) for a bare trace.
 */
function viewFiles(shownDir: string, { model, summary, scenario }: Loaded): Record<string, string | null> {
  if (summary) return runViewFiles(shownDir, { summary }, scenario, model);
  return { [VIEW_FILES.html]: renderTimelineHtml(model, {}), [VIEW_FILES.svg]: renderSvg(model) };
}

export async function vizCommand(arg: string, opts: { out?: string }, io: Io): Promise<0 | 2> {
  const fail = (why: string): 2 => (io.err(`memoconductor viz: ${why}\n`), 2);
  const p = resolve(arg);
  if (!existsSync(p)) return fail(`${arg}: no such run directory or trace file`);
  const isDir = statSync(p).isDirectory();
  const dir = isDir ? p : dirname(p);
  const traceFile = isDir || basename(p) !== basename(p, ".jsonl") + ".jsonl" ? join(dir, "trace.jsonl") : p;
  if (!existsSync(traceFile)) return fail(`${arg}: no trace.jsonl (runs keep one unless --no-trace; re-run without it to see a timeline)`);
  const shown = (f: string) => relative(process.cwd(), f) || f;
  try {
    if (opts.out) {
      const { model, summary } = load(dir, traceFile);
      const html = resolve(opts.out);
      mkdirSync(dirname(html), { recursive: true });
      writeFileSync(html, renderTimelineHtml(model, summary ? { replay: replayCommand(dir) } : {}));
      io.out(`wrote ${shown(html)}\n`);
      return 0;
    }
    // In a run directory the views are rewritten under its lock, reading the run inside it: a
    // run writing the same directory meanwhile cannot leave views of one run beside another's
    // trace. (In place, not swapped whole: the directory may be the shell's working directory.)
    const write = () => putFiles(dir, viewFiles(dir, load(dir, traceFile))).map((f) => basename(f));
    const names = existsSync(join(dir, "summary.json")) ? withDirLock(dir, write) : write();
    for (const f of names) io.out(`wrote ${shown(join(dir, f))}\n`);
    return 0;
  } catch (e) {
    return fail((e as Error).message);
  }
}
