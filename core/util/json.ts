/**
 * JSON values as CRDT payloads: validation, a canonical key (for set membership and map keys
 * independent of object key order) and a total order (for sorted, deterministic values).
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Returns a reason string when `x` is not a plain JSON value, else undefined. */
export function jsonProblem(x: unknown, depth = 0): string | undefined {
  if (depth > 64) return "nested deeper than 64 levels";
  if (x === null || typeof x === "boolean" || typeof x === "string") return undefined;
  if (typeof x === "number") return Number.isFinite(x) ? undefined : `non-finite number ${x}`;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const p = jsonProblem(x[i], depth + 1);
      if (p) return `[${i}]: ${p}`;
    }
    return undefined;
  }
  if (typeof x === "object") {
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) return "not a plain object";
    for (const k of Object.keys(x)) {
      const p = jsonProblem((x as Record<string, unknown>)[k], depth + 1);
      if (p) return `.${k}: ${p}`;
    }
    return undefined;
  }
  return `${typeof x} is not a JSON value`;
}

/** Stable stringification: object keys sorted, so equal values give equal keys. */
export function canonicalKey(x: unknown): string {
  if (x === null || typeof x !== "object") return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(canonicalKey).join(",")}]`;
  const obj = x as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(obj[k])}`).join(",")}}`;
}

const rank = (x: unknown): number => (x === null ? 0 : typeof x === "boolean" ? 1 : typeof x === "number" ? 2 : typeof x === "string" ? 3 : Array.isArray(x) ? 4 : 5);

/** Total order on JSON values: null < booleans < numbers < strings < arrays < objects. */
export function compareJson(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1 || ra === 2) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ra === 3) return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  if (ra === 0) return 0;
  const ka = canonicalKey(a);
  const kb = canonicalKey(b);
  return ka === kb ? 0 : ka < kb ? -1 : 1;
}

/** Compare two strings by UTF-16 code units, the order every replica agrees on. */
export function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
