/**
 * A run killed half-way (a real SIGKILL, mid-trace) leaves a run directory that says it is
 * incomplete — scenario.json, the trace as far as it got, INCOMPLETE, no summary — and `viz`,
 * `replay` and the gallery's scan report it in one line instead of reading a torn file.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { incompleteRuns } from "./run-dir.ts";
import { cliInProcess, ROOT } from "./spawn-cli.ts";

const out = mkdtempSync(join(tmpdir(), "mc-incomplete-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const LONG = join(ROOT, "bench/fixtures/or-set-long-run.json");
const WAIT_MS = 120_000;

/** Starts a long traced run and kills it once its first chunk of trace is on disk (bounded in time). */
async function killedRun(): Promise<string> {
  const dir = join(out, "or-set-long-run/1");
  const trace = join(dir, "trace.jsonl");
  const child = spawn(process.execPath, [join(ROOT, "cli/bin.js"), "run", LONG, "--out", out], { stdio: "ignore" });
  const exited = new Promise((done) => child.once("exit", done));
  try {
    const until = Date.now() + WAIT_MS;
    while (!(existsSync(trace) && statSync(trace).size > 0)) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`no trace written within ${WAIT_MS} ms`);
      await new Promise((go) => setTimeout(go, 50));
    }
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
  return dir;
}

describe("a run killed half-way", async () => {
  const dir = await killedRun();

  it("leaves scenario.json, a partial trace and INCOMPLETE, and no summary", () => {
    expect(readdirSync(dir).sort()).toEqual(["INCOMPLETE", "scenario.json", "trace.jsonl"]);
  });

  it("viz says so in one line (exit 2), for the directory and for its trace.jsonl", async () => {
    for (const arg of [dir, join(dir, "trace.jsonl")]) {
      const r = await cliInProcess(["viz", arg]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /an incomplete run — stopped before it finished \([\d,]+ events in trace\.jsonl, no summary\.json\); run it again: npx memoconductor run .*scenario\.json/,
      );
    }
  });

  it("replay says so in one line (exit 2)", async () => {
    const r = await cliInProcess(["replay", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/an incomplete run — stopped before it finished/);
  });

  it("the gallery's scan of the reports names it, one line", () => {
    const lines = incompleteRuns(out, (d) => d);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${dir}: an incomplete run`));
  });
});
