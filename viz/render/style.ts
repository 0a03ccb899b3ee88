/**
 * One palette and one set of mark shapes for every view: the static SVG and the legend draw
 * marks from `markSvg`, and the page's canvas code reads the same colours from the embedded
 * style object, so a mark means the same thing everywhere.
 */
import { A, K, type Model } from "../layout/model.ts";

export const STYLE = {
  font: "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  mono: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
  ink: "#1f2937",
  muted: "#6b7280",
  faint: "#e5e7eb",
  paper: "#ffffff",
  /** One colour per lane (Tableau 10: distinct, colour-blind tolerable). */
  lanes: ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"],
  arrow: {
    [A.delivered]: "#64748b",
    [A.dropped]: "#dc2626",
    [A.duplicate]: "#7c3aed",
    [A.held]: "#d97706",
    [A.inflight]: "#cbd5e1",
  } as Record<number, string>,
  band: { partition: "#fee2e2", cut: "#ffedd5", crash: "#d1d5db", pause: "#e0e7ff" },
  ok: "#15803d",
  bad: "#b91c1c",
  /** An anomaly the scenario expects, caught on purpose (the ANOMALY SHOWN verdict's colour). */
  caught: "#b45309",
  /** Op mode: a delivery whose ops wait in the causal buffer. */
  buffered: "#b45309",
  past: "#ea580c",
  future: "#2563eb",
  cursor: "#0ea5e9",
} as const;

export const laneColor = (l: number): string => STYLE.lanes[l % STYLE.lanes.length]!;

/** An unsynced loss shares its crash's instant: its mark sits this far above the lane (px). */
export const LOST_DY = -13;

/** SVG markup of one event mark centred on (x, y); `c` is the lane colour. */
export function markSvg(kind: number, x: number, y: number, c: string): string {
  const p = (n: number) => +n.toFixed(1);
  switch (kind) {
    case K.update:
      return `<circle cx="${p(x)}" cy="${p(y)}" r="5.5" fill="${c}" stroke="#fff" stroke-width="1.5"/>`;
    case K.send:
      return `<circle cx="${p(x)}" cy="${p(y)}" r="2.2" fill="${STYLE.ink}"/>`;
    case K.receive:
      return `<circle cx="${p(x)}" cy="${p(y)}" r="3.5" fill="#fff" stroke="${STYLE.muted}" stroke-width="1.3"/>`;
    case K.merge:
      return `<path d="M${p(x)},${p(y - 6)}L${p(x + 6)},${p(y)}L${p(x)},${p(y + 6)}L${p(x - 6)},${p(y)}Z" fill="${c}" stroke="${STYLE.ink}" stroke-width="1"/>`;
    case K.crash:
      return `<path d="M${p(x - 5)},${p(y - 5)}L${p(x + 5)},${p(y + 5)}M${p(x + 5)},${p(y - 5)}L${p(x - 5)},${p(y + 5)}" stroke="${STYLE.bad}" stroke-width="2.5" stroke-linecap="round"/>`;
    case K.restart:
      return `<path d="M${p(x - 4)},${p(y - 6)}L${p(x + 6)},${p(y)}L${p(x - 4)},${p(y + 6)}Z" fill="${STYLE.ok}"/>`;
    case K.pause:
      return `<path d="M${p(x - 3)},${p(y - 6)}V${p(y + 6)}M${p(x + 3)},${p(y - 6)}V${p(y + 6)}" stroke="${STYLE.ink}" stroke-width="2.5"/>`;
    case K.resume:
      return `<path d="M${p(x - 4)},${p(y - 6)}L${p(x + 6)},${p(y)}L${p(x - 4)},${p(y + 6)}Z" fill="#fff" stroke="${STYLE.ink}" stroke-width="1.3"/>`;
    case K.jump:
      return `<circle cx="${p(x)}" cy="${p(y)}" r="6" fill="#fff" stroke="#d97706" stroke-width="1.6"/><path d="M${p(x)},${p(y - 3.5)}V${p(y)}L${p(x + 3)},${p(y + 1.5)}" stroke="#d97706" stroke-width="1.4" fill="none"/>`;
    case K.ack:
      return `<circle cx="${p(x)}" cy="${p(y)}" r="5" fill="${STYLE.ok}"/><path d="M${p(x - 2.6)},${p(y)}L${p(x - 0.6)},${p(y + 2.2)}L${p(x + 2.8)},${p(y - 2.4)}" stroke="#fff" stroke-width="1.6" fill="none" stroke-linecap="round"/>`;
    case K.lost:
      return `<circle cx="${p(x)}" cy="${p(y)}" r="5.5" fill="#fff" stroke="${STYLE.bad}" stroke-width="1.8"/><path d="M${p(x - 3.9)},${p(y + 3.9)}L${p(x + 3.9)},${p(y - 3.9)}" stroke="${STYLE.bad}" stroke-width="1.8"/>`;
    case K.service:
      return `<rect x="${p(x - 4)}" y="${p(y - 4)}" width="8" height="8" rx="1.5" fill="#fff" stroke="${c}" stroke-width="2"/>`;
    case K.serviceOk:
      return `<rect x="${p(x - 4.5)}" y="${p(y - 4.5)}" width="9" height="9" rx="1.5" fill="${c}" stroke="${STYLE.ink}" stroke-width="1"/>`;
    case K.serviceFail:
      return `<rect x="${p(x - 5)}" y="${p(y - 5)}" width="10" height="10" rx="1.5" fill="${STYLE.bad}"/><path d="M${p(x - 2.5)},${p(y - 2.5)}L${p(x + 2.5)},${p(y + 2.5)}M${p(x + 2.5)},${p(y - 2.5)}L${p(x - 2.5)},${p(y + 2.5)}" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/>`;
    case K.buffered:
      return `<rect x="${p(x - 4.5)}" y="${p(y - 4.5)}" width="9" height="9" fill="#fde68a" stroke="${STYLE.buffered}" stroke-width="1.4"/><path d="M${p(x - 2)},${p(y)}H${p(x + 2)}" stroke="${STYLE.buffered}" stroke-width="1.4"/>`;
  }
  return "";
}

