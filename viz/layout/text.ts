/** Short human labels shared by the layout and the views (no DOM, no locale: deterministic). */
import type { VV } from "../trace.ts";

/** 1500 → "1.5 s", 250 → "250 ms", 30000 → "30 s". */
export function fmtMs(ms: number): string {
  if (Math.abs(ms) < 1000) return `${ms} ms`;
  return `${+(ms / 1000).toFixed(3)} s`;
}

/**
 * A version vector in lane order, named and compact: "alice:2 bob:1" (origins with nothing
 * applied are left out; "∅" when nothing is). Updates applied beyond a gap are listed after a
 * "+": "bob:1+{4,5}" (knows bob's 1, 4 and 5 but not 2 and 3).
 */
export function formatVV(vv: VV, names: readonly string[]): string {
  // Own keys only: a node may be called "constructor" or "__proto__" (vv.constructor is Object).
  const gaps = (Object.hasOwn(vv, "+") ? vv["+"] : {}) as Record<string, number[]>;
  const parts: string[] = [];
  for (const n of names) {
    const c = Object.hasOwn(vv, n) && typeof vv[n] === "number" ? (vv[n] as number) : 0;
    const g = Object.hasOwn(gaps, n) ? gaps[n] : undefined;
    if (Array.isArray(g) && g.length) parts.push(`${n}:${c}+{${g.join(",")}}`);
    else if (c > 0) parts.push(`${n}:${c}`);
  }
  return parts.length ? parts.join(" ") : "∅";
}

export function opLabel(op: string, args: unknown): string {
  const list = Array.isArray(args) ? args : [];
  return `${op}(${list.map((a) => JSON.stringify(a) ?? "undefined").join(", ")})`;
}

/** A partition event's groups, e.g. "{alice} | {bob, carol}" (whatever field the engine names them). */
export function groupsLabel(e: { groups?: unknown; links?: unknown; shape?: unknown }, names: readonly string[]): string {
  const groups = e.groups as string[][] | undefined;
  // A nemesis shape without groups (one-way, ring) is printed as the blocked links.
  if (!Array.isArray(groups)) return Array.isArray(e.links) ? linksLabel(e).replace(/^cut/, `partition${typeof e.shape === "string" ? ` (${e.shape})` : ""}`) : "partition";
  const listed = new Set(groups.flat());
  const rest = names.filter((n) => !listed.has(n));
  const all = rest.length ? [...groups, rest] : groups;
  return "partition " + all.map((g) => `{${g.join(", ")}}`).join(" | ");
}

/** A cut's one-way links, e.g. "cut alice ↛ bob". */
export function linksLabel(e: { links?: unknown }): string {
  const links = e.links as string[][] | undefined;
  return Array.isArray(links) ? "cut " + links.map(([a, b]) => `${a} ↛ ${b}`).join(", ") : "cut";
}
