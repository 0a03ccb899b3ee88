/**
 * The session's timeline: the run pages' own static diagram (viz/render/svg.ts, without its
 * header: the verdict would give the ending away), with a cursor over it. What lies after the
 * cursor is veiled, not removed — the run is already computed; playing only lifts the veil.
 * The veil and the cursor are HTML layers over the SVG moved by a transform: a frame of play
 * repaints nothing of a diagram of thousands of marks (inside the SVG, each move repainted it
 * all: 20 fps at 22,000 events; as layers, 60).
 * A click on a lane selects that node and moves the cursor to the time clicked.
 */
import { diagramGeometry, renderSvg } from "../../viz/render/svg.ts";
import { xOf, type Geometry } from "../../viz/layout/geometry.ts";
import type { Model } from "../../viz/layout/model.ts";

const SVG_NS = "http://www.w3.org/2000/svg";

export class TimelineView {
  private g: Geometry | null = null;
  private lanes: string[] = [];
  private readonly veil: HTMLDivElement;
  private readonly line: HTMLDivElement;
  private selected: SVGRectElement | null = null;

  constructor(
    private readonly host: HTMLElement,
    onLane: (node: string, t: number) => void,
  ) {
    this.veil = document.createElement("div");
    this.veil.className = "veil";
    this.line = document.createElement("div");
    this.line.className = "cursor-line";
    host.addEventListener("click", (e) => {
      const svg = host.querySelector("svg");
      if (!svg || !this.g) return;
      const box = svg.getBoundingClientRect();
      const scale = box.width / this.g.width;
      const x = (e.clientX - box.left) / scale,
        y = (e.clientY - box.top) / scale;
      const lane = Math.floor((y - this.g.top) / this.g.laneH);
      const node = this.lanes[lane];
      if (node !== undefined && x >= this.g.left) onLane(node, Math.max(0, Math.round(this.timeAt(x))));
    });
  }

  show(m: Model): void {
    // Drawn at the run pages' width and scaled to the box by CSS: the legend and labels keep the
    // proportions they were laid out for.
    const width = 1200;
    this.g = diagramGeometry(m, { width, bare: true });
    this.lanes = m.lanes.map((l) => l.name);
    this.host.innerHTML = renderSvg(m, { width, bare: true });
    const svg = this.host.querySelector("svg");
    if (!svg) return;
    svg.removeAttribute("height");
    svg.setAttribute("width", "100%");
    const bottom = this.g.top + m.lanes.length * this.g.laneH;
    this.selected = this.rect(svg, { y: 0, height: this.g.laneH, fill: "#2563eb", opacity: "0.07", display: "none" });
    // Layers placed in % of the drawing, which CSS scales to the box.
    const height = svg.viewBox.baseVal.height || 1;
    const pct = (v: number, of: number) => `${(v / of) * 100}%`;
    Object.assign(this.veil.style, { top: pct(this.g.top - 4, height), height: pct(bottom - this.g.top + 8, height) });
    Object.assign(this.line.style, { top: pct(this.g.top - 14, height), height: pct(bottom - this.g.top + 18, height) });
    this.host.append(this.veil, this.line);
  }

  setCursor(t: number): void {
    if (!this.g) return;
    // translateX in % of the layer's own width, which is the drawing's.
    const shift = `translateX(${(xOf(this.g, t) / this.g.width) * 100}%)`;
    this.veil.style.transform = shift;
    this.line.style.transform = shift;
  }

  select(node: string | null): void {
    const lane = node === null ? -1 : this.lanes.indexOf(node);
    if (!this.g || !this.selected) return;
    this.selected.style.display = lane < 0 ? "none" : "";
    this.selected.setAttribute("y", String(this.g.top + lane * this.g.laneH));
  }

  private timeAt(x: number): number {
    const g = this.g!;
    return g.t0 + ((x - g.left) / (g.width - g.left - g.right)) * Math.max(1, g.t1 - g.t0);
  }
  private rect(svg: SVGSVGElement, attrs: Record<string, string | number>): SVGRectElement {
    const r = document.createElementNS(SVG_NS, "rect");
    r.setAttribute("x", String(this.g!.left));
    r.setAttribute("width", String(this.g!.width - this.g!.left));
    for (const [k, v] of Object.entries(attrs)) r.setAttribute(k, String(v));
    r.style.pointerEvents = "none";
    svg.append(r);
    return r;
  }
}
