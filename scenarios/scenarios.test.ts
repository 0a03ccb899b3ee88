/**
 * The gallery teaches something only if the harness shows it: every scenario passes its own
 * expectations, and each one's teaching point is asserted on the run itself.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate, type Run } from "../sim/index.ts";
import { scenarioFiles } from "../cli/list.ts";

const path = (name: string) => fileURLToPath(new URL(`./${name}.json`, import.meta.url));
const run = (name: string) => simulate(path(name));
const check = (r: Run, name: string) => r.summary.checks.find((c) => c.name === name);
const events = (r: Run) => (r.trace ?? []).map((l) => JSON.parse(l) as { t: number; type: string; node?: string; op?: string; args?: unknown[] });
const finals = (r: Run) => Object.values(r.summary.final);

describe("the scenario gallery", () => {
  for (const file of scenarioFiles(fileURLToPath(new URL(".", import.meta.url)))) {
    it(`${file.split("/").pop()} meets its expectations`, async () => {
      const { summary } = await simulate(file, { trace: false });
      const unmet = summary.checks.filter((c) => c.ok !== c.expected).map((c) => `${c.name}: ${c.detail}`);
      expect(unmet).toEqual([]);
      expect(summary.ok).toBe(true);
    });
  }
});

describe("teaching points", () => {
  it("youtube-view-counter: a G-Counter counts every view despite loss and duplication", async () => {
    const r = await run("youtube-view-counter");
    const views = events(r).filter((e) => e.type === "update").length;
    expect(views).toBe(15);
    expect(finals(r)).toEqual([15, 15, 15]);
    expect(r.summary.stats.dropped).toBeGreaterThan(0);
    expect(r.summary.stats.duplicated).toBeGreaterThan(0);
  });

  it("youtube-view-counter-naive: read-modify-write converges, but on fewer views than happened", async () => {
    const r = await run("youtube-view-counter-naive");
    const values = finals(r) as number[];
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toBeLessThan(15);
    expect(check(r, "counter-total")?.ok).toBe(false);
    // The first merge that lost views, named in the detail and placed in `at`.
    const at = check(r, "counter-total")!.at!;
    expect(check(r, "counter-total")!.detail).toContain(`t=${at.t} `);
    expect(check(r, "counter-total")!.detail).toContain(` at ${at.node}:`);
    expect(check(r, "convergence")?.ok).toBe(true);
  });

  it("two-phase-set-no-readd: the re-add after a remove is accepted and still lost", async () => {
    const r = await run("two-phase-set-no-readd");
    const readd = events(r).find((e) => e.type === "update" && e.node === "alice" && e.op === "add" && e.t === 1000);
    expect(readd).toBeDefined();
    for (const v of finals(r)) expect(v).toEqual(["eggs"]);
  });

  it("or-set-add-wins: the add concurrent with a remove survives", async () => {
    const r = await run("or-set-add-wins");
    for (const v of finals(r)) expect(v).toContain("milk");
    expect(check(r, "add-wins")?.ok).toBe(true);
  });

  it("pn-counter-duplication: half the messages arrive twice and the total is still exact", async () => {
    const r = await run("pn-counter-duplication");
    expect(r.summary.stats.duplicated).toBeGreaterThan(r.summary.stats.sent / 4);
    expect(finals(r)).toEqual([13, 13, 13]);
  });

  it("cap-partition: both sides accept writes while split, and all converge after the heal", async () => {
    const r = await run("cap-partition");
    const during = events(r).filter((e) => e.type === "update" && e.t > 200 && e.t < 2000);
    expect(new Set(during.map((e) => e.node))).toEqual(new Set(["n1", "n2", "n3", "n4"]));
    for (const v of finals(r)) expect(v).toEqual(["left-1", "left-2", "right-1", "right-2"]);
    expect(r.summary.stats.convergedAtMs).toBeGreaterThanOrEqual(2000);
  });
});
