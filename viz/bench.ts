/**
 * The viz scale benchmark: a 100,000-event run opened in headless Chromium. Measures the layout
 * (trace → model), the page build, the page's time to first render (navigation start → first
 * frame drawn, from the page's own performance clock) and the cost of a frame while zooming
 * and panning. Wall-clock time is measured here on purpose; nothing of it reaches a view.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findChromium, launchChromium } from "./browser/chromium.ts";
import { synthTrace } from "./fixtures/synth.ts";
import { layoutRun } from "./layout/layout.ts";
import { renderTimelineHtml } from "./render/html.ts";
import { renderSvg } from "./render/svg.ts";
import { parseTrace } from "./trace.ts";

export type VizBenchRow = { name: string; value: number; unit: string; note?: string };

export async function vizBench(o: { events?: number; outDir?: string } = {}): Promise<VizBenchRow[]> {
  const events = o.events ?? 100_000;
  const outDir = o.outDir ?? join("reports", "bench");
  const rows: VizBenchRow[] = [];
  const trace = synthTrace(events);
  let t = performance.now();
  const model = layoutRun({ trace: parseTrace(trace) });
  rows.push({ name: `layout ${events} events`, value: performance.now() - t, unit: "ms" });
  t = performance.now();
  const html = renderTimelineHtml(model);
  const svg = renderSvg(model);
  rows.push({ name: "build timeline.html + svg", value: performance.now() - t, unit: "ms", note: `${(html.length / 1e6).toFixed(1)} MB html` });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `timeline-${events}.html`);
  writeFileSync(file, html);
  writeFileSync(join(outDir, `timeline-${events}.svg`), svg);

  if (!findChromium()) {
    rows.push({ name: "time to first render", value: NaN, unit: "ms", note: "skipped: no Chromium" });
    return rows;
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto("file://" + join(process.cwd(), file));
    // Page-side code goes as strings: tsx would wrap functions in a `__name` helper the page lacks.
    await page.waitForFunction("window.timeline !== undefined", null, { timeout: 60_000 });
    if (errors.length) throw new Error(`page error: ${errors[0]}`);
    const first = (await page.evaluate("window.timeline.firstRenderMs")) as number;
    rows.push({ name: "time to first render", value: first, unit: "ms", note: `${model.ev.t.length} marks, ${model.arrows.s.length} arrows, Chromium headless` });
    // Zoom in step by step around the middle, then pan: the frame cost a user feels.
    const frames = (await page.evaluate(`(async () => {
      const tl = window.timeline, out = [], mid = tl.model.t1 / 2;
      const next = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const k of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) { tl.zoom(k, mid); await next(); out.push(tl.drawn.ms); }
      for (let i = 0; i < 10; i++) { tl.zoom(4, mid + i * tl.model.t1 * 0.02); await next(); out.push(tl.drawn.ms); }
      return out;
    })()`)) as number[];
    const sorted = [...frames].sort((a, b) => a - b);
    rows.push({ name: "zoom/pan frame (median)", value: sorted[sorted.length >> 1]!, unit: "ms", note: `${frames.length} frames` });
    rows.push({ name: "zoom/pan frame (worst)", value: sorted.at(-1)!, unit: "ms", note: "zoomed out: pixel-binned marks, sampled arrows" });
  } finally {
    await browser.close();
  }
  return rows;
}
