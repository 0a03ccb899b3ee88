/**
 * The playground in headless Chromium (Debian chromium): simulated events per second in the page
 * against the same session simulated here in Node (the same sources: the same-run peer), the
 * time from an edit to the redrawn page, and the frame time while a session of 5 nodes × 50
 * ops/s plays live at 1× (goal: 60 fps, a frame within 16.7 ms).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPlayground } from "../../playground/build/build.ts";
import { runSession } from "../../playground/session/run-session.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { findChromium, launchChromium } from "../../viz/browser/chromium.ts";
import type { BenchRow } from "../types.ts";

export const name = "playground";

const SESSION: Scenario = {
  name: "bench-playground",
  seed: 1,
  nodes: ["n1", "n2", "n3", "n4", "n5"],
  crdt: "or-set",
  sync: { antiEntropyMs: 500 },
  network: { latency: { dist: "uniform", min: 20, max: 120 } },
  workload: { ratePerNode: 50, from: 0, to: 10_000 },
  duration: 10_000,
};
const REPEATS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const row = (n: string, value: number, unit: string, note?: string) => rows.push({ suite: name, name: n, value, unit, ...(note ? { note } : {}) });

  // The peer: the same session, the same code path (validate, resolve, run, lay out), in Node.
  const nodeMs: number[] = [];
  let events = 0;
  for (let i = 0; i < REPEATS; i++) {
    const r = await runSession(SESSION, () => performance.now());
    nodeMs.push(r.simMs);
    events = r.run.summary.stats.events;
  }
  const nodeRate = events / (median(nodeMs) / 1000);
  row("simulated events/s in Node (peer)", nodeRate, "events/s", `${events} events, 5 nodes × 50 ops/s for 10 s, median of ${REPEATS}`);
  if (!findChromium()) {
    row("simulated events/s in the page", NaN, "events/s", "skipped: no Chromium");
    return rows;
  }

  const dir = mkdtempSync(join(tmpdir(), "mc-bench-playground-"));
  const browser = await launchChromium();
  try {
    await buildPlayground(join(dir, "site"));
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto("file://" + join(dir, "site", "index.html"));
    await page.waitForSelector("body[data-ready]");
    // Page-side code goes as strings: tsx would wrap functions in a `__name` helper the page lacks.
    const edits = (await page.evaluate(`(async () => {
      const out = [];
      for (let i = 0; i < ${REPEATS}; i++) {
        const t = performance.now();
        // Another name each time: the page would otherwise resume the same session from a checkpoint.
        await window.playground.load({ ...${JSON.stringify(SESSION)}, name: "bench-playground-" + i });
        await new Promise((r) => requestAnimationFrame(() => r()));
        out.push({ edit: performance.now() - t, sim: window.playground.state().simMs });
      }
      return out;
    })()`)) as { edit: number; sim: number }[];
    if (errors.length) throw new Error(`page error: ${errors[0]}`);
    const pageRate = events / (median(edits.map((e) => e.sim)) / 1000);
    row("simulated events/s in the page", pageRate, "events/s", `${(pageRate / nodeRate).toFixed(2)}× Node's rate, same session`);
    row("new session → redrawn page", median(edits.map((e) => e.edit)), "ms", "run from the start, layout, SVG, panels (median)");

    // An edit at the end of the long session: a step at the cursor's end, recomputed from the
    // last checkpoint before it (playground/session/incremental.ts). Each adds a step a little
    // later, past the old end, so the session (and its meta line) grows as a learner's does.
    const ends = (await page.evaluate(`(async () => {
      const p = window.playground;
      const out = [];
      for (let i = 0; i < ${REPEATS}; i++) {
        const at = p.state().end - 200;
        const t = performance.now();
        await p.addStep({ at, node: "n1", op: "add", args: ["late" + i] });
        await new Promise((r) => requestAnimationFrame(() => r()));
        const s = p.state();
        out.push({ edit: performance.now() - t, sim: s.simMs, from: s.from, events: s.simEvents, hash: s.traceHash, scenario: s.scenario });
      }
      return out;
    })()`)) as { edit: number; sim: number; from: number; events: number; hash: string; scenario: Scenario }[];
    const last = ends.at(-1)!;
    // The same scenario run from the start here: an incremental edit must not change the run.
    const fresh = await runSession(last.scenario);
    if (fresh.run.summary.traceHash !== last.hash) throw new Error(`incremental edit: traceHash ${last.hash} ≠ ${fresh.run.summary.traceHash} from the start`);
    const full = median(edits.map((e) => e.edit));
    const inc = median(ends.map((e) => e.edit));
    row(
      "edit at the end → redrawn page",
      inc,
      "ms",
      `${last.events} events; resumed at ${last.from} ms of ${last.scenario.duration}; simulated ${median(ends.map((e) => e.sim)).toFixed(0)} ms; ${(full / inc).toFixed(1)}× faster than from the start (same run); traceHash = the run from the start's (median)`,
    );

    // Live: play at 1× for 3 s of real time and keep the time between frames.
    const frames = (await page.evaluate(`(async () => {
      const p = window.playground;
      p.setCursor(0);
      p.player.speed = 1;
      p.player.play();
      await new Promise((r) => setTimeout(r, 3000));
      p.player.pause();
      return p.player.frames.slice(1);
    })()`)) as number[];
    const sorted = [...frames].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? NaN;
    row("frame time while playing (median)", median(frames), "ms", `${frames.length} frames in 3 s: ${(frames.length / 3).toFixed(0)} fps; goal 16.7 ms (60 fps)`);
    row("frame time while playing (p95)", p95, "ms", `worst ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
