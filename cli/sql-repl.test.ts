/**
 * The statement reader of `memoconductor sql` without a statement, in-process over streams: what
 * it hands to `execute` (statements across lines, the line each starts on), and how a failure
 * ends a piped script but not an interactive session. The node side is in cli/sql-command.test.ts.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ScriptStatement } from "../sql/index.ts";
import { readStatements } from "./sql-repl.ts";

/** Feeds `text` to the reader; `failing` statements answer exit 2. Resolves with the exit code, the statements run and what the terminal showed. */
async function session(text: string, o: { interactive: boolean; failing?: string[] }) {
  const input = new PassThrough();
  const terminal = new PassThrough();
  let shown = "";
  terminal.on("data", (d: Buffer) => void (shown += d.toString()));
  const ran: ScriptStatement[] = [];
  const errors: string[] = [];
  const done = readStatements(
    { input, ...(o.interactive ? { terminal } : {}) },
    async (s) => {
      ran.push(s);
      return o.failing?.includes(s.text) ? 2 : 0;
    },
    (line) => void errors.push(line),
  );
  input.end(text);
  return { code: await done, ran, shown, errors };
}

describe("the sql statement reader", () => {
  const script = "SELECT a\n  FROM t;\n\nSELECT bad FROM t; SELECT b FROM t;\nSELECT c FROM t";

  it("piped: statements across lines with their first line; the first failure stops the script with its code", async () => {
    const ok = await session(script, { interactive: false });
    expect(ok.code).toBe(0);
    expect(ok.ran).toEqual([
      { text: "SELECT a\n  FROM t", line: 1 },
      { text: "SELECT bad FROM t", line: 4 },
      { text: "SELECT b FROM t", line: 4 },
      { text: "SELECT c FROM t", line: 5 },
    ]);
    const failed = await session(script, { interactive: false, failing: ["SELECT bad FROM t"] });
    expect(failed.code).toBe(2);
    expect(failed.ran.map((s) => s.text)).toEqual(["SELECT a\n  FROM t", "SELECT bad FROM t"]);
  });

  it("interactive: prompts (another inside a statement), goes on after a failure, \\q quits", async () => {
    const r = await session(`${script};\n\\q\nSELECT never FROM t;\n`, { interactive: true, failing: ["SELECT bad FROM t"] });
    expect(r.code).toBe(0);
    expect(r.ran.map((s) => s.text)).toEqual(["SELECT a\n  FROM t", "SELECT bad FROM t", "SELECT b FROM t", "SELECT c FROM t"]);
    expect(r.shown).toContain("sql> ");
    expect(r.shown).toContain("...> ");
  });

  it("a lost connection ends the session with exit 1 and its reason", async () => {
    const input = new PassThrough();
    const done = readStatements(
      { input, terminal: new PassThrough(), lost: Promise.resolve("the connection closed") },
      () => Promise.resolve(0),
      (line) => void errors.push(line),
    );
    const errors: string[] = [];
    expect(await done).toBe(1);
    expect(errors).toEqual(["the connection closed"]);
  });
});
