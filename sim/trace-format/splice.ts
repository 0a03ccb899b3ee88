/**
 * A replica's `vv` and `value` texts in the compact trace: each event carries how its text
 * differs from the replica's previous one — one splice (the common prefix and suffix kept, the
 * middle replaced) — and every `keyframeEvery` events of a replica the whole text, so a reader
 * can start decoding at a keyframe instead of the file's beginning.
 *
 *   0                     unchanged
 *   [p, s, "mid"]         prev.slice(0, p) + mid + prev.slice(prev.length - s)
 *   "text"                the whole text (a keyframe)
 */
export type Splice = 0 | [number, number, string] | string;

/** Characters compared per native step when scanning a common prefix or suffix. */
const STRIDE = 32;

function commonPrefix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + STRIDE <= max && a.startsWith(b.slice(i, i + STRIDE), i)) i += STRIDE;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  const al = a.length;
  const bl = b.length;
  while (i + STRIDE <= max && a.endsWith(b.slice(bl - i - STRIDE, bl - i), al - i)) i += STRIDE;
  while (i < max && a.charCodeAt(al - 1 - i) === b.charCodeAt(bl - 1 - i)) i++;
  return i;
}

/** The splice from `prev` to `next`: the common prefix and suffix lengths and the middle of `next`. */
export function splice(prev: string, next: string): [number, number, string] {
  const max = Math.min(prev.length, next.length);
  const p = commonPrefix(prev, next, max);
  const s = commonSuffix(prev, next, max - p);
  return [p, s, next.slice(p, next.length - s)];
}

/** The splice from `prev` to `next`, as JSON text. */
export function spliceJson(prev: string, next: string): string {
  if (prev === next) return "0";
  const [p, s, mid] = splice(prev, next);
  return `[${p},${s},${JSON.stringify(mid)}]`;
}

/** Applies a decoded splice to `prev`; undefined when it does not fit (a corrupt file). */
export function applySplice(prev: string | undefined, sp: unknown): string | undefined {
  if (typeof sp === "string") return sp;
  if (prev === undefined) return undefined;
  if (sp === 0) return prev;
  if (!Array.isArray(sp) || sp.length !== 3) return undefined;
  const [p, s, mid] = sp as unknown[];
  if (typeof p !== "number" || typeof s !== "number" || typeof mid !== "string" || p < 0 || s < 0 || p + s > prev.length) return undefined;
  return prev.slice(0, p) + mid + prev.slice(prev.length - s);
}
