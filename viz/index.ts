/**
 * viz/: views of a run (docs/design.md, "Views"). Everything here is a function of the run (summary + trace)
 * and the scenario: the same run writes byte-identical timeline.svg, report.md and junit.xml.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Run } from "../sim/run-types.ts";
import type { ScenarioInfo } from "./layout/lanes.ts";
import { layoutRun } from "./layout/layout.ts";
import type { Model } from "./layout/model.ts";
import { renderGallery, type GalleryEntry } from "./render/gallery.ts";
import { renderTimelineHtml } from "./render/html.ts";
import { renderJunit } from "./render/junit.ts";
import { renderReportMd } from "./render/report-md.ts";
import { renderSvg } from "./render/svg.ts";
import { parseTrace, streamTraceFile, TornTraceError } from "./trace.ts";

export type { TextTable } from "./layout/text-table.ts";
export type { A as ARROW_STATUS, Arrows, ArrowStatus, Band, Events, Flag, K as EVENT_KIND, Kind as EventKind, Lane, Model } from "./layout/model.ts";
export type { AvailabilityTable, Tone } from "./render/availability.ts";
export type { LayoutInput } from "./layout/layout.ts";
export type { ParsedTrace, StreamedTrace, Event as ParsedTraceEvent, Meta as ParsedTraceMeta, Other as OtherTraceEvent } from "./trace.ts";
export type { AckEv, BufferEv, DeliverEv, DropEv, DuplicateEv, HoldEv, JumpEv, LostEv, NodeEv, SendEv, UpdateEv, VV } from "./trace.ts";
export type { ReportOptions } from "./render/report-md.ts";
export type { HtmlOptions } from "./render/html.ts";
export type { Verdict } from "./render/verdict.ts";
export type { GalleryEntry } from "./render/gallery.ts";
export type { ScenarioInfo } from "./layout/lanes.ts";
export { layoutRun } from "./layout/layout.ts";
export { esc } from "./render/escape.ts";
export { mdLine } from "./render/markdown-escape.ts";
export { checkExpectedWord, checkOutcomeWord, convergenceWords, NOT_RUN, servicesOnly, VERDICT_WORD, verdictLabel, verdictOf, verdictSentence } from "./render/verdict.ts";
export { availabilityTable, tallyText } from "./render/availability.ts";
export { parseTrace, streamTraceFile, TornTraceError, TIMELINE_MAX_EVENTS } from "./trace.ts";
export { renderGallery, renderJunit, renderReportMd, renderSvg, renderTimelineHtml };

export const VIEW_FILES = { html: "timeline.html", svg: "timeline.svg", md: "report.md", junit: "junit.xml" } as const;

/**
 * The timeline model of a run: null without a trace, with one too long to draw
 * (TIMELINE_MAX_EVENTS), or with a trace file cut off (a stopped run). A trace file is streamed.
 */
export function modelOf(run: Run, scenario?: ScenarioInfo | null): Model | null {
  const trace = run.trace ? parseTrace(run.trace) : run.traceFile ? streamTraceFile(run.traceFile) : null;
  if (!trace || "over" in trace) return null;
  try {
    return layoutRun({ trace, summary: run.summary, scenario: scenario ?? null });
  } catch (e) {
    if (e instanceof TornTraceError) return null;
    throw e;
  }
}

/** `npx memoconductor replay <dir>`, with the directory as the user would type it from here. */
export function replayCommand(runDir: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(runDir));
  const shown = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : resolve(runDir);
  const posix = shown.split(sep).join("/");
  return `npx memoconductor replay ${/[^\w./@:+-]/.test(posix) ? `'${posix.replace(/'/g, `'\\''`)}'` : posix}`;
}

/** `npx memoconductor viz <dir>`, the command that draws a run directory's timeline. */
export function vizCommand(runDir: string, cwd = process.cwd()): string {
  return replayCommand(runDir, cwd).replace(/^npx memoconductor replay /, "npx memoconductor viz ");
}

