/**
 * timeline.svg: the static space-time diagram, a pure string built from the layout (no DOM, no
 * browser), so CI artefacts, READMEs and the gallery thumbnails can show a run. Big runs are
 * drawn as per-lane event density: every mark of 100,000 events would make an unreadable,
 * many-megabyte file, and timeline.html is the place to zoom in.
 */
import { dropEnd, geometry, ticks, xOf, yOf, type Geometry } from "../layout/geometry.ts";
import { A, K, type Model } from "../layout/model.ts";
import { fmtMs } from "../layout/text.ts";
import { clip, esc } from "./escape.ts";
import { DASH, LOST_DY, STYLE, laneColor, legendFor, markSvg, type LegendItem } from "./style.ts";
import { VERDICT_COLOUR, verdictOf } from "./verdict.ts";
import { placeTags } from "../layout/tags.ts";

/** Above this many events the SVG shows density instead of every mark and arrow. */
export const DETAIL_MAX = 4000;
const HEADER = 96;
const AXIS = 26;
const p = (n: number) => +n.toFixed(1);

/**
 * Where the diagram alone (no header, no legend) sits in timeline.svg: its aspect ratio, and the
 * top margin that shifts the header out of view when the whole SVG is an <img> as wide as its
 * box — the gallery's thumbnail crop (SVG view fragments are not honoured in <img> everywhere).
 * A % margin is a fraction of the box's width, so the crop holds at any card width and does not
 * depend on how tall the legend below is.
 */
export function diagramCrop(lanes: number, width = 1200): { aspect: string; marginTop: string } {
  const top = HEADER - 4,
    h = AXIS + lanes * 64 + 10;
  return { aspect: `${width} / ${h}`, marginTop: `-${+((top / width) * 100).toFixed(3)}%` };
}

/**
 * The pixel geometry renderSvg draws with, for a layer drawn over it (the playground's cursor).
 * `bare`: no header (title, verdict, check chips), as the playground shows a run still unfolding.
 */
export function diagramGeometry(m: Model, o: { width?: number; bare?: boolean } = {}): Geometry {
  return geometry(m, { width: o.width ?? 1200, top: (o.bare ? 8 : HEADER) + AXIS });
}

export function renderSvg(m: Model, o: { width?: number; bare?: boolean } = {}): string {
  const W = o.width ?? 1200;
  const g = diagramGeometry(m, o);
  const bottom = g.top + m.lanes.length * g.laneH;
  const items = legendFor(m);
  const legendRows = Math.ceil(items.length / 3);
  const H = bottom + 24 + legendRows * 22 + 12;
  const detail = m.ev.t.length <= DETAIL_MAX;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${esc(STYLE.font)}" font-size="12">`,
    `<defs>${Object.entries(STYLE.arrow)
      .map(
        ([st, c]) => `<marker id="ah${st}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0.5L8,4L0,7.5Z" fill="${c}"/></marker>`,
      )
      .join("")}` +
      `<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${STYLE.band.crash}"/><path d="M0,0V6" stroke="#9ca3af" stroke-width="2"/></pattern></defs>`,
    `<rect width="${W}" height="${H}" fill="${STYLE.paper}"/>`,
    o.bare ? "" : header(m, W),
    bands(m, g, bottom),
    lanes(m, g),
    axis(g, bottom),
    detail ? arrows(m, g) + marks(m, g) + tags(m, g) : density(m, g),
    flags(m, g, bottom),
    legend(items, W, bottom + 24),
    `</svg>`,
  ];
  return out.filter((s) => s !== "").join("\n") + "\n";
}

