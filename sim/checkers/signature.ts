/**
 * A failure's signature: the kind of difference and the shape of the values involved, not the
 * values themselves (a shrunk run has other values) nor the check's name alone (a real
 * difference could shrink into a harmless one under the same name). explore's shrinker keeps a
 * candidate only when the check fails with the same signature (verdict.ts). Shapes, from the
 * first value to the second: a number larger or smaller; a string, array or object that gained
 * elements, lost some, both, or kept them in another order; a change of type.
 */
import { canonicalKey } from "../../core/util/json.ts";

/** How `b` differs from `a`, as a shape ("string gained elements", "number smaller"). */
export function differenceOf(a: unknown, b: unknown): string {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return `${ta} became ${tb}`;
  if (typeof a === "number" && typeof b === "number") return a === b ? "number equal" : a < b ? "number larger" : "number smaller";
  const ea = elements(a);
  const eb = elements(b);
  if (!ea || !eb) return `${ta} changed`;
  const gained = surplus(eb, ea) > 0;
  const lost = surplus(ea, eb) > 0;
  if (gained && lost) return `${ta} gained and lost elements`;
  if (gained) return `${ta} gained elements`;
  if (lost) return `${ta} lost elements`;
  return `${ta} kept its elements, ${ta === "object" ? "with other values" : "in another order"}`;
}

/** The same shape whichever value comes first (two replicas that disagree). */
export function disagreementOf(a: unknown, b: unknown): string {
  const [x, y] = [differenceOf(a, b), differenceOf(b, a)].sort();
  return x === y ? x! : `${x} / ${y}`;
}

/** An error as a signature: its class and message with numbers and quoted text taken out. */
export function thrownShape(text: string): string {
  return text.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, "#");
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Elements as a multiset of canonical keys: a string's characters, an array's items, an object's entries. */
function elements(v: unknown): Map<string, number> | null {
  let items: string[];
  if (typeof v === "string") items = [...v];
  else if (Array.isArray(v)) items = v.map((x) => String(canonicalKey(x)));
  else if (v !== null && typeof v === "object") items = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${String(canonicalKey(x))}`);
  else return null;
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** How many elements of `a` are not matched in `b`. */
function surplus(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const [k, c] of a) n += Math.max(0, c - (b.get(k) ?? 0));
  return n;
}
