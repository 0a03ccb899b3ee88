/**
 * `memoconductor viz <run-dir|trace.jsonl> [-o file.html]`: (re)writes the views of a run.
 * Given a run directory (or a file in one): timeline.html, timeline.svg, report.md and junit.xml
 * beside its summary.json. With -o: only the interactive timeline, to that file. A bare
 * trace.jsonl with no summary beside it still gets its timeline (verdicts unknown).
 *
 * Self-contained on purpose (its own Io shape, exit codes by the contract: 0 written, 2 bad
 * input), so it registers in the command table with one line.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Run, Summary } from "../sim/run-types.ts";
import { layoutRun, parseTrace, renderSvg, renderTimelineHtml, replayCommand, writeRunViews, type ScenarioInfo } from "../viz/index.ts";

type Io = { out(text: string): void; err(text: string): void };

export async function vizCommand(arg: string, opts: { out?: string }, io: Io): Promise<0 | 2> {
  const fail = (why: string): 2 => (io.err(`memoconductor viz: ${why}\n`), 2);
  const p = resolve(arg);
  if (!existsSync(p)) return fail(`${arg}: no such run directory or trace file`);
  const isDir = statSync(p).isDirectory();
  const dir = isDir ? p : dirname(p);
  const traceFile = isDir || basename(p) !== basename(p, ".jsonl") + ".jsonl" ? join(dir, "trace.jsonl") : p;
  if (!existsSync(traceFile))
    return fail(`${arg}: no trace.jsonl (runs keep one unless --no-trace; re-run without it to see a timeline)`);
  const readJson = <T>(f: string): T | null => {
    if (!existsSync(f)) return null;
    try {
      return JSON.parse(readFileSync(f, "utf8")) as T;
    } catch (e) {
      throw new Error(`${relative(process.cwd(), f) || f}: unreadable JSON (${(e as Error).message})`);
    }
  };
  let trace: string[], summary: Summary | null, scenario: ScenarioInfo | null;
  try {
    trace = readFileSync(traceFile, "utf8").split("\n").filter((l) => l !== "");
    summary = readJson<Summary>(join(dir, "summary.json"));
    scenario = readJson<ScenarioInfo>(join(dir, "scenario.json"));
    if (summary && typeof summary.traceHash !== "string") summary = null;
    parseTrace(trace); // malformed lines fail here, as bad input
  } catch (e) {
    return fail((e as Error).message);
  }

  const shown = (f: string) => relative(process.cwd(), f) || f;
  if (opts.out || !summary) {
    const model = layoutRun({ trace: parseTrace(trace), summary, scenario });
    const html = resolve(opts.out ?? join(dir, "timeline.html"));
    mkdirSync(dirname(html), { recursive: true });
    writeFileSync(html, renderTimelineHtml(model, summary ? { replay: replayCommand(dir) } : {}));
    const written = [html];
    if (!opts.out) writeFileSync(join(dir, "timeline.svg"), renderSvg(model)), written.push(join(dir, "timeline.svg"));
    for (const f of written) io.out(`wrote ${shown(f)}\n`);
    return 0;
  }
  const run: Run = { summary, trace };
  for (const f of writeRunViews(dir, run, scenario)) io.out(`wrote ${shown(f)}\n`);
  return 0;
}
