/**
 * Running a suite within a time budget. Each suite runs in a child process (bench/run-suite.ts),
 * so one that stalls — in a synchronous call the event loop never leaves, such as a WASM peer
 * on a long trace — can be stopped. Two budgets:
 * - the suite's: when it runs out the child is killed, the rows it handed over (bench/step.ts
 *   `emit`) are kept and the step it was in (or the suite) is written as a skipped row;
 * - a step's (bench/step.ts `step`): when one step overruns, the child is killed, that step is
 *   written as skipped, and the suite starts again in a new child that passes over the steps
 *   already done and the overrun one, within what is left of the suite's budget. A step that
 *   brings its own budget (`step(label, budgetS)`) gets the larger of it and the step budget.
 * A suite that throws is written as a skipped row with the error. The child leads its own process
 * group, so killing it also ends what it started (node processes, Chromium, its own children).
 * Wall-clock time is allowed here: benchmarks measure the machine.
 */
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "./types.ts";

const runner = join(dirname(fileURLToPath(import.meta.url)), "run-suite.ts");

export type Budgets = {
  /** Wall-clock budget of the whole suite, ms. */
  suiteMs: number;
  /** Wall-clock budget of one step a suite announces with `step(label)`, ms. */
  stepMs: number;
  /** Added to the reason of a row skipped for the suite's budget (how to change it). */
  suiteHint?: string;
  /** Added to the reason of a row skipped for the step budget. */
  stepHint?: string;
};

/** Suites' children alive now: the driver stopped (Ctrl-C) stops them and what they started. */
const live = new Set<number>();
const killGroup = (pid: number) => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
};
let trapped = false;
function trapSignals(): void {
  if (trapped) return;
  trapped = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const)
    process.once(sig, () => {
      for (const pid of live) killGroup(pid);
      process.exit(130);
    });
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A row that could not be measured: no figure, the reason in `skipped`. */
export function skippedRow(suite: string, name: string, reason: string): BenchRow {
  return { suite, name, value: NaN, unit: "", skipped: reason };
}

type Attempt = {
  rows: BenchRow[];
  end: "done" | "error" | "suite" | "step" | "exit";
  step?: string;
  /** The budget the step in progress had, ms. */
  stepMs?: number;
  steps: string[];
  error?: string;
  code?: number | null;
};

function attempt(file: string, skip: string[], deadline: number, stepMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const child = fork(runner, [file], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, BENCH_SKIP_STEPS: JSON.stringify(skip) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      detached: true,
    });
    trapSignals();
    live.add(child.pid!);
    const out: Attempt = { rows: [], end: "exit", steps: [] };
    let stepAt = 0;
    let final: BenchRow[] | undefined;
    child.on("message", (m: { type: string; label?: string; budgetMs?: number; rows?: BenchRow[]; message?: string }) => {
      if (m.type === "step") {
        out.step = m.label!;
        out.stepMs = Math.max(stepMs, m.budgetMs ?? 0);
        out.steps.push(m.label!);
        stepAt = Date.now();
      } else if (m.type === "rows") out.rows.push(...m.rows!);
      else if (m.type === "done") final = m.rows!;
      else if (m.type === "error") out.error = m.message!;
    });
    const timer = setInterval(() => {
      if (out.end !== "exit") return;
      const now = Date.now();
      if (now >= deadline) out.end = "suite";
      else if (out.step !== undefined && now - stepAt >= out.stepMs!) out.end = "step";
      else return;
      killGroup(child.pid!);
    }, 100);
    child.on("exit", (code) => {
      clearInterval(timer);
      live.delete(child.pid!);
      // Whatever the suite left running (a server it did not stop) ends with it.
      killGroup(child.pid!);
      out.code = code;
      if (out.end === "exit") {
        if (final) {
          out.end = "done";
          out.rows = final;
        } else if (out.error !== undefined) out.end = "error";
      }
      resolve(out);
    });
  });
}

/**
 * Runs the suite in `file` (named `suite`) within `budgets` and returns its rows, a skipped row
 * standing for what did not finish. `log` hears of each skip as it happens.
 */
export async function runSuiteWithin(file: string, suite: string, budgets: Budgets, log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const deadline = Date.now() + budgets.suiteMs;
  const rows: BenchRow[] = [];
  const skip: string[] = [];
  for (;;) {
    const a = await attempt(file, skip, deadline, budgets.stepMs);
    rows.push(...a.rows);
    if (a.end === "done") return rows;
    let row: BenchRow;
    if (a.end === "step") {
      const own = a.stepMs! > budgets.stepMs;
      row = skippedRow(
        suite,
        a.step!,
        `did not finish in its ${own ? "own " : ""}step budget of ${seconds(a.stepMs!)}${own ? " (the suite's, for this step)" : budgets.stepHint ? ` (${budgets.stepHint})` : ""}`,
      );
    } else if (a.end === "suite") {
      row = skippedRow(
        suite,
        a.step ?? suite,
        `the suite did not finish in its budget of ${seconds(budgets.suiteMs)}${a.step ? "; this step and any after it were not measured" : ""}${budgets.suiteHint ? ` (${budgets.suiteHint})` : ""}`,
      );
    } else {
      const why = a.end === "error" ? `failed: ${a.error!.split("\n")[0]}` : `its process exited (code ${a.code}) before it finished`;
      row = skippedRow(suite, a.step ?? suite, a.step ? `${why}; this step and any after it were not measured` : why);
    }
    rows.push(row);
    log(`bench: ${suite}: skipped ${row.name}: ${row.skipped}\n`);
    if (a.end !== "step") return rows;
    // The steps this attempt finished and the one that overran are passed over next time.
    skip.push(...a.steps);
  }
}
