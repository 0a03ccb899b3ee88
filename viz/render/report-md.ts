/**
 * report.md: the run as a CI job summary (GitHub's $GITHUB_STEP_SUMMARY renders it): the
 * verdict, one row per check, the stats, the final values and the command that replays the run.
 * Every name, description, detail and value is user data and goes through markdown-escape.ts:
 * the renderers allow raw HTML, and a `|` or newline would break a table row.
 */
import type { Summary } from "../../sim/run-types.ts";
import { fmtMs } from "../layout/text.ts";
import { clip } from "./escape.ts";
import { mdCode, mdFence, mdLine, mdRow, mdText } from "./markdown-escape.ts";
import { availabilityTable, serviceTitle } from "./availability.ts";
import { servicesOnly, verdictOf } from "./verdict.ts";

export type ReportOptions = { description?: string; replay: string };

export function renderReportMd(s: Summary, o: ReportOptions): string {
  const out: string[] = [];
  const v = verdictOf(s.ok, s.checks);
  const heading = v.cls === "fail" ? "FAIL" : v.cls === "shown" ? `anomaly shown (${v.caught.map((c) => c.name).join(", ")} caught, as expected)` : "pass";
  out.push(`## ${s.ok ? "✅" : "❌"} ${mdText(`${s.scenario} — ${heading}`)}`, "");
  if (o.description) out.push(`> ${mdLine(o.description)}`, "");
  const crdt = servicesOnly(s.stats) ? `Services only (CRDT ${mdCode(s.crdt)} idle: no replica was written)` : `CRDT ${mdCode(s.crdt)}`;
  out.push(`${crdt} · seed ${mdText(String(s.seed))} · trace hash ${mdCode(String(s.traceHash).slice(0, 16))}`, "");
  out.push("| | check | outcome | expected | detail |", "|---|---|---|---|---|");
  for (const c of s.checks) {
    const met = c.ok === c.expected;
    // Where the checker pinned it (`at`), so a CI reader can go straight to that event in the timeline.
    const outcome = c.ok ? "held" : c.at ? `anomaly found at ${c.at.node}, ${fmtMs(c.at.t)}` : "anomaly found";
    out.push(mdRow([met ? "✅" : "❌", c.name, outcome, c.expected ? "holds" : "anomaly", clip(String(c.detail), 300)]));
  }
  const st = s.stats;
  if (st) {
    out.push("", "| events | sent | delivered | dropped | duplicated | simulated | converged at | metadata |", "|---:|---:|---:|---:|---:|---:|---:|---:|");
    const converged = st.convergedAtMs === null ? "never" : fmtMs(st.convergedAtMs);
    out.push(mdRow([st.events, st.sent, st.delivered, st.dropped, st.duplicated, fmtMs(st.simTimeMs), converged, `${st.metadataBytes} B`]));
  }
  const avail = availabilityTable(st ?? null);
  if (avail) {
    out.push("", "Availability per node (CRDT writes accepted; service requests: how they ended, and how long the answered ones took):", "");
    out.push(mdRow(["node", "CRDT writes", ...avail.services.map(serviceTitle)]), `|---|---:|${avail.services.map(() => "---|").join("")}`);
    for (const r of avail.rows) out.push(mdRow([r.node, r.writes, ...r.cells]));
  }
  out.push("", ...finals(s.final));
  out.push("", "Replay it bit for bit:", "", ...mdFence(o.replay, "sh"), "");
  out.push("Views beside this file: `timeline.html` (interactive, opens offline), `timeline.svg`, `junit.xml`, `trace.jsonl`.", "");
  return out.join("\n");
}

function finals(final: Record<string, unknown>): string[] {
  const entries = Object.entries(final ?? {});
  if (entries.length === 0) return [];
  const json = entries.map(([n, v]) => [n, clip(JSON.stringify(v) ?? "undefined", 200)] as const);
  if (json.every(([, v]) => v === json[0]![1])) return [`Final value, on all ${json.length} replicas: ${mdCode(json[0]![1])}`];
  return ["Final values (replicas disagree):", "", ...json.map(([n, v]) => `- **${mdText(n)}**: ${mdCode(v)}`)];
}
