/**
 * The original-vs-shrunk page of an explore failure: both runs are written as ordinary run
 * directories (summary, trace, timeline.html … — replayable with `memoconductor replay`), and a
 * small page shows their two timelines side by side. Self-contained like the timelines: no
 * network, opens from disk.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Crdt } from "../core/index.ts";
import { judge, type Scenario } from "../sim/index.ts";
import { writeRunDir } from "./run-dir.ts";

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * The time window worth opening a run on: around `times` (scripted steps, the instant a check
 * first failed) with a margin of `pad` ms, or undefined when that is most of the run anyway.
 */
export function focusWindow(times: readonly number[], end: number, pad: number): [number, number] | undefined {
  if (times.length === 0 || !(end > 0)) return undefined;
  const from = Math.max(0, Math.floor(Math.min(...times) - pad));
  const to = Math.ceil(Math.max(...times) + pad);
  return to - from < 0.6 * end ? [from, to] : undefined;
}

/** How many of the original's steps before its failure the compare page frames. */
const LEAD_UP_STEPS = 8;

type Written = { verdict: string; focus?: [number, number] };

/**
 * Runs `scenario` with a trace and writes its run directory; returns its one-line verdict and
 * the window to open its timeline on: for the shrunk run its steps and the failure, for the
 * original (hundreds of steps) the failure and the few steps just before it.
 */
function writeRun(dir: string, scenario: Scenario, crdt: Crdt, shrunk: boolean): Written {
  const { verdict, run } = judge(scenario, crdt, crdt.name, true);
  if (run) {
    writeRunDir(dir, scenario, run);
  }
  const text = verdict.ok ? "all checks passed" : `failed: ${verdict.failed.join(", ")} — ${verdict.detail}`;
  if (!run) return { verdict: text };
  const end = run.summary.stats.simTimeMs;
  const failedAt = run.summary.checks.filter((c) => !c.ok && c.expected && c.at).map((c) => c.at!.t);
  const first = failedAt.length ? [Math.min(...failedAt)] : [];
  const steps = (scenario.steps ?? []).map((s) => s.at);
  // The original's hundreds of steps: only the last few before the failure lead up to it.
  const leadUp = first.length ? steps.filter((t) => t <= first[0]!).slice(-LEAD_UP_STEPS) : [];
  const times = shrunk ? [...steps, ...first] : [...leadUp, ...first];
  const focus = focusWindow(times, end, Math.max(20, (Math.max(...times) - Math.min(...times)) / 4));
  return focus ? { verdict: text, focus } : { verdict: text };
}

export type Side = { title: string; scenario: Scenario };

/**
 * JSON indented only where a line would be longer than `width`: one step per line, short
 * arrays inline. `lead` is how many characters (a key) precede the value on its line.
 */
export function compactJson(v: unknown, indent = "", width = 100, lead = 0): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const isArray = Array.isArray(v);
  const entries = isArray ? (v as unknown[]).map((x) => [null, x] as const) : Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  const item = (k: string | null, x: unknown, ind: string) => {
    const key = k === null ? "" : `${JSON.stringify(k)}: `;
    return key + compactJson(x, ind, width, key.length);
  };
  const flat = entries.map(([k, x]) => item(k, x, "")).join(", ");
  const line = isArray ? `[${flat}]` : entries.length ? `{ ${flat} }` : "{}";
  // +1: the comma that may follow it.
  if (entries.length === 0 || (indent.length + lead + line.length + 1 <= width && !line.includes("\n"))) return line;
  const inner = indent + "  ";
  const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
  return `${open}\n${entries.map(([k, x]) => inner + item(k, x, inner)).join(",\n")}\n${indent}${close}`;
}

/**
 * Writes `<base>/original/`, `<base>/shrunk/` and `<base>.compare.html`; returns the page's path.
 * `replay` is the command that re-runs the shrunk scenario file, shown on the page.
 */
export function writeComparePage(base: string, crdt: Crdt, original: Side, shrunk: Side, replay?: string): string {
  mkdirSync(base, { recursive: true });
  const name = base.split(/[\\/]/).pop()!;
  const sides = [
    { ...original, dir: "original", ...writeRun(join(base, "original"), original.scenario, crdt, false) },
    { ...shrunk, dir: "shrunk", ...writeRun(join(base, "shrunk"), shrunk.scenario, crdt, true) },
  ];
  const column = (s: (typeof sides)[number]) => {
    const timeline = `${name}/${s.dir}/timeline.html${s.focus ? `#t=${s.focus[0]}-${s.focus[1]}` : ""}`;
    const zoomed = s.focus
      ? `<p class="focus">Zoomed on ${s.focus[0]}–${s.focus[1]} ms: ${s.dir === "shrunk" ? "its steps and where the check first failed" : "where the check first failed and the steps just before"} (“reset zoom” shows the whole run).</p>`
      : "";
    return `
  <section class="card">
    <h2>${esc(s.title)}</h2>
    <p class="verdict ${s.verdict.startsWith("failed") ? "bad" : "good"}">${esc(s.verdict)}</p>
    <p class="links"><a href="${timeline}">open the timeline full page</a> · <a href="${name}/${s.dir}/scenario.json">scenario.json</a> · <a href="${name}/${s.dir}/report.md">report.md</a></p>
    ${zoomed}<iframe src="${timeline}" title="${esc(s.title)}"></iframe>
  </section>`;
  };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(crdt.name)}: original vs shrunk</title>
<style>
  * { box-sizing: border-box; }
  body { font: 14px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; padding: 18px 22px 32px; color: #1f2937; background: #f8fafc; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 4px; }
  .lead { margin: 0 0 8px; max-width: 1200px; color: #374151; }
  .replay code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; }
  .replay code { background: #eef2f7; padding: 2px 6px; border-radius: 4px; font-size: 12.5px; }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 640px), 1fr)); gap: 14px; margin-top: 14px; }
  .card { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 12px 14px; min-width: 0; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
  .verdict { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin: 0 0 6px; overflow-wrap: anywhere; }
  .verdict.bad { color: #b91c1c; } .verdict.good { color: #15803d; }
  .links { margin: 0 0 8px; font-size: 13px; } a { color: #2563eb; }
  .focus { margin: 0 0 8px; font-size: 12.5px; color: #4b5563; }
  iframe { width: 100%; height: 82vh; min-height: 560px; border: 1px solid #e5e7eb; border-radius: 6px; background: #f8fafc; }
  pre { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 10px 14px; overflow: auto; max-height: 40vh; font-size: 12.5px; margin: 6px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .scenario { margin-top: 18px; }
</style></head>
<body>
<h1>${esc(crdt.name)}: the failing run and its shrunk scenario</h1>
<p class="lead">${esc(shrunk.scenario.description ?? "")}</p>
${replay ? `<p class="replay">Replay the shrunk scenario: <code>${esc(replay)}</code></p>` : ""}
<main>${sides.map(column).join("")}
</main>
<section class="scenario">
<h2>Shrunk scenario</h2>
<pre>${esc(compactJson(shrunk.scenario))}</pre>
</section>
</body></html>
`;
  const file = `${base}.compare.html`;
  writeFileSync(file, html);
  return file;
}
