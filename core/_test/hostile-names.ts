/**
 * Names a user may choose that break code keeping user data as keys of plain objects:
 * Object.prototype's own keys ("__proto__" set by assignment replaces the prototype and is
 * lost; "constructor" or "toString" are found `in` every object), plus the empty string and
 * the characters some formats reserve ("+" for the trace's gaps, "*" for "every key").
 * Shared by the core, sim and viz tests so every layer is tried with the same names.
 */
import fc from "fast-check";
import type { Json } from "../util/json.ts";

/** Every own key of Object.prototype, "__proto__" first. */
export const PROTO_KEYS: readonly string[] = [
  "__proto__",
  ...Object.getOwnPropertyNames(Object.prototype)
    .filter((k) => k !== "__proto__")
    .sort(),
];

/** Replica (node) names for law tests and simulations: all four are keys of every plain object. */
export const HOSTILE_REPLICA_IDS = ["__proto__", "constructor", "toString", "hasOwnProperty"];

/** Non-empty hostile names (keys, fields, collections, element strings), prototype keys first. */
export const HOSTILE_KEYS: readonly string[] = [...PROTO_KEYS, "+", "*", "prototype", "__proto", "a"];

/** A name, mostly a prototype key; sometimes "", another hostile name or any short string. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom("", ...HOSTILE_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

/**
 * A plain object with exactly these own keys (the last value of a repeated key wins), built
 * with defineProperty: `o[k] = v` would set the prototype for "__proto__" instead.
 */
export function ownObject<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** JSON values whose object keys (and strings) are hostile names, nested up to `depth`. */
export function hostileJson(depth = 2): fc.Arbitrary<Json> {
  const leaf: fc.Arbitrary<Json> = fc.oneof(hostileName, fc.integer({ min: -3, max: 3 }), fc.constantFrom<Json>(null, true, false));
  if (depth <= 0) return leaf;
  const inner = hostileJson(depth - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.array(fc.tuple(hostileName, inner), { maxLength: 3 }).map((e) => ownObject(e) as Json) },
  );
}

/** A few fixed hostile JSON values, for op alphabets (`{ pick: [...] }` needs constants). */
export const HOSTILE_JSON: readonly Json[] = [
  "__proto__",
  "constructor",
  ownObject<Json>([["__proto__", 1]]),
  ownObject<Json>([
    ["constructor", ownObject<Json>([["__proto__", "toString"]])],
    ["valueOf", ["hasOwnProperty"]],
  ]),
  ["__proto__", ownObject<Json>([["toString", null]])],
];
