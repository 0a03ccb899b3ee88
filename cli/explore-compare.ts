/**
 * The original-vs-shrunk page of an explore failure: both runs are written as ordinary run
 * directories (summary, trace, timeline.html … — replayable with `memoconductor replay`), and a
 * small page shows their two timelines side by side. Self-contained like the timelines: no
 * network, opens from disk.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Crdt } from "../core/contract.ts";
import { judge } from "../sim/explore/verdict.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import { writeRunViews } from "../viz/index.ts";
import { writeRunDir } from "./run-dir.ts";

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** Runs `scenario` with a trace and writes its run directory; returns its one-line verdict. */
function writeRun(dir: string, scenario: Scenario, crdt: Crdt): string {
  const { verdict, run } = judge(scenario, crdt, crdt.name, true);
  if (run) {
    writeRunDir(dir, scenario, run);
    writeRunViews(dir, run, scenario);
  }
  return verdict.ok ? "all checks passed" : `failed: ${verdict.failed.join(", ")} — ${verdict.detail}`;
}

export type Side = { title: string; scenario: Scenario };

/** Writes `<base>/original/`, `<base>/shrunk/` and `<base>.compare.html`; returns the page's path. */
export function writeComparePage(base: string, crdt: Crdt, original: Side, shrunk: Side): string {
  mkdirSync(base, { recursive: true });
  const name = base.split(/[\\/]/).pop()!;
  const sides = [
    { ...original, dir: "original", verdict: writeRun(join(base, "original"), original.scenario, crdt) },
    { ...shrunk, dir: "shrunk", verdict: writeRun(join(base, "shrunk"), shrunk.scenario, crdt) },
  ];
  const column = (s: (typeof sides)[number]) => `
  <section>
    <h2>${esc(s.title)}</h2>
    <p class="verdict">${esc(s.verdict)}</p>
    <p><a href="${name}/${s.dir}/timeline.html">open full page</a> · <a href="${name}/${s.dir}/scenario.json">scenario.json</a> · <a href="${name}/${s.dir}/report.md">report.md</a></p>
    <iframe src="${name}/${s.dir}/timeline.html" title="${esc(s.title)}"></iframe>
  </section>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(crdt.name)}: original vs shrunk</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 12px; }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  section { min-width: 0; }
  h1 { font-size: 18px; } h2 { font-size: 15px; margin: 4px 0; }
  .verdict { color: #a00; font-family: ui-monospace, monospace; font-size: 12px; }
  iframe { width: 100%; height: 80vh; border: 1px solid #ccc; }
  pre { background: #f6f6f6; padding: 8px; overflow: auto; max-height: 30vh; }
</style></head>
<body>
<h1>${esc(crdt.name)}: the failing run and its shrunk scenario</h1>
<p>${esc(shrunk.scenario.description ?? "")}</p>
<main>${sides.map(column).join("")}
</main>
<h2>Shrunk scenario</h2>
<pre>${esc(JSON.stringify(shrunk.scenario, null, 2))}</pre>
</body></html>
`;
  const file = `${base}.compare.html`;
  writeFileSync(file, html);
  return file;
}
