/**
 * JSON payloads as stored inside CRDT states (set elements, register values).
 *
 * Stored payloads are deep-frozen copies, so a state, every delta made from it and every
 * value() handed out may share them without anyone being able to mutate another's copy, and
 * merge can move them between states without copying. The copy is also canonical:
 * - object keys are inserted in sorted order, so two replicas that received the same element
 *   with differently ordered keys show byte-identical `JSON.stringify(value)`;
 * - `-0` becomes `0`: they have the same canonicalKey and compare equal, so keeping whichever
 *   arrived first would make the encoded state depend on delivery order.
 */
import type { Json } from "../../util/json.ts";

export function frozenJson(x: Json): Json {
  if (typeof x === "number") return Object.is(x, -0) ? 0 : x;
  if (x === null || typeof x !== "object") return x;
  // Frozen at run time; typed as plain Json so callers need no readonly casts.
  if (Array.isArray(x)) return Object.freeze(x.map(frozenJson)) as Json[];
  const out: { [k: string]: Json } = {};
  // defineProperty, not assignment: a "__proto__" key (legal JSON) must stay a plain own key.
  // Sorted by key as Array#sort sorts strings (UTF-16 code units).
  for (const [k, v] of Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    Object.defineProperty(out, k, { value: frozenJson(v), enumerable: true, writable: true, configurable: true });
  return Object.freeze(out);
}
