/**
 * `memoconductor start` (`npm start`): runs every scenario of the gallery, writes their run
 * directories (with their timelines) under reports/, writes the gallery page reports/index.html,
 * and prints one table row per scenario and where the reports are — and, in one line each, the
 * run directories there that a stopped run left incomplete (they have no card).
 */
import { basename, resolve } from "node:path";
import { checksCell, shownPath, table, type Row } from "./format.ts";
import { worst, type ExitCode, type Io } from "./io.ts";
import { scenarioFiles, SCENARIOS_DIR } from "./list.ts";
import { NOT_RUN, servicesOnly, verdictLabel, verdictOf, writeGallery, type GalleryRun } from "../viz/index.ts";
import { progress } from "./progress.ts";
import { incompleteRuns } from "./run-dir.ts";
import { runOne } from "./run.ts";

export async function startCommand(opts: { out: string; pluginTimeout?: number }, io: Io, dir = SCENARIOS_DIR): Promise<ExitCode> {
  const rows: Row[] = [];
  const gallery: GalleryRun[] = [];
  const codes: ExitCode[] = [];
  const files = scenarioFiles(dir);
  const bar = progress(true);
  for (const [i, file] of files.entries()) {
    bar.step(i, files.length, basename(file, ".json"));
    const r = await runOne(
      shownPath(file),
      { out: opts.out, json: false, trace: true, ...(opts.pluginTimeout === undefined ? {} : { pluginTimeout: opts.pluginTimeout }) },
      io,
      true,
      bar.done,
    );
    codes.push(r.code);
    const s = r.summary;
    if (s && r.runDir)
      gallery.push({ summary: s, runDir: r.runDir, ...(r.description ? { description: r.description } : {}), ...(r.timeline === false ? { hasTimeline: false } : {}) });
    rows.push(
      s
        ? {
            scenario: s.scenario,
            crdt: servicesOnly(s.stats) ? "services only" : s.crdt,
            seed: String(s.seed),
            verdict: verdictLabel(verdictOf(s.ok, s.checks)),
            checks: checksCell(s),
          }
        : { scenario: basename(file, ".json"), crdt: "-", seed: "-", verdict: NOT_RUN, checks: "(see error above)" },
    );
  }
  bar.done();
  io.out(table(rows));
  io.out(`\n✓ = the property held, ✗ = an anomaly was caught, ! = not what the scenario expects\n`);
  // Runs stopped half-way (this time or an earlier one) have no card: one line each says so.
  for (const line of incompleteRuns(opts.out, shownPath)) io.err(`${line}\n`);
  const index = writeGallery(opts.out, gallery, "MemoConductor scenario gallery");
  io.out(`reports: ${resolve(opts.out)}  (open ${shownPath(index)})\n`);
  return worst(codes);
}
