/**
 * The viz scale benchmark on real runs: the long or-set fixture (5 nodes, 2 % loss and
 * duplication, one partition; bench/trace-run.ts) at about 10k, 100k and 1M simulator events,
 * each run with its trace streamed to a file, then laid out into timeline.html
 * (bench/viz-page.ts), each step in its own process so its peak RSS is its own; then the page
 * opened in headless Chromium: time to first render (navigation start → first frame drawn, from
 * the page's own clock) and the cost of a frame while zooming in and panning. Wall-clock time is
 * measured here on purpose; nothing of it reaches a view.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findChromium, launchChromium } from "./browser/chromium.ts";

export type VizBenchRow = { name: string; value: number; unit: string; note?: string };

/** Workload length (virtual ms) of the or-set fixture for about 10k, 100k and 1M simulator events. */
export const VIZ_BENCH_SIZES = [1_000, 10_000, 100_000];

const script = (f: string) => fileURLToPath(new URL(`../bench/${f}`, import.meta.url));
const child = <T>(f: string, args: string[]): T =>
  JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script(f), ...args], { encoding: "utf8", maxBuffer: 1 << 20 })) as T;

/**
 * `step` and `emit` let the bench driver time each size as a step (bench/step.ts): a size it
 * passes over is not measured, and the rows of each size are handed over as soon as it ends.
 */
export async function vizBench(o: { sizes?: number[]; outDir?: string; step?: (label: string) => boolean; emit?: (rows: VizBenchRow[]) => void } = {}): Promise<VizBenchRow[]> {
  const outDir = o.outDir ?? join("reports", "bench");
  mkdirSync(outDir, { recursive: true });
  const rows: VizBenchRow[] = [];
  const browser = findChromium() ? await launchChromium() : null;
  // The traces are big (~95 MB at 1M events) and only read back here; the pages stay, to be opened.
  const tmp = mkdtempSync(join(tmpdir(), "mc-bench-viz-"));
  try {
    for (const until of o.sizes ?? VIZ_BENCH_SIZES) {
      if (o.step && !o.step(`or-set run of ${until.toLocaleString("en-US")} virtual ms`)) continue;
      const before = rows.length;
      const traceFile = join(tmp, `or-set-${until}.trace.jsonl`);
      const page = join(outDir, `timeline-or-set-${until}.html`);
      const run = child<{ events: number; bytes: number; cpuMs: number; maxRssKb: number; ok: boolean }>("trace-run.ts", [String(until), traceFile]);
      const size = `${run.events.toLocaleString("en-US")} events`;
      const built = child<{ marks: number; arrows: number; layoutMs: number; pageMs: number; pageBytes: number; maxRssKb: number }>("viz-page.ts", [traceFile, page]);
      rows.push(
        { name: `or-set ${size}: run, trace on`, value: run.cpuMs / 1000, unit: "s", note: `CPU time; ${run.ok ? "checks as expected" : "CHECKS FAILED"}` },
        { name: `or-set ${size}: run peak RSS`, value: run.maxRssKb / 1024, unit: "MB" },
        { name: `or-set ${size}: trace bytes per event`, value: statSync(traceFile).size / run.events, unit: "B", note: `${(run.bytes / 1e6).toFixed(1)} MB trace.jsonl` },
        {
          name: `or-set ${size}: layout + page build`,
          value: (built.layoutMs + built.pageMs) / 1000,
          unit: "s",
          note: `layout ${(built.layoutMs / 1000).toFixed(1)} s; ${built.marks.toLocaleString("en-US")} marks, ${built.arrows.toLocaleString("en-US")} arrows`,
        },
        { name: `or-set ${size}: page build peak RSS`, value: built.maxRssKb / 1024, unit: "MB" },
        {
          name: `or-set ${size}: page bytes per event`,
          value: built.pageBytes / run.events,
          unit: "B",
          note: `${(built.pageBytes / 1e6).toFixed(1)} MB timeline.html; goal ≤ 40 MB at 1M`,
        },
      );
      if (!browser) rows.push({ name: `or-set ${size}: first render`, value: NaN, unit: "ms", note: "skipped: no Chromium" });
      else rows.push(...(await inChromium(browser, page, size)));
      o.emit?.(rows.slice(before));
    }
  } finally {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

async function inChromium(browser: Awaited<ReturnType<typeof launchChromium>>, file: string, size: string): Promise<VizBenchRow[]> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(resolve(file)).href);
    // Page-side code goes as strings: tsx would wrap functions in a `__name` helper the page lacks.
    await page.waitForFunction("window.timeline !== undefined", null, { timeout: 120_000 });
    if (errors.length) throw new Error(`page error: ${errors[0]}`);
    const first = (await page.evaluate("window.timeline.firstRenderMs")) as number;
    // Zoom in step by step around the middle, then pan, then hover, select and slide at full zoom-out.
    const frames = (await page.evaluate(`(async () => {
      const tl = window.timeline, out = [], mid = tl.model.t1 / 2;
      const next = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const k of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]) { tl.zoom(k, mid); await next(); out.push(tl.drawn.ms); }
      for (let i = 0; i < 10; i++) { tl.zoom(4, mid + i * tl.model.t1 * 0.02); await next(); out.push(tl.drawn.ms); }
      return out;
    })()`)) as number[];
    const t = (await page.evaluate(`(async () => {
      const tl = window.timeline, next = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      tl.zoom(1, 0); await next();
      let s = performance.now(); tl.select(Math.floor(tl.model.ev.t.length / 2)); await next(); const select = performance.now() - s;
      s = performance.now(); tl.setTime(tl.model.t1 / 3); await next(); const slide = performance.now() - s;
      tl.select(-1);
      return { select, slide };
    })()`)) as { select: number; slide: number };
    const sorted = [...frames].sort((a, b) => a - b);
    return [
      { name: `or-set ${size}: first render`, value: first, unit: "ms", note: "navigation start → first frame, Chromium headless; goal ≤ 5 s at 1M" },
      { name: `or-set ${size}: zoom/pan frame (median)`, value: sorted[sorted.length >> 1]!, unit: "ms", note: `${frames.length} frames; goal ≤ 50 ms at 1M` },
      { name: `or-set ${size}: zoom/pan frame (worst)`, value: sorted.at(-1)!, unit: "ms" },
      { name: `or-set ${size}: select an event (causal cone)`, value: t.select, unit: "ms", note: "cone computed, counted and drawn" },
      { name: `or-set ${size}: move the time slider`, value: t.slide, unit: "ms", note: "values decoded from their keyframes and drawn" },
    ];
  } finally {
    await page.close();
  }
}
