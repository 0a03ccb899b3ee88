/**
 * A session in a URL: `#s=` and the scenario's JSON, UTF-8, base64url — a link that opens the
 * same session anywhere, no server involved. Decoding only parses; the loader validates it.
 */
import type { Scenario } from "../../sim/scenario/types.ts";

const PREFIX = "#s=";

export function encodeSession(s: Scenario): string {
  const bytes = new TextEncoder().encode(JSON.stringify(s));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return PREFIX + btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The scenario a hash carries (unvalidated), null for a hash that is not a session, or an error line. */
export function decodeSession(hash: string): unknown {
  if (!hash.startsWith(PREFIX)) return null;
  const b64 = hash.slice(PREFIX.length).replace(/-/g, "+").replace(/_/g, "/");
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new Error("the link's session is not valid base64url");
  }
  const text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error("the link's session is not valid JSON");
  }
}

/** The export file: the scenario as `memoconductor run` reads it, pretty-printed. */
export function exportJson(s: Scenario): string {
  return JSON.stringify(s, null, 2) + "\n";
}
