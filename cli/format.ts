/**
 * Human output of `run`, `start` and `replay`: a compact verdict table per scenario. ✓ means the
 * property held, ✗ that the check caught an anomaly; the last column says whether that is what
 * the scenario expects (teaching scenarios expect some anomalies). The verdict words are the
 * views' own (viz/render/verdict.ts), so the terminal and the pages never disagree.
 */
import { join, relative } from "node:path";
import type { Summary } from "../sim/index.ts";
import { checkExpectedWord, checkOutcomeWord, convergenceWords, tallyText, verdictOf, verdictSentence } from "../viz/index.ts";

const mark = (ok: boolean) => (ok ? "✓" : "✗");
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - [...s].length));
/** Cut at `n` characters; `cut.any` records that something was, so the block can say where the whole text is. */
const shortener = () => {
  const cut = { any: false };
  const short = (s: string, n = 100) => (s.length > n ? ((cut.any = true), `${s.slice(0, n - 1)}…`) : s);
  return { cut, short };
};

/** A path as the user would type it: relative to the working directory when inside it. */
export function shownPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === "" ? "." : rel.startsWith("..") ? p : rel;
}

export function verdictBlock(summary: Summary, runDir: string): string {
  const lines: string[] = [];
  const { cut, short } = shortener();
  lines.push(`${summary.scenario}  (${summary.crdt}, seed ${summary.seed})  ${verdictSentence(verdictOf(summary.ok, summary.checks))}`);
  const width = Math.max(5, ...summary.checks.map((c) => c.name.length)) + 2;
  lines.push(`  ${pad("check", width)}${pad("result", 11)}expected`);
  for (const c of summary.checks) {
    const result = `${mark(c.ok)} ${checkOutcomeWord(c.ok)}`;
    const expected = `${mark(c.expected)} ${checkExpectedWord(c.expected)}`;
    const flag = c.ok === c.expected ? "" : `   ← unexpected: ${short(c.detail)}`;
    lines.push(`  ${pad(c.name, width)}${pad(result, 11)}${expected}${flag}`);
  }
  const finals = Object.entries(summary.final).map(([node, v]) => [node, JSON.stringify(v)] as const);
  const distinct = new Set(finals.map(([, v]) => v));
  const shown = distinct.size === 1 ? `${[...distinct][0]} on every replica` : finals.map(([n, v]) => `${n}=${v}`).join(", ");
  lines.push(`  final     ${short(shown, 120)}`);
  const s = summary.stats;
  lines.push(
    `  stats     ${s.events} events, ${s.sent} sent, ${s.delivered} delivered, ${s.dropped} dropped, ${s.duplicated} duplicated; ${convergenceWords(s.convergedAtMs, (ms) => `${ms} ms`)}`,
  );
  if (s.availability) lines.push(...availabilityLines(s.availability));
  lines.push(`  run dir   ${shownPath(runDir)}`);
  if (cut.any) lines.push(`  full text ${shownPath(join(runDir, "summary.json"))} (the lines above ending in … are cut short)`);
  lines.push(`  replay    npx memoconductor replay ${shownPath(runDir)}`);
  return lines.join("\n") + "\n";
}

/** Scenarios with services: per node, CRDT writes accepted and each service's requests (CAP per side). */
function availabilityLines(av: NonNullable<Summary["stats"]["availability"]>): string[] {
  const nodes = Object.keys(av);
  const w = Math.max(...nodes.map((n) => [...n].length)) + 2;
  const out = ["  available per node: CRDT writes accepted; per service how its requests ended, and how long the answered ones took"];
  for (const node of nodes) {
    const parts = [`writes ${av[node]!.crdtWrites}`];
    for (const [svc, t] of Object.entries(av[node]!)) {
      if (typeof t === "number") continue;
      parts.push(`${svc} ${tallyText(t)}`);
    }
    out.push(`    ${pad(node, w)}${parts.join("   ")}`);
  }
  return out;
}

export type Row = { scenario: string; crdt: string; seed: string; verdict: string; checks: string };

/** The one-line-per-scenario table of `start`. */
export function table(rows: readonly Row[]): string {
  const cols: (keyof Row)[] = ["scenario", "crdt", "seed", "verdict", "checks"];
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => [...r[c]].length)));
  const line = (r: Row) =>
    cols
      .map((c, i) => pad(r[c], w[i]!))
      .join("  ")
      .trimEnd();
  const head = Object.fromEntries(cols.map((c) => [c, c])) as Row;
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

export function checksCell(summary: Summary): string {
  return summary.checks.map((c) => `${c.name} ${mark(c.ok)}${c.ok === c.expected ? "" : "!"}`).join("  ");
}
