/**
 * End to end from a real run: simulate a bundled scenario, write its views, and check them —
 * the files exist, are deterministic, agree with the summary, and (with Chromium) the page opens
 * without errors.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../sim/index.ts";
import { browserAvailable, launchChromium } from "./browser/chromium.ts";
import { modelOf, writeGallery, writeRunViews } from "./index.ts";

const SCENARIO = join(import.meta.dirname, "..", "scenarios", "cap-partition.json");
const dir = mkdtempSync(join(tmpdir(), "viz-e2e-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("views of a real run (cap-partition)", async () => {
  const scenario = JSON.parse(readFileSync(SCENARIO, "utf8"));
  const run = await simulate(SCENARIO);
  const runDir = join(dir, "cap-partition", String(run.summary.seed));

  it("writes the four views, byte-identical on a second write", () => {
    const files = writeRunViews(runDir, run, scenario).map((f) => f.slice(runDir.length + 1));
    expect(files).toEqual(["timeline.html", "timeline.svg", "report.md", "junit.xml"]);
    const read = () => files.map((f) => readFileSync(join(runDir, f), "utf8"));
    const first = read();
    writeRunViews(runDir, run, scenario);
    expect(read()).toEqual(first);
    expect(XMLValidator.validate(first[1]!)).toBe(true);
    expect(XMLValidator.validate(first[3]!)).toBe(true);
    expect(first[2]).toContain("npx memoconductor replay ");
  });

  it("lays out the run as the summary tells it", () => {
    const m = modelOf(run, scenario)!;
    expect(m.lanes.map((l) => l.name)).toEqual(scenario.nodes);
    expect(m.arrows.s.length).toBe(run.summary.stats.sent + run.summary.stats.duplicated);
    expect(m.bands.some((b) => b.kind === "partition")).toBe(true);
    const conv = m.flags.find((f) => f.kind === "converged");
    expect(conv?.t).toBe(run.summary.stats.convergedAtMs);
  });

  it("a gallery card links the timeline", () => {
    const index = writeGallery(dir, [{ summary: run.summary, runDir, description: scenario.description }]);
    const html = readFileSync(index, "utf8");
    expect(html).toContain(`href="cap-partition/${run.summary.seed}/timeline.html"`);
  });

  it.skipIf(!browserAvailable())("opens in Chromium with no errors", async () => {
    writeRunViews(runDir, run, scenario);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto("file://" + join(runDir, "timeline.html"));
      await page.waitForSelector("body[data-ready]");
      expect(problems).toEqual([]);
      const drawn = (await page.evaluate("window.timeline.drawn")) as { lanes: number; arrows: number };
      expect(drawn.lanes).toBe(4);
      expect(drawn.arrows).toBeGreaterThan(0);
      await page.screenshot({ path: join(process.cwd(), "reports", "test", "cap-partition.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
