/**
 * SQL text → statements, through a real Postgres parser (pgsql-ast-parser) after the dialect
 * rewrite (dialect.ts). A syntax error becomes one line with the line and column the parser
 * stopped at, counted in the text as written (the rewrite keeps every offset).
 */
import { createRequire } from "node:module";
import type { Statement } from "pgsql-ast-parser";
import { type DeletePolicyClause, rewriteDialect } from "./dialect.ts";
import { SqlError } from "./errors.ts";

// The parser is a third of a megabyte of grammar tables: loaded the first time SQL is parsed, so a
// CLI command or scenario that has no SQL does not pay for it (`npm run bench -- startup`).
type PgParse = typeof import("pgsql-ast-parser").parse;
let pgParse: PgParse | undefined;
function parsePg(text: string, options: { locationTracking: boolean }): Statement[] {
  pgParse ??= (createRequire(import.meta.url)("pgsql-ast-parser") as typeof import("pgsql-ast-parser")).parse;
  return pgParse(text, options);
}

export type Parsed = { statements: Statement[]; policies: DeletePolicyClause[] };

export function parseSql(text: string): Parsed {
  if (typeof text !== "string") throw new SqlError("syntax", `SQL must be a string, got ${typeof text}`);
  const { text: pg, policies } = rewriteDialect(text);
  let statements: Statement[];
  try {
    statements = parsePg(pg, { locationTracking: policies.length > 0 });
  } catch (e) {
    throw new SqlError("syntax", syntaxMessage(text, e instanceof Error ? e.message : String(e)));
  }
  if (statements.length === 0) throw new SqlError("syntax", "no SQL statement given");
  return { statements, policies };
}

/** "Syntax error at line 1 col 7: … Unexpected star token: "*". …" → `syntax error at line 1, column 7: unexpected "*"`. */
function syntaxMessage(text: string, raw: string): string {
  const at = /line (\d+) col (\d+)/.exec(raw);
  const token = /Unexpected (?:[\w ]+ )?token: ("(?:[^"\\]|\\.)*")/.exec(raw);
  if (at) return `syntax error at line ${at[1]}, column ${at[2]}: ${token ? `unexpected ${token[1]}` : firstLine(raw)}`;
  if (/end of input/i.test(raw)) {
    const lines = text.replace(/\s+$/, "").split("\n");
    return `syntax error at line ${lines.length}, column ${lines[lines.length - 1]!.length + 1}: the statement ends too early`;
  }
  return `syntax error: ${firstLine(raw)}`;
}

const firstLine = (s: string): string => s.split("\n").find((l) => l.trim() !== "") ?? s;