/** The four views as strings (no I/O): what writeRunViews writes. */
export function renderRunViews(
  run: Run,
  scenario?: ScenarioInfo | null,
  o: { replay?: string; notes?: readonly string[]; realRun?: boolean; model?: Model | null; views?: string } = {},
) {
  const replay = o.replay ?? "npx memoconductor replay <run-dir>";
  const model = o.model !== undefined ? o.model : modelOf(run, scenario);
  const real = o.realRun ? { realRun: true } : {};
  return {
    model,
    html: model ? renderTimelineHtml(model, { replay, ...real }) : null,
    svg: model ? renderSvg(model) : null,
    md: renderReportMd(run.summary, {
      replay,
      ...real,
      ...(o.notes ? { notes: o.notes } : {}),
      ...(scenario?.description ? { description: scenario.description } : {}),
      ...(o.views ? { views: o.views } : {}),
    }),
    junit: renderJunit(run.summary),
  };
}

/**
 * The view files of a run directory, by file name: their text, or null for a view the run cannot
 * have — a run kept without its trace (--no-trace) has report.md and junit.xml only, and a
 * timeline left from an earlier run would show another run. `runDir` is where the views will
 * live (their replay command names it), wherever they are written first. `model` null leaves the
 * timeline out of a traced run (`memoconductor run` past its timeline cap): report.md then
 * names the command that draws it.
 */
export function runViewFiles(runDir: string, run: Run, scenario?: ScenarioInfo | null, model?: Model | null): Record<string, string | null> {
  const traced = run.trace !== undefined || run.traceFile !== undefined;
  const views =
    model === null && traced
      ? `Views beside this file: \`junit.xml\`, \`trace.jsonl\`; the timeline was not drawn with the run (\`${vizCommand(runDir)}\` draws \`timeline.html\` and \`timeline.svg\`).`
      : undefined;
  const v = renderRunViews(run, scenario, { replay: replayCommand(runDir), ...(model !== undefined ? { model } : {}), ...(views ? { views } : {}) });
  return { [VIEW_FILES.html]: v.html, [VIEW_FILES.svg]: v.svg, [VIEW_FILES.md]: v.md, [VIEW_FILES.junit]: v.junit };
}

/**
 * Writes (or, for null, removes) files in `dir`; returns the paths written. Each file is
 * written aside and renamed over, so a reader never opens half of one.
 */
export function putFiles(dir: string, files: Record<string, string | null>): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [f, text] of Object.entries(files)) {
    const p = join(dir, f);
    if (text === null) rmSync(p, { force: true });
    else {
      writeAside(p, text);
      written.push(p);
    }
  }
  return written;
}

function writeAside(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Writes timeline.html, timeline.svg, report.md and junit.xml into a run directory, in place
 * (the CLI writes run directories whole, through cli/atomic-dir.ts, with runViewFiles).
 */
export function writeRunViews(runDir: string, run: Run, scenario?: ScenarioInfo | null): string[] {
  return putFiles(runDir, runViewFiles(runDir, run, scenario));
}

export type GalleryRun = { summary: Run["summary"]; runDir: string; description?: string; hasTimeline?: boolean };

/** Writes `<reportsDir>/index.html`, a card per run, and returns its path. */
export function writeGallery(reportsDir: string, runs: GalleryRun[], title?: string): string {
  mkdirSync(reportsDir, { recursive: true });
  const entries: GalleryEntry[] = runs.map((r) => ({
    summary: r.summary,
    href: relative(resolve(reportsDir), resolve(r.runDir)).split(sep).join("/") || ".",
    ...(r.description ? { description: r.description } : {}),
    ...(r.hasTimeline === undefined ? {} : { hasTimeline: r.hasTimeline }),
  }));
  const file = join(reportsDir, "index.html");
  // Written aside and renamed over, so a browser never loads half a page while `start` writes it.
  writeAside(file, renderGallery(entries, title));
  return file;
}
