/**
 * How `memoconductor sql` prints an answer. A SELECT: an aligned table in psql's style (header,
 * rule, one line per row, `(N rows)`), MV and SET columns as JSON arrays, NULL as NULL, numbers
 * aligned right; with --json one JSON object per row instead. A write: its verb and row count
 * (`UPDATE 2`), or `{"count":2}` with --json.
 */
import type { SqlAnswer } from "../node/index.ts";

export function formatAnswer(answer: SqlAnswer, statement: string, json: boolean): string {
  if (answer.kind === "write") return json ? `${JSON.stringify({ count: answer.count })}\n` : `${verbOf(statement)} ${answer.count}\n`;
  if (json) return answer.rows.map((r) => `${JSON.stringify(r)}\n`).join("");
  return table(answer.columns, answer.rows);
}

/** The statement's first word (INSERT, UPDATE, DELETE), past leading blanks and comments. */
function verbOf(statement: string): string {
  const text = statement.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, "");
  return (/^[A-Za-z]+/.exec(text)?.[0] ?? "WRITE").toUpperCase();
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "string") return v.replace(/[\n\r\t]/g, (c) => JSON.stringify(c).slice(1, -1));
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function table(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const right = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number" || r[c] === null || r[c] === undefined));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (parts: string[]) => ` ${parts.join(" | ")}`.trimEnd();
  const centre = (text: string, w: number) => text.padStart(text.length + Math.floor((w - text.length) / 2)).padEnd(w);
  const out = [
    line(columns.map((c, i) => centre(c, widths[i]!))),
    widths.map((w) => "-".repeat(w + 2)).join("+"),
    ...cells.map((row) => line(row.map((v, i) => (right[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))))),
    `(${rows.length} ${rows.length === 1 ? "row" : "rows"})`,
  ];
  return `${out.join("\n")}\n\n`;
}
