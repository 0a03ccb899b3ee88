/**
 * Benchmark driver (`npm run bench [-- suite…]`): runs every suite in bench/suites/ (or the
 * named ones: a suite is named after its file), prints a table, writes reports/bench/bench.json and renders
 * docs/benchmarks.md from it (bench/benchmarks-md.ts). A suite is a module
 * exporting `name` and `run(): Promise<BenchRow[]>`; adding one is adding a file.
 * Wall-clock time is allowed here (and only here): benchmarks measure the machine.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeBenchmarksPage } from "./benchmarks-md.ts";
import type { BenchRow, BenchSuite } from "./types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
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
  for (const file of files) {
    // A suite's file is named after it: filter before importing (some suites load heavy tools).
    if (wanted.length && !wanted.includes(file.replace(/\.ts$/, ""))) continue;
    const suite = (await import(pathToFileURL(join(here, "suites", file)).href)) as BenchSuite;
    process.stderr.write(`bench: ${suite.name}…\n`);
    const at = new Date().toISOString();
    fresh.push(...(await suite.run()).map((r) => ({ ...r, at, load })));
    ran.add(suite.name);
    // Written as each suite ends: a bench stopped (or stalled) later keeps what it measured.
    write(false);
  }
  printTable(fresh);
  write(true);
  process.stderr.write(`bench: wrote ${join("reports", "bench", "bench.json")}\n`);
  process.stderr.write(`bench: wrote ${join("docs", "benchmarks.md")}\n`);
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
  const cells = rows.map((r) => [r.suite, r.name, fmt(r.value), r.unit, r.note ?? ""]);
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

await main();
