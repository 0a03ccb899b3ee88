/**
 * The value of maps and records: a plain object whose keys are inserted in sorted order (so
 * `JSON.stringify(value)` is the same on every replica whatever the Map's insertion order).
 * defineProperty, not assignment: a "__proto__" key is a legal map key and must stay an own key.
 */
import { compareStrings } from "../../util/json.ts";

export function objectOf<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort((x, y) => compareStrings(x[0], y[0]))) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
