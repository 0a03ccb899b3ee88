/**
 * Every command's --help tells a user what they need without the README: each option's default,
 * what the exit codes mean, and one example — which this test pastes, in order, into a fresh
 * directory that holds the bundled scenarios, as a user following the help would.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HELP_EXAMPLES } from "./program.ts";
import { cli, cliInProcess, ROOT } from "./spawn-cli.ts";

const COMMANDS = ["run", "replay", "viz", "explore", "laws", "list", "start", "node", "client", "sql", "cluster", "export"] as const;

/** The Options block's entries, each with its wrapped description joined into one line. */
function options(help: string): string[] {
  const block = help.split("\nOptions:\n")[1]?.split("\n\n")[0] ?? "";
  const entries: string[] = [];
  for (const line of block.split("\n")) {
    if (/^\s{2}-/.test(line)) entries.push(line.trim());
    else if (entries.length) entries[entries.length - 1] += " " + line.trim();
  }
  return entries;
}

describe("--help of every command", () => {
  for (const c of COMMANDS) {
    it(`${c}: defaults, exit codes and an example`, async () => {
      const r = await cliInProcess([c, "--help"]);
      expect(r.code).toBe(0);
      for (const o of options(r.stdout)) {
        if (o.startsWith("-h, --help") || o.startsWith("--crdt ") || o.startsWith("--data ")) continue; // --crdt and --data are required: no default to show
        expect(o, `${c} ${o}`).toMatch(/\(default: [^)]+\)/);
      }
      expect(r.stdout).toMatch(/\nExit codes:\n {2}0 {2}\S/);
      expect(r.stdout).toContain(`\n  $ ${HELP_EXAMPLES[c]}\n`);
    });
  }

  it("the top-level help lists the exit codes and an example too", async () => {
    const r = await cliInProcess(["--help"]);
    expect(r.stdout).toMatch(/\nExit codes:\n {2}0 {2}every expectation met\n {2}1 {2}[^\n]+\n {2}2 {2}bad input/);
    expect(r.stdout).toContain("\n  $ npx memoconductor start\n");
  });

  describe("the examples work when pasted, one after the other", () => {
    const dir = mkdtempSync(join(tmpdir(), "mc-help-"));
    symlinkSync(join(ROOT, "scenarios"), join(dir, "scenarios"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // start runs the whole gallery (cli/run.test.ts covers it); its example is the bare command.
    // node runs until stopped and client needs a running node: cli/node-process.test.ts runs both examples
    // (sql's, which needs a node with a SQL schema: cli/sql-command.test.ts). cluster starts real
    // node processes and logs its progress: cli/cluster-command.test.ts runs its example.
    for (const c of COMMANDS.filter((c) => c !== "start" && c !== "node" && c !== "client" && c !== "sql" && c !== "cluster")) {
      it(c, async () => {
        const argv = HELP_EXAMPLES[c].replace(/^npx memoconductor /, "").split(" ");
        const r = await cli(argv, dir);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
      });
    }
  });
});
