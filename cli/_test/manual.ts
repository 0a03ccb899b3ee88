/**
 * Test helper: reads the manual (README.md and docs/*.md) as the tests of its examples and links
 * see it — fenced blocks with their info string, links outside code, and the anchors GitHub
 * gives the headings.
 *
 * A fence's info string is the language, then attributes (GitHub shows only the language):
 *   ```ts run                  a program: pasted into a file and run with tsx; a `console.log(…);`
 *                              line's trailing comment must start with what it prints
 *   ```sh run                  shell commands, run in order; each must exit 0
 *   ```json save=NAME          a file the following blocks use (saved as NAME in the repository)
 *   ```ts file=PATH            PATH quoted verbatim (after an optional first line `// <file name>`)
 * A block with no attribute is an illustration (an error message, a transcript) and runs nowhere.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The attributes a fence may carry; anything else is a typo the tests report. */
export const FENCE_ATTRIBUTES = ["run", "save", "file"] as const;

export type Fence = { file: string; line: number; lang: string; attrs: Map<string, string | true>; body: string };
export type Link = { file: string; line: number; target: string };

/** README.md and every docs/*.md, as paths relative to the repository root. */
export function manualFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

export function readManual(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

/** The fenced code blocks of a Markdown file, in order. */
export function fences(file: string): Fence[] {
  const lines = readManual(file).split("\n");
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith("```"); i++) body.push(lines[i]!);
    const attrs = new Map<string, string | true>();
    for (const word of (open[2] ?? "").split(/\s+/).filter(Boolean)) {
      const eq = word.indexOf("=");
      if (eq < 0) attrs.set(word, true);
      else attrs.set(word.slice(0, eq), word.slice(eq + 1));
    }
    out.push({ file, line: start + 1, lang: open[1] ?? "", attrs, body: body.join("\n") + "\n" });
  }
  return out;
}

/** The lines of a file outside fenced blocks (fenced lines blanked, so numbers stay right). */
function proseLines(file: string): string[] {
  let inFence = false;
  return readManual(file)
    .split("\n")
    .map((line) => {
      if (line.startsWith("```")) {
        inFence = !inFence;
        return "";
      }
      return inFence ? "" : line;
    });
}

/** Every link and image target in the prose (not inside code spans or fenced blocks). */
export function links(file: string): Link[] {
  const out: Link[] = [];
  proseLines(file).forEach((line, i) => {
    const prose = line.replace(/`[^`]*`/g, "");
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ file, line: i + 1, target: m[1]! });
  });
  return out;
}

/** The anchors GitHub gives a file's headings (github-slugger's rule, duplicates numbered). */
export function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of proseLines(file)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const slug = h[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}