/** Dash pattern per arrow status (SVG stroke-dasharray; the page uses the same numbers). */
export const DASH: Record<number, string> = {
  [A.delivered]: "",
  [A.dropped]: "4 3",
  [A.duplicate]: "",
  [A.held]: "6 3",
  [A.inflight]: "2 3",
};

/** What every mark means: the legend of both the page and the static SVG. */
export const LEGEND: { kind: "mark" | "arrow" | "band" | "flag"; code: number | string; label: string; why: string }[] = [
  { kind: "mark", code: K.update, label: "local update", why: "an op issued at this replica (its colour is the lane's)" },
  { kind: "mark", code: K.send, label: "send", why: "a message leaves: a delta, the full state, or an anti-entropy digest" },
  { kind: "mark", code: K.merge, label: "merge", why: "a message arrived and taught the replica something new" },
  { kind: "mark", code: K.receive, label: "receive", why: "a message arrived with nothing new (a duplicate, or already known)" },
  { kind: "mark", code: K.service, label: "service request", why: "a sequencer request (next?), a transaction's write or read begins" },
  { kind: "mark", code: K.serviceOk, label: "service answer", why: "it worked: the number handed out (#3), committed, the values read" },
  { kind: "mark", code: K.serviceFail, label: "service failure", why: "timed out (unavailable), abandoned, or a fractured read (half a transaction)" },
  { kind: "mark", code: K.buffered, label: "buffered", why: "op mode: its ops wait in the causal buffer until their past arrives" },
  { kind: "arrow", code: A.delivered, label: "message", why: "from its send to its delivery" },
  { kind: "arrow", code: A.dropped, label: "dropped", why: "lost, cut by a partition, or addressed to a crashed node (ends in ×)" },
  { kind: "arrow", code: A.duplicate, label: "duplicate", why: "the network delivered a second copy" },
  { kind: "arrow", code: A.held, label: "held", why: "stuck behind a partition until it healed (▮ marks the hold)" },
  { kind: "arrow", code: A.inflight, label: "never delivered", why: "still in flight when the run ended" },
  { kind: "band", code: "partition", label: "partition", why: "the network is split: only nodes in the same group talk" },
  { kind: "band", code: "cut", label: "cut", why: "some links are down one way (a ↛ b): the rest still talk" },
  { kind: "band", code: "crash", label: "crashed", why: "the node is down; it restarts from durable storage" },
  { kind: "band", code: "pause", label: "paused", why: "the node is frozen; messages wait in its inbox" },
  { kind: "mark", code: K.crash, label: "crash", why: "volatile state lost" },
  { kind: "mark", code: K.restart, label: "restart", why: "back from durable storage (hover: what it recovered)" },
  { kind: "mark", code: K.ack, label: "ack", why: "a write became durable: a crash can no longer lose it" },
  { kind: "mark", code: K.lost, label: "unsynced lost", why: "a crash lost writes not yet synced (never acknowledged)" },
  { kind: "mark", code: K.jump, label: "clock jump", why: "the node's physical clock stepped (NTP)" },
  { kind: "flag", code: "converged", label: "converged", why: "from here on every replica shows the same value" },
  { kind: "flag", code: "diverged", label: "diverged", why: "two replicas applied the same updates yet differ" },
  { kind: "flag", code: "not-converged", label: "never converged", why: "the replicas still differed when the run ended" },
  {
    kind: "flag",
    code: "anomaly",
    label: "check broken",
    why: "where a failed check first saw its property break (ringed on the node's lane; amber when the scenario expects it)",
  },
];

export type LegendItem = (typeof LEGEND)[number];

/**
 * The legend entries for marks this run actually draws: a student reads what is on the picture,
 * not a catalogue of every fault the simulator knows. "message" stays whenever anything was sent.
 */
export function legendFor(m: Model): LegendItem[] {
  const kinds = new Set<number>(m.ev.kind),
    st = new Set<number>(m.arrows.st);
  const bands = new Set<string>(m.bands.map((b) => b.kind)),
    flags = new Set<string>(m.flags.map((f) => f.kind));
  if (m.arrows.s.length) st.add(A.delivered);
  const services = kinds.has(K.service) || kinds.has(K.serviceOk) || kinds.has(K.serviceFail);
  const anomaliesCaught = m.flags.every((f) => f.kind !== "anomaly" || f.caught === true);
  return (
    LEGEND.filter((item) =>
      item.kind === "mark"
        ? kinds.has(item.code as number)
        : item.kind === "arrow"
          ? st.has(item.code as number)
          : item.kind === "band"
            ? bands.has(item.code as string)
            : flags.has(item.code as string),
    )
      // Service messages never change a replica, so on a run with services most receives are theirs.
      .map((item) => (services && item.kind === "mark" && item.code === K.receive ? { ...item, why: `${item.why}; every sequencer or RAMP message arrives as one` } : item))
      // The icon takes the colour the run draws: amber when every broken check was expected to break.
      .map((item) => (item.kind === "flag" && item.code === "anomaly" && anomaliesCaught ? { ...item, code: "anomaly-caught" } : item))
  );
}
