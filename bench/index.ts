/**
 * Benchmark driver (`npm run bench [-- suite…] [--budget=…]`): runs every suite in bench/suites/
 * (or the named ones: a suite is named after its file), each in a child process within its time
 * budget (bench/budget.ts), prints a table, writes reports/bench/bench.json and renders
 * docs/benchmarks.md from it (bench/benchmarks-md.ts). A suite is a module exporting `name` and
 * `run(): Promise<BenchRow[]>`; adding one is adding a file.
 * Budgets, in seconds, by flag or environment variable (the flag wins):
 *   --budget=S, --budget=<suite>=S     BENCH_SUITE_BUDGET   one suite (default 150)
 *   --step-budget=S                    BENCH_STEP_BUDGET    one step a suite announces (default 60)
 *   --total-budget=S                   BENCH_TOTAL_BUDGET   the whole run (default 840: 14 min)
 * A suite gets its own budget or what is left of the total, whichever is less; a suite reached
 * with no total left is written as skipped.
 * Wall-clock time is allowed here (and only here): benchmarks measure the machine.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBenchmarksPage } from "./benchmarks-md.ts";
import { runSuiteWithin, skippedRow } from "./budget.ts";
import type { BenchRow } from "./types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => !a.startsWith("-"));
  let budgets: BenchBudgets;
  try {
    budgets = parseBudgets(args, process.env);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const files = readdirSync(join(here, "suites"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort();
  // A misspelt suite would otherwise run nothing, exit 0 and rewrite bench.json unchanged.
  const known = files.map((f) => f.replace(/\.ts$/, ""));
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length) {
    process.stderr.write(`bench: unknown suite ${unknown.map((u) => `"${u}"`).join(", ")} (suites: ${known.join(", ")})\n`);
    process.exit(2);
  }
  // The machine's load when the run started: on a shared box it explains slow figures.
  const load = Math.round(loadavg()[0]! * 100) / 100;
  const fresh: (BenchRow & { at: string; load: number })[] = [];
  const ran = new Set<string>();
  const out = join(root, "reports", "bench");
  mkdirSync(out, { recursive: true });
  const file = join(out, "bench.json");
  const previous = previousRows(file);
  /**
   * bench.json and the page with the rows so far. A partial run (`npm run bench -- simulator`)
   * replaces only its own suites' rows, so the file keeps the latest figure of every suite; a
   * full run keeps earlier rows only until its own suites replace them (each row says when it was
   * measured), and at its end only its own.
   */
  const write = (end: boolean) => {
    const kept = wanted.length || !end ? previous.filter((r) => !ran.has(r.suite)) : [];
    const report = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "", at: new Date().toISOString(), rows: [...kept, ...fresh] };
    writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
    writeBenchmarksPage(root);
  };
  const started = Date.now();
  for (const file of files) {
    // A suite's file is named after it (its `name`).
    const suite = file.replace(/\.ts$/, "");
    if (wanted.length && !wanted.includes(suite)) continue;
    const at = new Date().toISOString();
    const left = budgets.totalS * 1000 - (Date.now() - started);
    const own = (budgets.suiteS[suite] ?? budgets.defaultSuiteS) * 1000;
    let rows: BenchRow[];
    if (left <= 0) {
      rows = [skippedRow(suite, suite, `not run: the whole bench's budget of ${budgets.totalS} s was spent (--total-budget, BENCH_TOTAL_BUDGET)`)];
      process.stderr.write(`bench: ${suite}: ${rows[0]!.skipped}\n`);
    } else {
      process.stderr.write(`bench: ${suite}… (budget ${Math.round(Math.min(own, left) / 1000)} s)\n`);
      const byTotal = left < own;
      rows = await runSuiteWithin(
        join(here, "suites", file),
        suite,
        {
          suiteMs: Math.min(own, left),
          stepMs: budgets.stepS * 1000,
          suiteHint: byTotal ? "what was left of the whole bench's budget: --total-budget, BENCH_TOTAL_BUDGET" : "--budget, BENCH_SUITE_BUDGET",
          stepHint: "--step-budget, BENCH_STEP_BUDGET",
        },
        (line) => process.stderr.write(line),
      );
    }
    fresh.push(...rows.map((r) => ({ ...r, at, load })));
    ran.add(suite);
    // Written as each suite ends: a bench stopped (or stalled) later keeps what it measured.
    write(false);
  }
  printTable(fresh);
  write(true);
  process.stderr.write(`bench: wrote ${join("reports", "bench", "bench.json")}\n`);
  process.stderr.write(`bench: wrote ${join("docs", "benchmarks.md")}\n`);
}

export type BenchBudgets = { defaultSuiteS: number; suiteS: Record<string, number>; stepS: number; totalS: number };

/** The budgets from the flags (`--budget=S`, `--budget=<suite>=S`, `--step-budget=S`, `--total-budget=S`) and the environment, in seconds. */
export function parseBudgets(args: string[], env: Record<string, string | undefined>): BenchBudgets {
  const num = (v: string, what: string) => {
    const n = Number(v);
    if (!(n > 0)) throw new Error(`bench: ${what} must be a number of seconds > 0, got "${v}"`);
    return n;
  };
  const out: BenchBudgets = {
    defaultSuiteS: env.BENCH_SUITE_BUDGET ? num(env.BENCH_SUITE_BUDGET, "BENCH_SUITE_BUDGET") : 150,
    suiteS: {},
    stepS: env.BENCH_STEP_BUDGET ? num(env.BENCH_STEP_BUDGET, "BENCH_STEP_BUDGET") : 60,
    totalS: env.BENCH_TOTAL_BUDGET ? num(env.BENCH_TOTAL_BUDGET, "BENCH_TOTAL_BUDGET") : 840,
  };
  for (const a of args) {
    const m = /^--(budget|step-budget|total-budget)=(?:([\w-]+)=)?(.*)$/.exec(a);
    if (!m) {
      if (a.startsWith("-")) throw new Error(`bench: unknown flag ${a} (flags: --budget=S, --budget=<suite>=S, --step-budget=S, --total-budget=S)`);
      continue;
    }
    const v = num(m[3]!, `--${m[1]}`);
    if (m[1] === "budget") {
      if (m[2]) out.suiteS[m[2]] = v;
      else out.defaultSuiteS = v;
    } else if (m[2]) throw new Error(`bench: --${m[1]} takes no suite name`);
    else if (m[1] === "step-budget") out.stepS = v;
    else out.totalS = v;
  }
  return out;
}

/** Rows of an earlier bench.json, or none when it is missing or unreadable. */
function previousRows(file: string): (BenchRow & { at?: string; load?: number })[] {
  if (!existsSync(file)) return [];
  try {
    const old = JSON.parse(readFileSync(file, "utf8")) as { at?: string; rows?: (BenchRow & { at?: string; load?: number })[] };
    return Array.isArray(old.rows)
      ? old.rows.map((r) => {
          // A row keeps its own date, else the file's; a row with neither has none.
          const at = r.at ?? old.at;
          return at === undefined ? r : { ...r, at };
        })
      : [];
  } catch {
    return [];
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : String(Math.round(v * 1000) / 1000);
}

function printTable(rows: BenchRow[]): void {
  const cells = rows.map((r) => (r.skipped === undefined ? [r.suite, r.name, fmt(r.value), r.unit, r.note ?? ""] : [r.suite, r.name, "skipped", "", r.skipped]));
  const head = ["suite", "measure", "value", "unit", "note"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 2 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
