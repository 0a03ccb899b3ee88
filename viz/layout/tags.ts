/**
 * Which service tags fit on the diagram at a given scale: failures first, then answers, then
 * requests, each kept only if it overlaps no tag already kept on its lane. Pure (x and width
 * are passed in); the placement itself is query.js's `placeLabels`, which the page runs with
 * widths its canvas measures, so the static SVG and the page keep the same tags.
 */
import { placeLabels } from "../page/query.js";
import { K, type Model } from "./model.ts";

/** Failures before answers before requests: the tag that explains an outcome wins the room. */
export const tagRank = (kind: number): number => (kind === K.serviceFail ? 0 : kind === K.serviceOk ? 1 : 2);

/**
 * Indices into `m.tags` to draw; a tag starts 3 px left of its mark and is `width(text, bold)`
 * wide (failure tags are drawn bold, and measuring them as regular lets them overlap a neighbour).
 */
export function placeTags(m: Model, x: (event: number) => number, width: (text: string, bold: boolean) => number): number[] {
  const ev = (t: number) => m.tags.ev[t]!;
  return placeLabels(
    m.tags.ev.length,
    (t) => m.ev.lane[ev(t)]!,
    (t) => tagRank(m.ev.kind[ev(t)]!),
    (t) => x(ev(t)) - 3,
    (t) => width(m.strs[m.tags.s[t]!]!, m.ev.kind[ev(t)] === K.serviceFail),
  );
}
