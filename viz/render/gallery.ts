/**
 * reports/index.html: the gallery `npm start` leaves behind — a card per scenario with its
 * verdict, its teaching point, a thumbnail (the run's static timeline.svg, scaled) and a link
 * to its interactive timeline. Plain HTML and CSS, relative links: the folder can be zipped,
 * served or opened from disk.
 */
import type { Summary } from "../../sim/run-types.ts";
import { clip, esc } from "./escape.ts";
import { diagramCrop } from "./svg.ts";
import { checkPhrase, convergenceWords, foldIdleChecks, idleChipText, typeLabel, VERDICT_WORD, verdictOf } from "./verdict.ts";

export type GalleryEntry = {
  summary: Summary;
  /** The scenario's description: its teaching point. */
  description?: string;
  /** The run directory, relative to the gallery's folder (POSIX separators). */
  href: string;
  /** Whether the run directory has timeline.svg/html (not with --no-trace). */
  hasTimeline?: boolean;
};

export function renderGallery(entries: GalleryEntry[], title = "MemoConductor scenarios"): string {
  const passed = entries.filter((e) => e.summary.ok).length;
  const shown = entries.filter((e) => verdictOf(e.summary.ok, e.summary.checks).cls === "shown").length;
  const cards = entries.map(card).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { margin: 0; font: 14px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #f8fafc; }
main { max-width: 1400px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { margin: 0; font-size: 26px; } .lead { color: #6b7280; margin: 4px 0 22px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 18px; }
.card { display: flex; flex-direction: column; background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; overflow: hidden; box-shadow: 0 1px 2px rgba(0,0,0,.04); color: inherit; text-decoration: none; transition: box-shadow .15s, transform .15s; }
a.card:hover { box-shadow: 0 6px 20px rgba(0,0,0,.09); transform: translateY(-1px); }
.thumb { background: #fff; border-bottom: 1px solid #eef0f3; aspect-ratio: 3 / 1; overflow: hidden; }
/* The diagram sits below timeline.svg's header: a negative top margin in % (of the width, as
   CSS margins are) shifts it up whatever the card's width and however tall the legend below. */
.thumb img { width: 100%; display: block; }
.body { padding: 12px 16px 16px; }
.top { display: flex; align-items: center; gap: 10px; } .top h2 { font-size: 16px; margin: 0; flex: 1; }
.v { padding: 1px 10px; border-radius: 999px; color: #fff; font-size: 11.5px; font-weight: 700; letter-spacing: .05em; }
.v.pass { background: #15803d; } .v.fail { background: #b91c1c; } .v.shown { background: #b45309; }
.shows { margin: 0 0 8px; padding: 6px 10px; border-radius: 8px; font-size: 13px; background: #f1f5f9; overflow-wrap: anywhere; }
.shows.shown { background: #fef3c7; color: #78350f; } .shows.fail { background: #fee2e2; color: #7f1d1d; }
.teach { display: -webkit-box; -webkit-line-clamp: 6; -webkit-box-orient: vertical; overflow: hidden; }
.meta { color: #6b7280; font-size: 12.5px; margin: 2px 0 6px; }
.teach { margin: 0 0 8px; font-size: 13.5px; }
.checks { display: flex; flex-wrap: wrap; gap: 4px; } .checks span { font-size: 11.5px; padding: 1px 8px; border-radius: 999px; }
.good { background: #dcfce7; color: #15803d; } .bad { background: #fee2e2; color: #b91c1c; font-weight: 600; }
.caught { background: #fef3c7; color: #92400e; font-weight: 600; }
.idle { background: #f1f5f9; color: #64748b; }
</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p class="lead">${entries.length} scenario${entries.length === 1 ? "" : "s"} · ${passed} met every expectation${shown ? ` — ${shown} of them <b style="color:#b45309">${VERDICT_WORD.shown}</b>: the checker caught the anomaly they demonstrate` : ""}${entries.length - passed ? ` · <b style="color:#b91c1c">${entries.length - passed} did not</b>` : ""} · click a card for its space-time diagram</p>
<div class="grid">
${cards}
</div>
</main>
</body>
</html>
`;
}

function card(e: GalleryEntry): string {
  const s = e.summary;
  const base = e.href.replace(/\/+$/, "");
  const has = e.hasTimeline !== false;
  const v = verdictOf(s.ok, s.checks);
  const { shown, idle } = foldIdleChecks(s);
  const idleChip = idle.length ? idleChipText(idle) : null;
  const chips =
    shown
      .map((c) => {
        const cls = c.ok === c.expected ? (c.ok ? "good" : "caught") : "bad";
        return `<span class="${cls}" title="${esc(c.detail)}">${c.ok ? "✓" : "✗"} ${esc(c.name)}${cls === "caught" ? " · caught" : ""}</span>`;
      })
      .join("") + (idleChip ? `<span class="idle" title="${esc(idleChip.title)}">${esc(idleChip.text)}</span>` : "");
  // Crop the thumbnail to the diagram itself (lanes = replicas in the final values).
  const lanes = Object.keys(s.final ?? {}).length;
  const crop = lanes ? diagramCrop(lanes) : null;
  const box = crop ? ` style="aspect-ratio: ${crop.aspect}"` : "";
  const pos = crop ? ` style="margin-top: ${crop.marginTop}"` : "";
  const inner = `<div class="thumb"${box}>${has ? `<img src="${esc(base)}/timeline.svg"${pos} alt="space-time diagram of ${esc(s.scenario)}">` : ""}</div>
<div class="body"><div class="top"><h2>${esc(s.scenario)}</h2><span class="v ${v.cls}" title="${esc(v.title)}">${v.badge}</span></div>
<p class="meta">${esc(typeLabel(s.crdt, s.stats))} · seed ${s.seed} · ${s.stats.events} simulator events${s.stats.convergedAtMs === null ? ` · ${convergenceWords(null, String)}` : ""}</p>
<p class="shows ${v.cls}">${shows(s, v)}</p>
${e.description ? `<p class="teach" title="${esc(e.description)}">${esc(e.description)}</p>` : ""}<div class="checks">${chips}</div></div>`;
  return has ? `<a class="card" href="${esc(base)}/timeline.html">${inner}</a>` : `<div class="card">${inner}</div>`;
}

/** One line on what the run ended with: the anomaly it caught, the check that broke, or the final value. */
function shows(s: Summary, v: ReturnType<typeof verdictOf>): string {
  const detail = (c: Summary["checks"][number]) => `<b>${esc(checkPhrase(c.name))}</b> — ${esc(clip(c.detail, 170))}`;
  if (v.cls === "fail") {
    const off = s.checks.filter((c) => c.ok !== c.expected);
    return off.length ? `Not as expected: ${off.map(detail).join("; ")}` : "Not as expected (see the timeline)";
  }
  if (v.caught.length) return `Demonstrates ${v.caught.map(detail).join("; ")}`;
  const values = Object.values(s.final ?? {}).map((x) => JSON.stringify(x) ?? "null");
  // A run with no replicated updates (a services-only scenario) has nothing to say in its values.
  if (!values.length || s.stats.deliveredUpdates === 0) return "Every check held, as the scenario expects.";
  const distinct = new Set(values);
  return distinct.size === 1
    ? `Every check held; all ${values.length} replicas end with <code>${esc(clip(values[0]!, 90))}</code>`
    : `Every check held; the replicas end with ${distinct.size} different values`;
}
