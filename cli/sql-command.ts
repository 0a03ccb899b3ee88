/**
 * `memoconductor sql URL [STATEMENT] [--param V]... [--json]`: SQL on a running node started
 * with a SQL schema. With a statement (or several, each ended by `;`): runs them in order and
 * prints each answer (sql-output.ts). Without one: the REPL on a terminal, or the statements
 * piped to stdin (sql-repl.ts). Exit 0 on success, 2 on bad input (a statement the node refuses:
 * its one line), 1 when the node cannot be reached or cannot serve it.
 */
import { connect, RequestError, type Client } from "../node/index.ts";
import { hasStatement, splitStatements, type ScriptStatement } from "../sql/index.ts";
import { EXIT, errorLine, type Io } from "./io.ts";
import { formatAnswer } from "./sql-output.ts";
import { readStatements } from "./sql-repl.ts";

export type SqlCommandOptions = { param: string[]; json: boolean };

class BadInput extends Error {}

/** A `--param`: a JSON value (42, true, null, "007", ["a","b"]) when it parses as one, else the text itself. */
export function paramValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const exitCode = (e: unknown) => (e instanceof BadInput || (e instanceof RequestError && e.kind === "bad-request") ? EXIT.badInput : EXIT.failed);

/** The statements of a command-line argument: each ended by `;`, and the last one with or without it. */
function argumentStatements(text: string): ScriptStatement[] {
  const { statements, rest } = splitStatements(text);
  const last = hasStatement(rest) ? splitStatements(`${rest};`).statements : [];
  return [...statements, ...last];
}

export async function sqlCommand(url: string, statement: string | undefined, o: SqlCommandOptions, io: Io, stdin: NodeJS.ReadStream = process.stdin): Promise<number> {
  let client: Client | undefined;
  let closing = false;
  try {
    if (!/^wss?:\/\//.test(url)) throw new BadInput(`not a node URL: "${url}" (e.g. ws://127.0.0.1:7401)`);
    if (statement !== undefined && !hasStatement(statement)) throw new BadInput("no SQL statement given");
    if (statement === undefined && o.param.length > 0) throw new BadInput("--param goes with a statement given as an argument ($1 is the first --param)");
    const params = o.param.map(paramValue);
    const node = (client = await connect(url));
    const script = statement === undefined && !stdin.isTTY;
    const execute = async (s: ScriptStatement): Promise<number> => {
      try {
        io.out(formatAnswer(await node.sql(s.text, params), s.text, o.json));
        return EXIT.ok;
      } catch (e) {
        io.err(`memoconductor sql: ${script ? `line ${s.line}: ` : ""}${errorLine(e)}\n`);
        return exitCode(e);
      }
    };
    if (statement !== undefined) {
      for (const s of argumentStatements(statement)) {
        const code = await execute(s);
        if (code !== EXIT.ok) return code;
      }
      return EXIT.ok;
    }
    const lost = node.closed.then((reason) => (closing ? new Promise<string>(() => {}) : `memoconductor sql: ${reason}`));
    return await readStatements({ input: stdin, lost, ...(script ? {} : { terminal: process.stdout }) }, execute, (line) => io.err(`${line}\n`));
  } catch (e) {
    io.err(`memoconductor sql: ${errorLine(e)}\n`);
    return exitCode(e);
  } finally {
    closing = true;
    await client?.close();
  }
}
