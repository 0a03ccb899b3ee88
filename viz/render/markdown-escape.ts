/**
 * Escaping for text put into report.md. Names, descriptions, check details and values are user
 * data, and the renderers that show report.md (GitHub job summaries, VS Code's preview) allow raw
 * HTML: an unescaped `<img src=x onerror=…>` would run there. Every interpolation goes through
 * one of these, so the text shows as typed and nothing in it becomes markup.
 */

const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Inline text, safe within a line and in a table cell: HTML specials as entities, Markdown inline
 * specials (emphasis, links, images, code, strikethrough, math, table pipes) backslash-escaped,
 * and line breaks folded to spaces (a newline would end a table row or start a block).
 */
export function mdText(s: string): string {
  return String(s)
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[&<>]/g, (c) => ENTITY[c]!)
    .replace(/[\\`*_[\]|~$!]/g, "\\$&");
}

/**
 * Inline text that starts a line (a quoted description): also escapes a start that would open a
 * block — a heading (`# `), a list item (`- `, `+ `, `1. `) or a thematic break (`---`).
 */
export function mdLine(s: string): string {
  return mdText(s).replace(/^(?:[#+-]|\d{1,9}(?=[.)]))/, (m) => (/\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/**
 * Text shown as code. A code span keeps its content literal — but it cannot carry entities or
 * table-pipe escapes, so text containing `<`, `>`, `&` or `|` goes into a `<code>` element with
 * its content escaped as inline text instead. Otherwise plain `x` when the text has no backtick
 * and does not start or end with a space; else a span whose fence is longer than any backtick
 * run inside, with a space each side (so a leading or trailing backtick stays content).
 */
export function mdCode(s: string): string {
  const flat = String(s).replace(/[\r\n]+/g, " ");
  if (/[<>&|]/.test(flat)) return `<code>${mdText(flat)}</code>`;
  if (flat !== "" && !flat.includes("`") && !/^ | $/.test(flat)) return `\`${flat}\``;
  const longest = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(2, longest + 1));
  return `${fence} ${flat} ${fence}`;
}

/** A fenced code block whose fence no line of `text` can close. */
export function mdFence(text: string, lang = ""): string[] {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [fence + lang, text, fence];
}

/** One table row: each cell escaped as inline text. */
export function mdRow(cells: readonly unknown[]): string {
  return `| ${cells.map((c) => mdText(String(c))).join(" | ")} |`;
}
