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
import { resolveAnyBuiltin } from "../../core/registry.ts";
import { runSimulation } from "../../sim/engine/run-simulation.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { browserAvailable, launchChromium } from "./chromium.ts";

const OUT = join(process.cwd(), "reports", "test");
const run = browserAvailable();

describe.skipIf(!run)("timeline.html in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const f = small();
  const model = layoutRun({ trace: parseTrace(f.trace), summary: f.summary, scenario: f.scenario });
  const eventOf = (lane: string, kind: number, n = 0) => model.ev.t.map((_, i) => i).filter((i) => model.lanes[model.ev.lane[i]!]!.name === lane && model.ev.kind[i] === kind)[n]!;

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
    // The slider starts at the end: carol's label reads her clock after its jump at 260 ms.
    expect(await page.locator(".lane-label").allTextContents()).toEqual(["aliceclock exact", "bobskew −30 s · drift +100 ppm", "carolskew +5.25 s (since 260 ms)"]);
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
    expect(await page.locator("#tip .vv").textContent()).toBe("alice:1 bob:1");
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
    await expect
      .poll(async () => ((await page.evaluate("window.timeline.domain()")) as number[])[1]! - ((await page.evaluate("window.timeline.domain()")) as number[])[0]!)
      .toBeLessThan(before[1]! - before[0]!);
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

describe.skipIf(!run)("timeline.html: durability and op-mode marks in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  // A write acknowledged at the group commit, one lost unsynced in a crash, and the restart.
  const sc: Scenario = {
    name: "lag",
    nodes: ["a", "b"],
    crdt: "g-set",
    duration: 400,
    storage: { syncLagMs: 50 },
    steps: [
      { at: 0, node: "a", op: "add", args: ["x"] },
      { at: 100, node: "a", op: "add", args: ["y"] },
      { at: 120, crash: "a" },
      { at: 200, restart: "a" },
    ],
  };
  const r = runSimulation(sc, resolveAnyBuiltin("g-set"), { seed: 1, trace: true, crdtName: "g-set" });
  const model = layoutRun({ trace: parseTrace(r.trace!), summary: r.summary, scenario: { name: "lag", description: "", nodes: sc.nodes } });
  const first = (kind: number) => model.ev.kind.indexOf(kind as never);

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "timeline-durability.html"), renderTimelineHtml(model));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto("file://" + join(OUT, "timeline-durability.html"));
    await page.waitForSelector("body[data-ready]");
  });
  afterAll(async () => {
    await browser?.close();
  });

  const hover = async (i: number) => {
    const p = (await page.evaluate(`window.timeline.pos(${i})`)) as { x: number; y: number };
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => page.locator("#tip").isVisible()).toBe(true);
    return (await page.locator("#tip").textContent()) ?? "";
  };

  it("the legend explains acks and unsynced losses, and only what this run draws", async () => {
    const labels = await page.locator(".legend b").allTextContents();
    expect(labels).toEqual(expect.arrayContaining(["ack", "unsynced lost", "restart", "crashed"]));
    // No op-mode buffering, pauses or services in this run: their entries would explain nothing here.
    for (const absent of ["buffered", "paused", "service request", "clock jump"]) expect(labels).not.toContain(absent);
    expect(problems).toEqual([]);
  });

  it("hovering a restart shows the version vector and value it recovered", async () => {
    const tip = await hover(first(K.restart));
    expect(tip).toContain("restart · a · 200 ms");
    expect(tip).toContain("recovered version vector");
    expect(await page.locator("#tip .vv").textContent()).toBe("a:1");
    expect(await page.locator("#tip .val").textContent()).toBe('["x"]');
  });

  it("an ack and an unsynced loss are their own marks, with what they mean on hover", async () => {
    expect(await hover(first(K.ack))).toContain('acknowledged add("x") (a:1): durable');
    expect(await hover(first(K.lost))).toContain('never acknowledged: add("y") (a:2)');
    // The ack is drawn in the "ok" green: sample a pixel of its disc, above the white tick.
    const p = (await page.evaluate(`window.timeline.pos(${first(K.ack)})`)) as { x: number; y: number };
    await page.mouse.move(5, 5);
    await page.screenshot({ path: join(OUT, "timeline-durability.png"), fullPage: true });
    const rgb = (await page.evaluate(`(() => { const c = document.getElementById("canvas"), r = c.getBoundingClientRect(), d = window.devicePixelRatio || 1;
      return Array.from(c.getContext("2d").getImageData(Math.round((${p.x} - r.left) * d), Math.round((${p.y} - r.top - 3.5) * d), 1, 1).data).slice(0, 3); })()`)) as number[];
    expect(rgb[1]!).toBeGreaterThan(rgb[0]! + 40); // green dominates
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!run)("timeline.html: a lane's clock label follows its clock", () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  // Bob starts a minute slow; a scripted jump at 1 s puts his clock right.
  const sc: Scenario = {
    name: "jump",
    nodes: ["alice", "bob"],
    crdt: "lww-register",
    duration: 3000,
    clocks: { bob: { skew: -60_000 } },
    steps: [
      { at: 500, node: "alice", op: "set", args: ["a"] },
      { at: 1000, clockJump: { node: "bob", by: 60_000 } },
      { at: 2000, node: "bob", op: "set", args: ["b"] },
    ],
  };
  const r = runSimulation(sc, resolveAnyBuiltin("lww-register"), { seed: 1, trace: true, crdtName: "lww-register" });
  const model = layoutRun({ trace: parseTrace(r.trace!), summary: r.summary, scenario: sc });

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "timeline-clock-jump.html"), renderTimelineHtml(model));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto("file://" + join(OUT, "timeline-clock-jump.html"));
    await page.waitForSelector("body[data-ready]");
  });
  afterAll(async () => {
    await browser?.close();
  });

  const labels = () => page.locator(".lane-label .clock").allTextContents();

  it("before the jump the lane reads its start skew; from the jump on, the clock as the jump left it", async () => {
    await page.evaluate("window.timeline.setTime(999)");
    expect(await labels()).toEqual(["clock exact", "skew −60 s"]);
    await page.evaluate("window.timeline.setTime(1000)");
    expect(await labels()).toEqual(["clock exact", "clock exact (since 1 s)"]);
    // The whole history on hover, and the new reading written on the lane where the jump is.
    expect(await page.locator(".lane-label .clock").nth(1).getAttribute("title")).toBe("skew −60 s at the start; clock exact from 1 s");
    await page.evaluate("window.timeline.setTime(3000)");
    expect(await labels()).toEqual(["clock exact", "clock exact (since 1 s)"]);
    await page.screenshot({ path: join(OUT, "timeline-clock-jump.png") });
    expect(problems).toEqual([]);
  });
});
