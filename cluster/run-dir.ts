/**
 * A cluster run as a run directory of the same shape as a simulated one (summary.json,
 * trace.jsonl, report.md, junit.xml, timeline.html/.svg, scenario.json), so CI and the gallery
 * read it alike; besides them history.jsonl (every client operation), plan.json (the schedule
 * drawn from the seed) and simulated-scenario.json (that schedule as scripted steps, repro.ts).
 * The trace's times are wall-clock ms since the start; summary.json says `"mode": "cluster"`.
 */
import { DEFAULT_ANTI_ENTROPY_MS } from "../sim/index.ts";
import { createHash } from "node:crypto";
import type { Run, Scenario, Summary } from "../sim/index.ts";
import { renderRunViews, VIEW_FILES } from "../viz/index.ts";
import type { ClusterRun } from "./run-cluster.ts";

export type ClusterSummary = Summary & {
  mode: "cluster";
  deterministic: false;
  approximated: string[];
  notChecked: string[];
  history: { operations: number; ok: number; fail: number; info: number };
};

export function clusterSummary(scenario: Scenario, seed: number, crdtName: string, r: ClusterRun, traceLines: readonly string[]): ClusterSummary {
  const ops = r.history.filter((h) => h.op !== "read");
  const count = (type: string) => ops.filter((h) => h.type === type).length;
  const ok = r.checks.every((c) => c.ok === c.expected);
  return {
    scenario: scenario.name,
    seed,
    crdt: crdtName,
    ok,
    // This run's trace, hashed: it names the run, it does not promise another run the same one.
    traceHash: createHash("sha256").update(traceLines.join("\n")).digest("hex"),
    checks: r.checks,
    stats: {
      events: traceLines.length - 1,
      sent: r.links.sent,
      delivered: r.links.delivered,
      dropped: r.links.dropped,
      duplicated: r.links.duplicated,
      simTimeMs: r.wallMs,
      convergedAtMs: r.convergedAtMs,
      metadataBytes: 0,
    },
    final: r.finals,
    mode: "cluster",
    deterministic: false,
    approximated: r.support.approximated,
    notChecked: r.support.notChecked,
    history: { operations: ops.length, ok: count("ok"), fail: count("fail"), info: count("info") },
  };
}

/** The trace lines: meta first, then the events in time order. */
export function clusterTrace(scenario: Scenario, seed: number, crdtName: string, r: ClusterRun): string[] {
  const meta = {
    t: 0,
    type: "meta",
    scenario: scenario.name,
    seed,
    crdt: crdtName,
    nodes: scenario.nodes,
    sync: "delta",
    antiEntropyMs: scenario.sync?.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS,
    duration: scenario.duration,
    mode: "cluster",
  };
  const events = r.events.map((e, i) => [e, i] as const).sort((a, b) => (a[0].t as number) - (b[0].t as number) || a[1] - b[1]);
  return [JSON.stringify(meta), ...events.map(([e]) => JSON.stringify(e))];
}

export function clusterRunFiles(o: {
  dir: string;
  scenario: Scenario;
  seed: number;
  crdtName: string;
  run: ClusterRun;
  rerun: string;
  repro: Scenario;
  reproNote: string;
}): Record<string, string> {
  const trace = clusterTrace(o.scenario, o.seed, o.crdtName, o.run);
  const summary = clusterSummary(o.scenario, o.seed, o.crdtName, o.run, trace);
  const asRun: Run = { summary, trace };
  const notes = [
    "A run against real node processes (memoconductor cluster): times are wall-clock ms, and the same seed gives the same schedule, not the same run.",
    ...summary.approximated.map((a) => `Approximated — ${a}`),
    ...summary.notChecked.map((c) => `Not checked — ${c}`),
    o.reproNote,
  ];
  const views = renderRunViews(asRun, o.scenario, { replay: o.rerun, notes, realRun: true });
  const files: Record<string, string> = {
    "scenario.json": JSON.stringify({ ...o.scenario, seed: o.seed }, null, 2) + "\n",
    "summary.json": JSON.stringify(summary, null, 2) + "\n",
    "trace.jsonl": trace.map((l) => l + "\n").join(""),
    "history.jsonl": o.run.history.map((h) => JSON.stringify(h) + "\n").join(""),
    "plan.json": JSON.stringify(o.run.plan, null, 2) + "\n",
    "simulated-scenario.json": JSON.stringify(o.repro, null, 2) + "\n",
    [VIEW_FILES.md]: views.md,
    [VIEW_FILES.junit]: views.junit,
  };
  if (views.html) files[VIEW_FILES.html] = views.html;
  if (views.svg) files[VIEW_FILES.svg] = views.svg;
  return files;
}
