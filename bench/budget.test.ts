/** bench/budget.ts: a suite in a child process within its budgets, with fake suites that overrun (bench/fixtures/budget/). */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runSuiteWithin } from "./budget.ts";
import { parseBudgets } from "./index.ts";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "budget");

describe("bench budgets", () => {
  it("writes a step that overruns as skipped with the reason, keeps the rows before it and runs the steps after it", async () => {
    const log: string[] = [];
    const t0 = Date.now();
    const rows = await runSuiteWithin(join(fixtures, "overrun-step.ts"), "overrun-step", { suiteMs: 60_000, stepMs: 1_500, stepHint: "--step-budget" }, (l) => log.push(l));
    expect(Date.now() - t0).toBeLessThan(55_000);
    expect(rows.map((r) => [r.name, r.skipped ?? r.value])).toEqual([
      ["fast", 1],
      ["stalls", "did not finish in its step budget of 1.5 s (--step-budget)"],
      ["after", 2],
    ]);
    expect(Number.isNaN(rows[1]!.value)).toBe(true);
    expect(log).toEqual(["bench: overrun-step: skipped stalls: did not finish in its step budget of 1.5 s (--step-budget)\n"]);
  }, 90_000);

  it("gives a step that brings its own budget the larger of it and the step budget, and says so when it overruns", async () => {
    const rows = await runSuiteWithin(join(fixtures, "own-step-budget.ts"), "own-step-budget", { suiteMs: 60_000, stepMs: 1_500, stepHint: "--step-budget" });
    expect(rows.map((r) => [r.name, r.skipped ?? r.value])).toEqual([
      ["slow but known", 1],
      ["stalls", "did not finish in its own step budget of 3 s (the suite's, for this step)"],
    ]);
  }, 90_000);

  it("writes a suite that overruns its own budget as one skipped row, and stops it", async () => {
    const t0 = Date.now();
    const rows = await runSuiteWithin(join(fixtures, "overrun-suite.ts"), "overrun-suite", { suiteMs: 3_000, stepMs: 60_000 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(rows).toEqual([{ suite: "overrun-suite", name: "overrun-suite", value: NaN, unit: "", skipped: "the suite did not finish in its budget of 3 s" }]);
  }, 30_000);

  it("writes a suite that throws as a skipped row with its error", async () => {
    const rows = await runSuiteWithin(join(fixtures, "throws.ts"), "throws", { suiteMs: 60_000, stepMs: 60_000 });
    expect(rows.map((r) => [r.name, r.skipped])).toEqual([["broken", "failed: no such trace; this step and any after it were not measured"]]);
  }, 90_000);

  it("reads the budgets from flags over the environment", () => {
    expect(parseBudgets([], {})).toEqual({ defaultSuiteS: 150, suiteS: {}, stepS: 60, totalS: 840 });
    expect(parseBudgets(["sequence", "--budget=300", "--budget=viz=600", "--step-budget=90"], { BENCH_STEP_BUDGET: "30", BENCH_TOTAL_BUDGET: "900" })).toEqual({
      defaultSuiteS: 300,
      suiteS: { viz: 600 },
      stepS: 90,
      totalS: 900,
    });
    expect(() => parseBudgets(["--budget=soon"], {})).toThrow(/--budget must be a number of seconds/);
    expect(() => parseBudgets(["--fast"], {})).toThrow(/unknown flag --fast/);
  });
});
