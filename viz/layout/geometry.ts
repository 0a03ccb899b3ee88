/**
 * Data coordinates (time, lane) → pixels, for the static views. The page does the same with a
 * d3 scale that zoom rescales; these numbers are its defaults, so both look alike.
 */
import type { Model } from "./model.ts";

export type Geometry = { width: number; left: number; right: number; top: number; laneH: number; t0: number; t1: number };

export const GUTTER = 190;
/** Air after the last event, as a fraction of the run, so a flag at the very end stays visible. */
export const PAD = 0.025;

export function geometry(m: Model, o: Partial<Geometry> = {}): Geometry {
  return { width: 1200, left: GUTTER, right: 28, top: 0, laneH: 64, t0: m.t0, t1: m.t1 + Math.ceil((m.t1 - m.t0) * PAD), ...o };
}

export const xOf = (g: Geometry, t: number): number => g.left + ((t - g.t0) / Math.max(1, g.t1 - g.t0)) * (g.width - g.left - g.right);
export const yOf = (g: Geometry, lane: number): number => g.top + lane * g.laneH + g.laneH / 2;

/** Round tick values (1, 2 or 5 × 10^k apart) covering [t0, t1], about `count` of them. */
export function ticks(t0: number, t1: number, count: number): number[] {
  const span = Math.max(1, t1 - t0);
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) out.push(+t.toFixed(6));
  return out;
}

/**
 * Where a dropped message's arrow ends: part-way to its destination (it never arrived), at least
 * `minDx` px to the right so a message dropped at its send still shows a direction.
 */
export function dropEnd(x0: number, y0: number, x1: number, y1: number, minDx = 14): [number, number] {
  const x = Math.max(x1, x0 + minDx);
  return [x0 + (x - x0) * 0.6, y0 + (y1 - y0) * 0.6];
}
