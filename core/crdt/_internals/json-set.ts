/**
 * Set plumbing shared by G-Set and 2P-Set: a set of JSON values keyed by canonicalKey (so
 * `{a:1,b:2}` and `{b:2,a:1}` are one element), with a canonical sorted encoding.
 *
 * Iteration order of the Map is never observable: values and encodings are sorted by
 * compareJson, which is zero exactly when canonical keys are equal.
 */
import { readJson, writeJson } from "../../encoding/json-value.ts";
import type { Reader } from "../../encoding/reader.ts";
import type { Writer } from "../../encoding/writer.ts";
import { canonicalKey, compareJson, type Json } from "../../util/json.ts";
import { frozenJson } from "./frozen-json.ts";

/** canonicalKey → the element (deep-frozen, so sets and deltas may share elements). */
export type JsonSet = Map<string, Json>;

/** A stored copy of an element and its key. Call only after the element was validated as JSON. */
export function element(x: unknown): { key: string; value: Json } {
  const value = frozenJson(x as Json);
  return { key: canonicalKey(value), value };
}

export function singleton(el: { key: string; value: Json }): JsonSet {
  return new Map([[el.key, el.value]]);
}

/** Adds every element of `b` to `a` (mutates and returns `a`; `b` is only read). */
export function unionInto(a: JsonSet, b: JsonSet): JsonSet {
  for (const [k, x] of b) if (!a.has(k)) a.set(k, x);
  return a;
}

export function sortedElements(s: JsonSet): Json[] {
  return [...s.values()].sort(compareJson);
}

export function writeSet(w: Writer, s: JsonSet): void {
  const xs = sortedElements(s);
  w.uint(xs.length);
  for (const x of xs) writeJson(w, x);
}

/** Reads a set written by {@link writeSet}; elements must be strictly increasing (sorted, no duplicates). */
export function readSet(r: Reader): JsonSet {
  const n = r.count(1);
  const out: JsonSet = new Map();
  let prev: Json | undefined;
  for (let i = 0; i < n; i++) {
    const x = frozenJson(readJson(r));
    if (prev !== undefined && compareJson(prev, x) >= 0) r.fail(`set elements not strictly sorted (${canonicalKey(prev)} then ${canonicalKey(x)})`);
    out.set(canonicalKey(x), x);
    prev = x;
  }
  return out;
}
