/**
 * The value of maps and records: a plain object whose keys are inserted in sorted order (so
 * `JSON.stringify(value)` is the same on every replica whatever the Map's insertion order).
 * A "__proto__" key is a legal map key and must stay an own key: it is defined with
 * defineProperty; every other key is assigned, which makes the same own, enumerable, writable,
 * configurable property (no other key of Object.prototype is a setter) at a fraction of the cost.
 * Entries already in order (a record's schema fields) are not sorted again.
 */
import { compareStrings } from "../../util/json.ts";

export function objectOf<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const list = Array.isArray(entries) ? (entries as (readonly [string, V])[]) : [...entries];
  let sorted = true;
  for (let i = 1; i < list.length; i++)
    if (compareStrings(list[i - 1]![0], list[i]![0]) > 0) {
      sorted = false;
      break;
    }
  const ordered = sorted ? list : [...list].sort((x, y) => compareStrings(x[0], y[0]));
  const out: Record<string, V> = {};
  for (const [k, v] of ordered) {
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
