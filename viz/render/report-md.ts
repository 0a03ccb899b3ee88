/**
 * report.md: the run as a CI job summary (GitHub's $GITHUB_STEP_SUMMARY renders it): the
 * verdict, one row per check, the stats, the final values and the command that replays the run.
 */
import type { Summary } from "../../sim/run-types.ts";
import { fmtMs } from "../layout/text.ts";
import { clip } from "./escape.ts";
import { availabilityTable, serviceTitle } from "./availability.ts";
import { servicesOnly, verdictOf } from "./verdict.ts";

/** A table cell: no pipes or newlines can break the row. */
const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const code = (s: string) => "`` " + s.replace(/`/g, "'") + " ``";

export type ReportOptions = { description?: string; replay: string };

export function renderReportMd(s: Summary, o: ReportOptions): string {
  const out: string[] = [];
  const v = verdictOf(s.ok, s.checks);
  const heading = v.cls === "fail" ? "FAIL" : v.cls === "shown" ? `anomaly shown (${v.caught.map((c) => c.name).join(", ")} caught, as expected)` : "pass";
  out.push(`## ${s.ok ? "✅" : "❌"} ${s.scenario} — ${heading}`, "");
  if (o.description) out.push(`> ${o.description.replace(/\n/g, " ")}`, "");
  out.push(`${servicesOnly(s.stats) ? `Services only (CRDT \`${s.crdt}\` idle: no replica was written)` : `CRDT \`${s.crdt}\``} · seed ${s.seed} · trace hash \`${s.traceHash.slice(0, 16)}\``, "");
  out.push("| | check | outcome | expected | detail |", "|---|---|---|---|---|");
  for (const c of s.checks) {
    const met = c.ok === c.expected;
    // Where the checker pinned it (`at`), so a CI reader can go straight to that event in the timeline.
    const outcome = c.ok ? "held" : c.at ? `anomaly found at ${cell(c.at.node)}, ${fmtMs(c.at.t)}` : "anomaly found";
    const expected = c.expected ? "holds" : "anomaly";
    out.push(`| ${met ? "✅" : "❌"} | ${cell(c.name)} | ${outcome} | ${expected} | ${cell(clip(c.detail, 300))} |`);
  }
  const st = s.stats;
  if (st) {
    out.push("", "| events | sent | delivered | dropped | duplicated | simulated | converged at | metadata |", "|---:|---:|---:|---:|---:|---:|---:|---:|");
    out.push(
      `| ${st.events} | ${st.sent} | ${st.delivered} | ${st.dropped} | ${st.duplicated} | ${fmtMs(st.simTimeMs)} | ${st.convergedAtMs === null ? "never" : fmtMs(st.convergedAtMs)} | ${st.metadataBytes} B |`,
    );
  }
  const avail = availabilityTable(st ?? null);
  if (avail) {
    out.push("", "Availability per node (CRDT writes accepted; service requests: how they ended, and how long the answered ones took):", "");
    out.push(`| node | CRDT writes | ${avail.services.map((x) => cell(serviceTitle(x))).join(" | ")} |`, `|---|---:|${avail.services.map(() => "---|").join("")}`);
    for (const r of avail.rows) out.push(`| ${cell(r.node)} | ${r.writes} | ${r.cells.map(cell).join(" | ")} |`);
  }
  out.push("", ...finals(s.final));
  out.push("", "Replay it bit for bit:", "", "```sh", o.replay, "```", "");
  out.push("Views beside this file: `timeline.html` (interactive, opens offline), `timeline.svg`, `junit.xml`, `trace.jsonl`.", "");
  return out.join("\n");
}

function finals(final: Record<string, unknown>): string[] {
  const entries = Object.entries(final ?? {});
  if (entries.length === 0) return [];
  const json = entries.map(([n, v]) => [n, clip(JSON.stringify(v) ?? "undefined", 200)] as const);
  if (json.every(([, v]) => v === json[0]![1])) return [`Final value, on all ${json.length} replicas: ${code(json[0]![1])}`];
  return ["Final values (replicas disagree):", "", ...json.map(([n, v]) => `- **${n}**: ${code(v)}`)];
}
