/**
 * A store schema's fingerprint: the SHA-256 of its canonical JSON (object keys sorted at every
 * level), so two nodes configured with the same collections — whatever the key order of their
 * files — agree, and any difference in a collection, a field or a field's type shows.
 */
import { createHash } from "node:crypto";

/** JSON with every object's keys in ascending order (arrays keep their order). */
export function canonicalJson(x: unknown): string {
  if (x === null || typeof x !== "object") return JSON.stringify(x) ?? "null";
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(",")}]`;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/** The first 16 hex digits of the SHA-256 of the schema's canonical JSON. */
export function schemaFingerprint(schema: { collections: Record<string, unknown> }): string {
  return createHash("sha256").update(canonicalJson(schema)).digest("hex").slice(0, 16);
}
