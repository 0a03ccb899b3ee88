/**
 * timeline.html: one self-contained file — d3, the model (packed: pack.ts), the page script and its CSS inlined —
 * so it opens offline from disk, from a CI artefact or an e-mail. Everything that doesn't move
 * (header, verdicts, legend) is rendered here as static HTML; the page script only draws the
 * diagram and handles interaction.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PAD } from "../layout/geometry.ts";
import { A, ARROW_NAMES, K, KIND_NAMES, type Model } from "../layout/model.ts";
import { fmtMs } from "../layout/text.ts";
import { availabilityTable, serviceTitle } from "./availability.ts";
import { esc } from "./escape.ts";
import { DASH, LOST_DY, STYLE, legendFor } from "./style.ts";
import { arrowOrder, packPageData } from "./pack.ts";
import { legendIcon } from "./svg.ts";
import { convergenceWords, foldIdleChecks, idleChipText, typeLabel, verdictOf } from "./verdict.ts";

const page = (f: string) => readFileSync(new URL(`../page/${f}`, import.meta.url), "utf8");

let d3Cache: string | null = null;
/** d3's UMD bundle from node_modules (read once per process). */
export function d3Source(): string {
  if (d3Cache === null) {
    const mjs = createRequire(import.meta.url).resolve("d3"); // …/d3/dist/d3.mjs
    d3Cache = readFileSync(join(dirname(mjs), "d3.min.js"), "utf8");
  }
  return d3Cache;
}

export type HtmlOptions = { replay?: string; realRun?: boolean };

export function renderTimelineHtml(m: Model, o: HtmlOptions = {}): string {
  const data = {
    style: STYLE,
    dash: Object.fromEntries(Object.entries(DASH).map(([k, v]) => [k, v ? v.split(" ").map(Number) : []])),
    K,
    A,
    kindNames: KIND_NAMES,
    arrowNames: ARROW_NAMES,
    pad: PAD,
    lostDy: LOST_DY,
    // No replicated update at all (a services-only run): the values table would only say "0".
    noValues: !m.ev.kind.includes(K.update),
  };
  const code = (f: string) => page(f).replace(/^export /gm, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.scenario)} — MemoConductor timeline</title>
<style>
${page("timeline.css")}</style>
</head>
<body>
<main>
${header(m)}
<section class="card">
<div class="toolbar"><label><input type="checkbox" id="vvtoggle"> version vectors</label><button id="reset">reset zoom</button><span class="hint">scroll to zoom · drag to pan · hover an event for its version vector and value · click it for its causal past and future</span></div>
<div id="chart"><div id="gutter"></div><div id="plot"><canvas id="canvas"></canvas><svg id="overlay"><g class="axis"></g></svg></div></div>
<div id="selection"></div>
<div class="timebar"><button id="prev" title="previous event">◀</button><input type="range" id="time" aria-label="time"><button id="next" title="next event">▶</button><output id="tnow"></output></div>
<div class="agree" id="agree"></div>
<table class="values" id="values"><thead><tr><th>replica</th><th>value at this instant</th><th>version vector</th></tr></thead><tbody></tbody></table>
</section>
${availabilitySection(m.stats)}<section class="card legend">
<svg width="0" height="0" style="position:absolute" aria-hidden="true">${defs()}</svg>
${legendFor(m)
  .map((item) => `<div><svg width="36" height="20" viewBox="0 0 36 20">${legendIcon(item, 18, 10)}</svg><b>${esc(item.label)}</b><span>${esc(item.why)}</span></div>`)
  .join("\n")}
