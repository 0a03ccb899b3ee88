/**
 * Bad input of every kind exits 2 with exactly one line on stderr naming the file, the field
 * and the reason — never a stack trace — and prints nothing on stdout. Every case runs
 * in-process (runCli); a few also as a user meets them, spawned through the package bin
 * (cli/bin.js → tsx → main.ts), where a stray stack trace or exit code would really show.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { cli, cliInProcess } from "./spawn-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mc-cli-"));

function scenarioFile(name: string, body: unknown): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, typeof body === "string" ? body : JSON.stringify(body));
  return f;
}

const base = { name: "bad", nodes: ["alice", "bob"], crdt: "g-counter", duration: 1000 };
writeFileSync(join(dir, "throws.ts"), 'throw new Error("plugin exploded");\nexport default {};\n');

const cases: [string, string[], RegExp][] = [
  ["unknown node", [scenarioFile("node", { ...base, steps: [{ at: 0, partition: [["alice"], ["carol"]] }] })], /node\.json: steps\[0\]\.partition: node "carol" is not declared/],
  ["unknown CRDT", [scenarioFile("crdt", { ...base, crdt: "b-tree" })], /crdt\.json: crdt: unknown CRDT "b-tree"/],
  ["unknown op", [scenarioFile("op", { ...base, steps: [{ at: 0, node: "bob", op: "dec", args: [1] }] })], /op\.json: steps\[0\]\.op: unknown op "dec" for g-counter \(ops: inc\)/],
  ["negative time", [scenarioFile("neg", { ...base, steps: [{ at: -1, heal: true }] })], /neg\.json: steps\[0\]\.at: times must be non-negative/],
  ["unordered times", [scenarioFile("order", { ...base, steps: [{ at: 9, heal: true }, { at: 2, heal: true }] })], /order\.json: steps\[1\]\.at: times must be non-decreasing/],
  ["malformed JSON", [scenarioFile("json", '{\n  "name": "x",\n}')], /json\.json: malformed JSON at line 3, column 1: unexpected "}"/],
  ["a missing file", [join(dir, "nowhere.json")], /nowhere\.json: cannot read scenario: no such file/],
  ["a plugin that throws", [scenarioFile("plugin", { ...base, crdt: { module: "./throws.ts" } })], /plugin\.json: crdt\.module: plugin "\.\/throws\.ts" failed to load: plugin exploded/],
  ["a bad flag", [scenarioFile("ok1", base), "--bogus"], /^memoconductor: unknown option '--bogus'/],
  ["a bad seed", [scenarioFile("ok2", base), "--seed", "abc"], /^memoconductor: option '--seed <n>' argument 'abc' is invalid\. expected an integer, got "abc"/],
];

describe("bad input → exit 2, one line, no stack", () => {
  const spawned = new Set(["a plugin that throws", "a bad flag", "unknown node"]);
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = spawned.has(what) ? await cli(["run", ...args]) : await cliInProcess(["run", ...args]);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
      expect(r.code).toBe(2);
    });
  }

  it("an unknown command", async () => {
    const r = await cliInProcess(["explode"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^memoconductor: unknown command 'explode'/);
  });

  it("no command prints the help and exits 2", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: memoconductor");
  });

  it("--help exits 0 and lists only commands that exist", async () => {
    const r = await cliInProcess(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["run", "replay", "viz", "explore", "laws", "list", "start"]) expect(r.stdout).toMatch(new RegExp(`\\n\\s+${c}\\b`));
  });

  it("replay --help says what it compares and what its exit codes mean", async () => {
    const r = await cliInProcess(["replay", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes: 0 everything agrees; 1 the run does not reproduce as recorded[\s\S]*2 not a readable run directory/);
  });

  it("replay of something that is not a run directory", async () => {
    const r = await cliInProcess(["replay", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/not a run directory \(no scenario\.json/);
  });
});
