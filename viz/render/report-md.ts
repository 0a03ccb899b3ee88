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
import { checkExpectedWord, checkOutcomeWord, servicesOnly, verdictOf, verdictSentence } from "./verdict.ts";

/**
 * `notes`: lines shown under the checks (a cluster run: what was approximated, what could not be
 * checked); `realRun`: the run was against real processes, so `replay` runs the same schedule
 * again rather than reproducing this run.
 */
/** `views`: the closing line naming the views beside report.md, when not all of them are there. */
export type ReportOptions = { description?: string; replay: string; notes?: readonly string[]; realRun?: boolean; views?: string };

/** A check's detail and a final value are cut at these lengths; the whole text is in summary.json. */
const DETAIL_CHARS = 300;
const VALUE_CHARS = 200;

export function renderReportMd(s: Summary, o: ReportOptions): string {
  const out: string[] = [];
  const cut = s.checks.some((c) => String(c.detail).length > DETAIL_CHARS) || Object.values(s.final ?? {}).some((v) => (JSON.stringify(v) ?? "").length > VALUE_CHARS);
  const v = verdictOf(s.ok, s.checks);
  out.push(`## ${s.ok ? "✅" : "❌"} ${mdText(`${s.scenario} — ${verdictSentence(v).slice(2)}`)}`, "");
  if (o.description) out.push(`> ${mdLine(o.description)}`, "");
  const crdt = servicesOnly(s.stats) ? `Services only (CRDT ${mdCode(s.crdt)} idle: no replica was written)` : `CRDT ${mdCode(s.crdt)}`;
  out.push(`${crdt} · seed ${mdText(String(s.seed))} · trace hash ${mdCode(String(s.traceHash).slice(0, 16))}`, "");
  out.push("| | check | outcome | expected | detail |", "|---|---|---|---|---|");
  for (const c of s.checks) {
    const met = c.ok === c.expected;
    // Where the checker pinned it (`at`), so a CI reader can go straight to that event in the timeline.
    const outcome = c.ok ? checkOutcomeWord(true) : c.at ? `${checkOutcomeWord(false)} at ${c.at.node}, ${fmtMs(c.at.t)}` : checkOutcomeWord(false);
    out.push(mdRow([met ? "✅" : "❌", c.name, outcome, checkExpectedWord(c.expected), clip(String(c.detail), DETAIL_CHARS)]));
  }
  const st = s.stats;
  if (st) {
    const converged = st.convergedAtMs === null ? "never converged" : fmtMs(st.convergedAtMs);
    if (o.realRun) {
      // A real run: its time is the wall clock's, its messages the link proxies' (their bytes are not measured).
      out.push("", "| events | sent | delivered | dropped | duplicated | wall clock | converged at |", "|---:|---:|---:|---:|---:|---:|---:|");
      out.push(mdRow([st.events, st.sent, st.delivered, st.dropped, st.duplicated, fmtMs(st.simTimeMs), converged]));
    } else {
      out.push("", "| events | sent | delivered | dropped | duplicated | simulated | converged at | metadata |", "|---:|---:|---:|---:|---:|---:|---:|---:|");
      out.push(mdRow([st.events, st.sent, st.delivered, st.dropped, st.duplicated, fmtMs(st.simTimeMs), converged, `${st.metadataBytes} B`]));
    }
  }
  const avail = availabilityTable(st ?? null);
  if (avail) {
    out.push("", "Availability per node (CRDT writes accepted; service requests: how they ended, and how long the answered ones took):", "");
    out.push(mdRow(["node", "CRDT writes", ...avail.services.map(serviceTitle)]), `|---|---:|${avail.services.map(() => "---|").join("")}`);
    for (const r of avail.rows) out.push(mdRow([r.node, r.writes, ...r.cells]));
  }
  out.push("", ...finals(s.final));
  // Said where it happens, so nobody takes a cut text (ending in …) for the whole of it.
  if (cut) out.push("", `Texts ending in … are cut short here: ${"`summary.json`"} beside this file has them whole.`);
  if (o.notes?.length) out.push("", ...o.notes.map((n) => `- ${mdLine(n)}`));
  const again = o.realRun ? "Run the same schedule again (real processes: not deterministic, the interleaving will differ):" : "Replay it bit for bit:";
  out.push("", again, "", ...mdFence(o.replay, "sh"), "");
  out.push(o.views ?? "Views beside this file: `timeline.html` (interactive, opens offline), `timeline.svg`, `junit.xml`, `trace.jsonl`.", "");
  return out.join("\n");
}

function finals(final: Record<string, unknown>): string[] {
  const entries = Object.entries(final ?? {});
  if (entries.length === 0) return [];
  const json = entries.map(([n, v]) => [n, clip(JSON.stringify(v) ?? "undefined", VALUE_CHARS)] as const);
  if (json.every(([, v]) => v === json[0]![1])) return [`Final value, on all ${json.length} replicas: ${mdCode(json[0]![1])}`];
  return ["Final values (replicas disagree):", "", ...json.map(([n, v]) => `- **${mdText(n)}**: ${mdCode(v)}`)];
}
