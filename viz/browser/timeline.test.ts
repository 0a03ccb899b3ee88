/**
 * The page in a real headless Chromium (Debian chromium via playwright-core): it loads with no
 * console errors, draws lanes and arrows, hover shows a version vector, the slider changes the
 * values shown, a click lights up the causal cone, the wheel zooms. Skips loudly without
 * Chromium, fails in CI (see chromium.ts). Page-side code is passed as strings: the test
 * transform may wrap functions in helpers the page does not have.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { small } from "../fixtures/index.ts";
import { layoutRun } from "../layout/layout.ts";
import { K } from "../layout/model.ts";
import { renderTimelineHtml } from "../render/html.ts";
import { parseTrace } from "../trace.ts";
import { browserAvailable, launchChromium } from "./chromium.ts";

const OUT = join(process.cwd(), "reports", "test");
const run = browserAvailable();

describe.skipIf(!run)("timeline.html in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const f = small();
  const model = layoutRun({ trace: parseTrace(f.trace), summary: f.summary, scenario: f.scenario });
  const eventOf = (lane: string, kind: number, n = 0) =>
    model.ev.t.map((_, i) => i).filter((i) => model.lanes[model.ev.lane[i]!]!.name === lane && model.ev.kind[i] === kind)[n]!;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "timeline.html"), renderTimelineHtml(model, { replay: "npx memoconductor replay reports/fixture-small/7" }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    // Offline from disk: any request that is not file:// is a bug (the page must be self-contained).
    await page.route(/^(?!file:)/, (r) => (problems.push(`network request: ${r.request().url()}`), r.abort()));
    await page.goto("file://" + join(OUT, "timeline.html"));
    await page.waitForSelector("body[data-ready]");
  });
  afterAll(async () => {
    await browser?.close();
  });

  const pos = (i: number) => page.evaluate(`window.timeline.pos(${i})`) as Promise<{ x: number; y: number }>;

  it("loads with no console errors and no network", () => {
    expect(problems).toEqual([]);
  });

  it("draws a lane per node and every arrow", async () => {
    expect(await page.locator(".lane-label").allTextContents()).toEqual(["aliceclock exact", "bobskew −30 s · drift +100 ppm", "carolskew +250 ms"]);
    const drawn = (await page.evaluate("window.timeline.drawn")) as { lanes: number; arrows: number; marks: number };
    expect(drawn).toMatchObject({ lanes: 3, arrows: model.arrows.s.length, marks: model.ev.t.length });
    // Pixels really were painted along alice's lane.
    const inked = await page.evaluate(`(() => { const c = document.getElementById("canvas"); const g = c.getContext("2d");
      const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()`);
    expect(inked).toBeGreaterThan(10_000);
    expect(await page.locator("#overlay .tick").count()).toBeGreaterThan(3);
  });

  it("shows the version vector and value on hover", async () => {
    const i = eventOf("carol", K.merge, 1); // carol learns y from bob at 180 ms
    const p = await pos(i);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator("#tip").isVisible()).toBe(true);
    expect(await page.locator("#tip .vv").textContent()).toBe("[1,1,0]");
    expect(await page.locator("#tip .val").textContent()).toBe('["x","y"]');
    expect(await page.locator("#tip").textContent()).toContain("merge · carol · 180 ms");
    await page.mouse.move(5, 5);
  });

  it("the time slider shows every replica's value at that instant", async () => {
    const values = () => page.locator("#values tbody tr td:nth-child(2)").allTextContents();
    expect(await values()).toEqual(['["y","z"]', '["y","z"]', '["y","z"]']);
    await page.locator("#time").focus();
    await page.keyboard.press("Home");
    expect(await page.locator("#tnow").textContent()).toBe("0 ms");
    expect(await values()).toEqual(['["x"]', "—", "—"]);
    await page.locator("#next").click(); // next event: bob's delivery at 20 ms
    expect(await page.locator("#tnow").textContent()).toBe("20 ms");
    expect(await values()).toEqual(['["x"]', '["x"]', "—"]);
    expect(await page.locator("#agree").textContent()).toContain("not converged at 20 ms — 1 replica has no update yet");
    await page.evaluate("window.timeline.setTime(160)");
    expect(await values()).toEqual(['["x"]', '["x","y"]', '["x"]']);
    expect(await page.locator("#agree").textContent()).toContain("2 different values at 160 ms");
  });

  it("a click lights up the causal past and future", async () => {
    const i = eventOf("bob", K.update, 0); // add(y) at 150 ms, inside the partition
    const p = await pos(i);
    await page.mouse.click(p.x, p.y);
    const cone = (await page.evaluate("window.timeline.cone()")) as number[];
    expect(cone[i]).toBe(3);
    expect(cone[eventOf("alice", K.update, 0)]).toBe(1); // its past: alice's add(x)
    expect(cone[eventOf("alice", K.update, 1)]).toBe(0); // concurrent: alice's remove(x)
    expect(cone[eventOf("carol", K.merge, 1)]).toBe(2); // its future
    expect(await page.locator("#selection").textContent()).toMatch(/Selected update add\("y"\) at bob, 150 ms: \d+ events in its causal past/);
    // The lit marks are drawn in the past/future colours: sample the pixel ring around alice's add(x).
    await page.screenshot({ path: join(OUT, "timeline-cone.png"), fullPage: true });
    await page.keyboard.press("Escape");
    expect(await page.evaluate("window.timeline.cone()")).toBeNull();
  });

  it("zooms with the wheel and pans by dragging", async () => {
    const before = (await page.evaluate("window.timeline.domain()")) as number[];
    const p = await pos(eventOf("bob", K.update, 0));
    await page.mouse.move(p.x, p.y);
    await page.mouse.wheel(0, -600);
    await expect.poll(async () => ((await page.evaluate("window.timeline.domain()")) as number[])[1]! - ((await page.evaluate("window.timeline.domain()")) as number[])[0]!).toBeLessThan(before[1]! - before[0]!);
    const zoomed = (await page.evaluate("window.timeline.domain()")) as number[];
    await page.mouse.down();
    await page.mouse.move(p.x - 200, p.y, { steps: 5 });
    await page.mouse.up();
    const panned = (await page.evaluate("window.timeline.domain()")) as number[];
    expect(panned[0]!).toBeGreaterThan(zoomed[0]!);
    await page.screenshot({ path: join(OUT, "timeline-zoomed.png") });
    expect(problems).toEqual([]);
  });

  it("toggles version vectors on the diagram", async () => {
    await page.evaluate("window.timeline.select(-1)");
    await page.locator("#reset").click();
    await page.locator("#vvtoggle").check();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, "timeline.png"), fullPage: true });
    expect(problems).toEqual([]);
  });
});
