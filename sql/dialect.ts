/**
 * The two things of MemoConductor's SQL that Postgres' grammar does not have, rewritten into text
 * the parser (pgsql-ast-parser) reads — character for character the same length, so that the
 * parser's line and column of a syntax error point into what the user wrote:
 *
 * - two-word column types: `MV TEXT`, `SET OF TEXT`, `RGA TEXT`, `LSEQ TEXT` become one type
 *   name (`MV_TEXT`, `SET_OF_TEXT`, …): the blanks between the words turn into underscores;
 * - a table's delete policy, `CREATE TABLE … (…) WITH (deletes = 'add-wins')`: cut out (blanked)
 *   and returned by its offset, for schema.ts to give to the CREATE TABLE that precedes it.
 *
 * Only text outside string literals, quoted identifiers and comments is looked at.
 */
export type DeletePolicyClause = { at: number; policy: string; text: string };

const PLAIN_TYPE = String.raw`(?:TEXT|VARCHAR|INTEGER|INT|BIGINT|REAL|FLOAT|NUMERIC|BOOLEAN|BOOL|DOUBLE[ \t]+PRECISION)\b`;
const TWO_WORD = new RegExp(String.raw`\b(?:MV|RGA|LSEQ|SET[ \t]+OF)[ \t]+${PLAIN_TYPE}`, "gi");
const WITH_CLAUSE = /\)\s*WITH\s*\(([^()]*)\)/gi;

/**
 * The text with literals, quoted identifiers and comments blanked out (same length), for the
 * regexes; with `commentsOnly`, literals and quoted identifiers are kept and comments blanked.
 */
export function code(text: string, commentsOnly = false): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    let end = -1;
    if (c === "'" || c === '"') {
      end = i + 1;
      for (;;) {
        const j = text.indexOf(c, end);
        if (j < 0) {
          end = text.length;
          break;
        }
        // A doubled quote is the quote itself, inside the literal.
        if (text[j + 1] === c) end = j + 2;
        else {
          end = j + 1;
          break;
        }
      }
    } else if (two === "--") {
      const j = text.indexOf("\n", i);
      end = j < 0 ? text.length : j;
    } else if (two === "/*") {
      const j = text.indexOf("*/", i + 2);
      end = j < 0 ? text.length : j + 2;
    }
    if (end < 0) {
      out += c;
      i++;
    } else if (commentsOnly && (c === "'" || c === '"')) {
      out += text.slice(i, end);
      i = end;
    } else {
      // Newlines are kept so that a blanked span never joins two lines.
      out += text.slice(i, end).replace(/[^\n]/g, " ");
      i = end;
    }
  }
  return out;
}

export function rewriteDialect(text: string): { text: string; policies: DeletePolicyClause[] } {
  const masked = code(text);
  // Code units: offsets are the parser's (surrogate pairs only occur inside literals, left alone).
  const out = text.split("");
  for (const m of masked.matchAll(TWO_WORD)) {
    for (let k = m.index; k < m.index + m[0].length; k++) if (out[k] === " " || out[k] === "\t") out[k] = "_";
  }
  const policies: DeletePolicyClause[] = [];
  for (const m of masked.matchAll(WITH_CLAUSE)) {
    // Keep the closing parenthesis of the column list; blank "WITH (…)" (the options read from the original text).
    const start = m.index + 1;
    const inner = text.slice(m.index + m[0].indexOf("(", 1) + 1, m.index + m[0].length - 1);
    policies.push({ at: start, policy: inner, text: text.slice(start, m.index + m[0].length).trim() });
    for (let k = start; k < m.index + m[0].length; k++) if (out[k] !== "\n") out[k] = " ";
  }
  return { text: out.join(""), policies };
}