function header(m: Model, W: number): string {
  const v = verdictOf(m.ok, m.checks);
  const verdict = v.badge;
  const vc = VERDICT_COLOUR[v.cls];
  const vw = verdict.length * 8 + 20;
  const title = clip(m.scenario, 60);
  const tw = title.length * 11.5 + 24;
  const sub = [m.crdt, `seed ${m.seed}`, `${m.ev.t.length} events`, `${m.arrows.s.length} messages`, m.traceHash && `trace ${m.traceHash.slice(0, 12)}`]
    .filter(Boolean)
    .join(" · ");
  let x = 24;
  const chips = m.checks.map((c) => {
    const good = c.ok === c.expected,
      caught = good && !c.ok;
    const text = `${c.ok ? "✓" : "✗"} ${c.name}${!c.expected ? (c.ok ? " (anomaly expected, not seen)" : " (anomaly expected, caught)") : ""}`;
    const w = text.length * 6.6 + 16;
    const [bg, fg] = caught ? ["#fef3c7", "#92400e"] : good ? ["#dcfce7", STYLE.ok] : ["#fee2e2", STYLE.bad];
    const s = `<g transform="translate(${p(x)},70)"><rect width="${p(w)}" height="20" rx="10" fill="${bg}"/><text x="8" y="14" fill="${fg}">${esc(text)}</text></g>`;
    x += w + 6;
    return x > W ? "" : s;
  });
  return [
    `<text x="24" y="30" font-size="20" font-weight="700" fill="${STYLE.ink}">${esc(title)}</text>`,
    `<g transform="translate(${p(24 + tw)},13)"><rect width="${vw}" height="22" rx="11" fill="${vc}"/><text x="${vw / 2}" y="15.5" text-anchor="middle" fill="#fff" font-weight="700" font-size="12">${verdict}</text></g>`,
    `<text x="24" y="48" fill="${STYLE.muted}">${esc(sub)}</text>`,
    m.description ? `<text x="24" y="63" fill="${STYLE.ink}">${esc(clip(m.description, Math.floor((W - 48) / 6.2)))}</text>` : "",
    ...chips,
  ].join("");
}

function bands(m: Model, g: Geometry, bottom: number): string {
  return m.bands
    .map((b) => {
      const x0 = xOf(g, b.from),
        x1 = Math.max(xOf(g, b.to), x0 + 1);
      if (b.lane < 0)
        return `<rect x="${p(x0)}" y="${g.top}" width="${p(x1 - x0)}" height="${bottom - g.top}" fill="${STYLE.band[b.kind]}"/><text x="${p(x0 + 4)}" y="${g.top + 12}" font-size="11" fill="${STYLE.bad}">${esc(clip(b.label, Math.max(4, Math.floor((x1 - x0) / 6))))}</text>`;
      const y = g.top + b.lane * g.laneH + 8;
      const fill = b.kind === "crash" ? "url(#hatch)" : STYLE.band.pause;
      return `<rect x="${p(x0)}" y="${y}" width="${p(x1 - x0)}" height="${g.laneH - 16}" fill="${fill}" opacity="0.8"><title>${esc(b.label)}</title></rect>`;
    })
    .join("");
}

function lanes(m: Model, g: Geometry): string {
  return m.lanes
    .map((l, i) => {
      const y = yOf(g, i);
      return (
        `<line x1="${g.left}" x2="${g.width - g.right}" y1="${y}" y2="${y}" stroke="${laneColor(i)}" stroke-opacity="0.45" stroke-width="2"/>` +
        `<text x="${g.left - 14}" y="${y - 3}" text-anchor="end" font-size="14" font-weight="600" fill="${laneColor(i)}">${esc(clip(l.name, 20))}</text>` +
        `<text x="${g.left - 14}" y="${y + 13}" text-anchor="end" font-size="10.5" fill="${STYLE.muted}">${esc(l.label)}</text>` +
        // A clock stepped during the run: its new reading on the lane, where the step happens.
        (l.clockChanges ?? [])
          .map(
            (c) =>
              `<text x="${p(xOf(g, c.t) + 8)}" y="${y + 18}" font-size="10.5" fill="${STYLE.muted}" paint-order="stroke" stroke="#fff" stroke-width="3">clock: ${esc(c.label.replace(/^clock /, ""))}</text>`,
          )
          .join("")
      );
    })
    .join("");
}

function axis(g: Geometry, bottom: number): string {
  const y = g.top - 8;
  return ticks(g.t0, g.t1, 10)
    .map((t) => {
      const x = p(xOf(g, t));
      return `<line x1="${x}" x2="${x}" y1="${y + 2}" y2="${bottom}" stroke="${STYLE.faint}"/><text x="${x}" y="${y - 2}" text-anchor="middle" font-size="10.5" fill="${STYLE.muted}">${fmtMs(t)}</text>`;
    })
    .join("");
}

