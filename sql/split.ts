/**
 * A script → its statements: each ends at a `;` outside string literals, quoted names and
 * comments (what a REPL or a piped script needs to know before sending one). The statements are
 * not parsed here: whoever runs one parses it and reports its errors.
 */
import { code } from "./dialect.ts";

/** One statement of a script, without its `;`, and the line of the script it starts on (from 1). */
export type ScriptStatement = { text: string; line: number };

/**
 * The complete statements of `script` (those a `;` ends), and `rest`: the text after the last
 * one — an unfinished statement, or nothing but blanks and comments. Statements that hold only
 * blanks and comments (`;;`) are left out.
 */
export function splitStatements(script: string): { statements: ScriptStatement[]; rest: string } {
  const masked = code(script);
  const statements: ScriptStatement[] = [];
  let start = 0;
  for (let end = masked.indexOf(";"); end >= 0; end = masked.indexOf(";", start)) {
    const s = statementAt(script, start, end);
    if (s) statements.push(s);
    start = end + 1;
  }
  return { statements, rest: script.slice(start) };
}

/** Whether `text` holds anything but blanks and comments. */
export function hasStatement(text: string): boolean {
  return code(text, true).trim() !== "";
}

/** The statement between `from` and `to`, trimmed, with the line it starts on; undefined when it holds only blanks and comments. */
function statementAt(script: string, from: number, to: number): ScriptStatement | undefined {
  const text = script.slice(from, to);
  if (!hasStatement(text)) return undefined;
  const lead = text.length - text.trimStart().length;
  let line = 1;
  for (let i = script.indexOf("\n"); i >= 0 && i < from + lead; i = script.indexOf("\n", i + 1)) line++;
  return { text: text.trim(), line };
}
