/**
 * What a suite may tell the bench driver while it runs (bench/budget.ts runs each suite in a
 * child process). `step(label)` before a long group of rows: the driver times each step against
 * the step budget, and when one overruns it kills the child, writes that step as a skipped row and
 * starts the suite again with the steps already done and the overrun one skipped — `step` then
 * returns false for them, and the suite moves on. `emit(rows)` hands over rows as they are
 * measured, so a suite killed later keeps them. Run outside the driver (a suite run as a script,
 * a test) both do nothing and `step` always returns true.
 */
import type { BenchRow } from "./types.ts";

const skip = new Set<string>(JSON.parse(process.env.BENCH_SKIP_STEPS ?? "[]") as string[]);

/**
 * Announces a step; false when the driver asks the suite to pass over it (done or overrun before).
 * `budgetS`: this step's own budget, for a step measured to need more than the step budget (the
 * driver then allows the larger of the two; the suite says why where it asks).
 */
export function step(label: string, budgetS?: number): boolean {
  if (skip.has(label)) return false;
  process.send?.({ type: "step", label, ...(budgetS !== undefined && { budgetMs: budgetS * 1000 }) });
  return true;
}

/** Rows measured so far that the driver keeps even if the suite is killed later. */
export function emit(rows: BenchRow[]): void {
  if (rows.length) process.send?.({ type: "rows", rows });
}
