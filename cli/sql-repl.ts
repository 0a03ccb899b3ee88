/**
 * `memoconductor sql URL` without a statement: statements typed at a prompt (stdin a terminal)
 * or piped in (a script). A statement may span lines and ends with `;`.
 *
 * - Interactive: the prompt is `sql> ` (`...> ` inside a statement); `\q`, or Ctrl-D, quits;
 *   Ctrl-C drops the statement being typed (on an empty prompt it quits); an error prints one
 *   line and the next prompt comes. Lines are kept in a history file across sessions.
 * - Piped: no prompt; the first statement that fails stops the script with its exit code (its
 *   error names the line of the input it starts on); a last statement without `;` runs too.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { hasStatement, splitStatements, type ScriptStatement } from "../sql/index.ts";
import { EXIT } from "./io.ts";

export type StatementInput = {
  input: NodeJS.ReadableStream;
  /** Where the prompt goes (a terminal); its absence means a piped script. */
  terminal?: NodeJS.WritableStream;
  /** Resolves with a reason when the node's connection is lost: the session ends with exit 1. */
  lost?: Promise<string>;
};

/** Runs one statement, printing its answer or its error line; resolves with its exit code. */
export type Execute = (statement: ScriptStatement) => Promise<number>;

const HISTORY_LINES = 500;

/** `$MEMOCONDUCTOR_SQL_HISTORY`, else ~/.memoconductor_sql_history; an empty variable keeps no history. */
function historyFile(): string | undefined {
  const env = process.env.MEMOCONDUCTOR_SQL_HISTORY;
  return env === undefined ? join(homedir(), ".memoconductor_sql_history") : env || undefined;
}

function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).reverse().slice(0, HISTORY_LINES);
  } catch {
    return []; // no history yet (or unreadable): start without one
  }
}

/** Reads statements from `input` until it ends or `\q`; resolves with the session's exit code. */
export async function readStatements(source: StatementInput, execute: Execute, err: (line: string) => void): Promise<number> {
  const interactive = source.terminal !== undefined;
  const file = interactive ? historyFile() : undefined;
  const rl = createInterface({
    input: source.input,
    ...(interactive ? { output: source.terminal, terminal: true, history: loadHistory(file), historySize: HISTORY_LINES, removeHistoryDuplicates: true } : { terminal: false }),
  });
  // History is a convenience: a file that cannot be written must not end the session.
  if (file)
    rl.on("history", (lines: string[]) => {
      try {
        writeFileSync(file, [...lines].reverse().join("\n") + "\n");
      } catch {
        // ignored (see above)
      }
    });
  let buffer = "";
  let bufferLine = 1;
  let lineNo = 0;
  let lost: string | undefined;
  void source.lost?.then((reason) => {
    lost = reason;
    rl.close();
  });
  const prompt = () => {
    if (!interactive) return;
    rl.setPrompt(buffer === "" ? "sql> " : "...> ");
    rl.prompt();
  };
  rl.on("SIGINT", () => {
    if (buffer === "") return rl.close();
    buffer = "";
    source.terminal?.write("\n");
    prompt();
  });

  prompt();
  for await (const line of rl) {
    lineNo++;
    if (buffer === "" && line.trim() === "\\q") break;
    buffer += `${line}\n`;
    const { statements, rest } = splitStatements(buffer);
    for (const s of statements) {
      const c = await execute({ text: s.text, line: bufferLine + s.line - 1 });
      if (c !== EXIT.ok && !interactive) {
        rl.close();
        return c;
      }
    }
    if (!hasStatement(rest)) {
      buffer = "";
      bufferLine = lineNo + 1;
    } else {
      bufferLine += countLines(buffer.slice(0, buffer.length - rest.length));
      buffer = rest;
    }
    if (lost) break;
    prompt();
  }
  rl.close();
  if (lost !== undefined) {
    err(lost);
    return EXIT.failed;
  }
  if (interactive) source.terminal?.write("\n");
  else if (hasStatement(buffer)) {
    const last = splitStatements(`${buffer};`).statements[0];
    if (last) return execute({ text: last.text, line: bufferLine + last.line - 1 });
  }
  // An interactive session ends 0 whatever its statements did: each error was shown as it came.
  return EXIT.ok;
}

const countLines = (text: string) => text.split("\n").length - 1;
