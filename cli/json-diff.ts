/**
 * The first place two JSON values differ, as a field path (`checks[2].ok`) and both sides, or
 * null when they are equal. Object key order does not count (a summary read back from disk
 * against one built in memory); a key present on one side only does.
 */
export type JsonDifference = { path: string; recorded: string; replayed: string };

const shown = (v: unknown): string => (v === undefined ? "(absent)" : (JSON.stringify(v) ?? String(v)));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function firstJsonDifference(recorded: unknown, replayed: unknown, path = ""): JsonDifference | null {
  if (Array.isArray(recorded) && Array.isArray(replayed)) {
    for (let i = 0; i < Math.max(recorded.length, replayed.length); i++) {
      const d = firstJsonDifference(recorded[i], replayed[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isObject(recorded) && isObject(replayed)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(replayed)])];
    for (const k of keys) {
      const d = firstJsonDifference(recorded[k], replayed[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return Object.is(recorded, replayed) ? null : { path: path || "(the whole value)", recorded: shown(recorded), replayed: shown(replayed) };
}