function arrows(m: Model, g: Geometry): string {
  const ar = m.arrows,
    out: string[] = [];
  for (let a = 0; a < ar.s.length; a++) {
    const s = ar.s[a]!,
      st = ar.st[a]!;
    const x0 = xOf(g, m.ev.t[s]!),
      y0 = yOf(g, m.ev.lane[s]!);
    let x1 = xOf(g, ar.t[a]!),
      y1 = yOf(g, ar.to[a]!);
    if (st === A.dropped) [x1, y1] = dropEnd(x0, y0, x1, y1);
    const dash = DASH[st] ? ` stroke-dasharray="${DASH[st]}"` : "";
    const head = st === A.dropped ? "" : ` marker-end="url(#ah${st})"`;
    const w = m.strs[ar.mk[a]!] === "ae" ? 0.8 : 1.3;
    out.push(`<line class="msg" x1="${p(x0)}" y1="${p(y0)}" x2="${p(x1)}" y2="${p(y1)}" stroke="${STYLE.arrow[st]}" stroke-width="${w}"${dash}${head}/>`);
    if (st === A.dropped)
      out.push(`<path d="M${p(x1 - 4)},${p(y1 - 4)}L${p(x1 + 4)},${p(y1 + 4)}M${p(x1 + 4)},${p(y1 - 4)}L${p(x1 - 4)},${p(y1 + 4)}" stroke="${STYLE.bad}" stroke-width="2"/>`);
    if (ar.h[a]! >= 0) {
      // The hold marker sits where the arrow was at the moment the partition caught it.
      const f = Math.min(1, Math.max(0, (ar.h[a]! - m.ev.t[s]!) / Math.max(1, ar.t[a]! - m.ev.t[s]!)));
      out.push(`<rect x="${p(x0 + (x1 - x0) * f - 2.5)}" y="${p(y0 + (y1 - y0) * f - 5)}" width="5" height="10" fill="${STYLE.arrow[A.held]}"/>`);
    }
  }
  return out.join("");
}

function marks(m: Model, g: Geometry): string {
  const out: string[] = [];
  // Sends first so an update at the same instant is drawn on top of its own sends.
  const order = [K.send, K.receive, K.buffered, K.merge, K.update, K.service, K.serviceOk, K.serviceFail, K.ack, K.crash, K.lost, K.restart, K.pause, K.resume, K.jump];
  for (const k of order)
    for (let i = 0; i < m.ev.t.length; i++)
      if (m.ev.kind[i] === k) out.push(markSvg(k, xOf(g, m.ev.t[i]!), yOf(g, m.ev.lane[i]!) + (k === K.lost ? LOST_DY : 0), laneColor(m.ev.lane[i]!)));
  return out.join("");
}

/**
 * The service tags ("#3", "unavailable", "x=1 y=0 fractured") above their marks. Answers and
 * failures are placed first; a request's tag only where it has room. None overlaps another.
 */
function tags(m: Model, g: Geometry): string {
  const out: string[] = [];
  for (const t of placeTags(
    m,
    (i) => xOf(g, m.ev.t[i]!),
    (s, bold) => s.length * (bold ? 6.4 : 5.9) + 6,
  )) {
    const i = m.tags.ev[t]!,
      k = m.ev.kind[i]!;
    const fill = k === K.serviceFail ? STYLE.bad : k === K.serviceOk ? STYLE.ink : STYLE.muted;
    out.push(
      `<text x="${p(xOf(g, m.ev.t[i]!) - 3)}" y="${p(yOf(g, m.ev.lane[i]!) - 10)}" font-size="10.5"${k === K.serviceFail ? ' font-weight="700"' : ""} fill="${fill}" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(m.strs[m.tags.s[t]!]!)}</text>`,
    );
  }
  return out.join("");
}

/** Events per pixel column, per lane, as bars (log scale: bursts and trickles both visible). */
function density(m: Model, g: Geometry): string {
  const cols = Math.max(1, Math.round(g.width - g.left - g.right) >> 1);
  const out: string[] = [];
  m.lanes.forEach((_, l) => {
    const counts = new Array<number>(cols).fill(0);
    for (let i = 0; i < m.ev.t.length; i++) if (m.ev.lane[i] === l) counts[Math.min(cols - 1, Math.floor(((m.ev.t[i]! - g.t0) / Math.max(1, g.t1 - g.t0)) * cols))]!++;
    const max = Math.log1p(Math.max(1, ...counts));
    const y = yOf(g, l);
    const d = counts.map((c, i) => (c ? `M${p(g.left + i * 2)},${p(y)}v${p(-(Math.log1p(c) / max) * (g.laneH / 2 - 6))}` : "")).join("");
    out.push(`<path d="${d}" stroke="${laneColor(l)}" stroke-width="2"/>`);
  });
  out.push(
    `<text x="${g.left}" y="${g.top + m.lanes.length * g.laneH + 14}" font-size="11" fill="${STYLE.muted}">${m.ev.t.length} events: event density per lane — open timeline.html to zoom into single events</text>`,
  );
  return out.join("");
}