</section>
<footer>${o.replay ? `${o.realRun ? "Run the same schedule again (real processes: not deterministic)" : "Replay this run bit for bit"}: <code>${esc(o.replay)}</code> · ` : ""}made by MemoConductor from the run's trace</footer>
</main>
<div class="tip" id="tip"></div>
<script>${d3Source()}</script>
<script type="application/octet-stream" id="data">${packPageData(m, data, arrowOrder(m))}</script>
<script>
${code("query.js")}${code("unpack.js")}</script>
<script>
${page("timeline.js")}</script>
</body>
</html>
`;
}

/** CAP made visible: per node, CRDT writes accepted and each service's outcomes and latency (runs with services only). */
function availabilitySection(stats: Model["stats"]): string {
  const t = availabilityTable(stats);
  if (t === null) return "";
  const head = `<tr><th>node</th><th class="num">CRDT writes accepted</th>${t.services.map((x) => `<th>${esc(serviceTitle(x))}</th>`).join("")}</tr>`;
  const rows = t.rows
    .map((r) => `<tr><td>${esc(r.node)}</td><td class="num">${r.writes}</td>${r.cells.map((c, i) => `<td class="${r.tones[i]}">${esc(c)}</td>`).join("")}</tr>`)
    .join("");
  return `<section class="card avail"><h2>Availability per node</h2><p>Which side of the run could still do what: CRDT writes are always accepted locally; a service request is answered, times out (reported unavailable, never answered wrongly), or is unfinished at a crash or at the end. Latency is virtual time from the request to its answer, retries included.</p><table><thead>${head}</thead><tbody>${rows}</tbody></table></section>
`;
}

/** The arrowheads and hatching the legend icons refer to, defined once per page. */
function defs(): string {
  return `<defs>${Object.entries(STYLE.arrow)
    .map(([st, c]) => `<marker id="ah${st}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0.5L8,4L0,7.5Z" fill="${c}"/></marker>`)
    .join(
      "",
    )}<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${STYLE.band.crash}"/><path d="M0,0V6" stroke="#9ca3af" stroke-width="2"/></pattern></defs>`;
}

function header(m: Model): string {
  const s = m.stats;
  // Service traffic (seq.*, ramp.*) is also counted apart; the summary's counts include it.
  const svc = m.arrows.mk.filter((k) => m.strs[k]!.includes(".")).length;
  // A services-only run (no replicated updates, no replica message) has no replication counts or convergence to report.
  const replicated = m.ev.kind.includes(K.update) || m.arrows.mk.some((k) => !m.strs[k]!.includes("."));
  const replication =
    s && replicated
      ? [`${svc ? "all messages: " : ""}${s.sent} sent`, `${s.delivered} delivered`, `${s.dropped} dropped`, `${s.duplicated} duplicated`, `${s.metadataBytes} B of metadata`]
      : [];
  const stats = s
    ? [
        ...replication,
        `simulated ${fmtMs(s.simTimeMs)}`,
        ...(replicated ? [convergenceWords(s.convergedAtMs, fmtMs)] : []),
        ...(svc ? [`services: ${svc} message${svc === 1 ? "" : "s"} (square marks)`] : []),
      ].join(" · ")
    : "";
  const { shown, idle } = foldIdleChecks({ checks: m.checks, stats: m.stats });
  const idleChip = idle.length ? idleChipText(idle) : null;
  const checks =
    shown
      .map((c) => {
        const good = c.ok === c.expected;
        const note = !c.expected ? ` <small>(anomaly expected${c.ok ? ", not seen" : ", caught"})</small>` : "";
        return `<li class="${good ? (c.ok ? "good" : "caught") : "bad"}" title="${esc(c.detail || (c.ok ? "held" : "failed"))}">${c.ok ? "✓" : "✗"} ${esc(c.name)}${note}</li>`;
      })
      .join("") + (idleChip ? `<li class="idle" title="${esc(idleChip.title)}">${esc(idleChip.text)}</li>` : "");
  const v = verdictOf(m.ok, m.checks);
  return `<header>
<h1>${esc(m.scenario)}</h1><span class="verdict ${v.cls}" title="${esc(v.title)}">${v.badge}</span>
<p class="sub">${esc([typeLabel(m.crdt, m.stats), `seed ${m.seed}`, `${m.ev.t.length} events drawn`, `${m.arrows.s.length} messages`, m.traceHash && `trace ${m.traceHash.slice(0, 16)}…`].filter(Boolean).join(" · "))}</p>
${m.description ? `<p class="desc">${esc(m.description)}</p>` : ""}
<ul class="checks">${checks}</ul>
<p class="stats">${esc(stats)}</p>
</header>`;
}