function flags(m: Model, g: Geometry, bottom: number): string {
  const placed: [number, number, number][] = []; // labels drawn: [left, right, row], none overlapping
  return m.flags
    .map((f) => {
      const x = p(xOf(g, f.t));
      const c = flagColour(f);
      const w = f.label.length * 6.3; // 11px semibold, estimated (no DOM to measure)
      const end = x + 5 + w > g.width - 4;
      const l0 = end ? x - 5 - w : x + 5;
      let row = 0;
      while (placed.some(([a, b, r]) => r === row && l0 < b + 8 && a < l0 + w + 8)) row++;
      placed.push([l0, l0 + w, row]);
      const ring = f.lane === undefined ? "" : `<circle cx="${x}" cy="${p(yOf(g, f.lane))}" r="9" fill="none" stroke="${c}" stroke-width="2.5"/>`;
      return `<line x1="${x}" x2="${x}" y1="${g.top}" y2="${bottom}" stroke="${c}" stroke-width="2" stroke-dasharray="6 3"/>${ring}<text x="${p(end ? x - 5 : x + 5)}" y="${bottom - 6 - row * 15}" text-anchor="${end ? "end" : "start"}" font-size="11" font-weight="600" fill="${c}" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(f.label)}</text>`;
    })
    .join("");
}

/** Icon of one legend entry, centred at (x, y); shared with the page's legend. */
export function legendIcon(item: LegendItem, x: number, y: number): string {
  switch (item.kind) {
    case "mark":
      return markSvg(item.code as number, x, y, laneColor(0));
    case "arrow": {
      const st = item.code as number,
        dash = DASH[st] ? ` stroke-dasharray="${DASH[st]}"` : "";
      const end = st === A.dropped ? `<path d="M${x + 8},${y - 4}l7,7m0,-7l-7,7" stroke="${STYLE.bad}" stroke-width="2"/>` : "";
      return `<line x1="${x - 14}" y1="${y}" x2="${x + (st === A.dropped ? 10 : 14)}" y2="${y}" stroke="${STYLE.arrow[st]}" stroke-width="1.6"${dash}${st === A.dropped ? "" : ` marker-end="url(#ah${st})"`}/>${end}`;
    }
    case "band":
      return `<rect x="${x - 14}" y="${y - 7}" width="28" height="14" fill="${item.code === "crash" ? "url(#hatch)" : STYLE.band[item.code as "pause"]}" stroke="${STYLE.faint}"/>`;
    default: {
      const c = item.code === "converged" ? STYLE.ok : item.code === "anomaly-caught" ? STYLE.caught : STYLE.bad;
      const ring = item.code === "anomaly" || item.code === "anomaly-caught" ? `<circle cx="${x}" cy="${y}" r="6" fill="none" stroke="${c}" stroke-width="2"/>` : "";
      return `<line x1="${x}" x2="${x}" y1="${y - 8}" y2="${y + 8}" stroke="${c}" stroke-width="2" stroke-dasharray="4 2"/>${ring}`;
    }
  }
}

/** Green for convergence, amber for an anomaly the scenario expects, red for a failure. */
function flagColour(f: Model["flags"][number]): string {
  return f.kind === "converged" ? STYLE.ok : f.caught ? STYLE.caught : STYLE.bad;
}

function legend(items: LegendItem[], W: number, top: number): string {
  const colW = (W - 48) / 3,
    rows = Math.ceil(items.length / 3);
  return items
    .map((item, i) => {
      const x = 24 + Math.floor(i / rows) * colW,
        y = top + (i % rows) * 22 + 8;
      // Widths per character of the widest common sans (DejaVu Sans, Debian's default) at 12 px:
      // narrower guesses let an entry run into the next column.
      return `${legendIcon(item, x + 16, y)}<text x="${p(x + 40)}" y="${y + 4}" fill="${STYLE.ink}"><tspan font-weight="600">${esc(item.label)}</tspan><tspan fill="${STYLE.muted}"> — ${esc(clip(item.why, Math.max(8, Math.floor((colW - 56 - item.label.length * 8.2) / 6.9))))}</tspan></text>`;
    })
    .join("");
}
