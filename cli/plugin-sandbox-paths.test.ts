/**
 * The supervised worker is used wherever the CLI runs a user's plugin, and changes nothing of
 * a run: the same trace and traceHash as the simulator in this thread. And the other commands
 * that run plugins — replay, start, laws, explore — report a misbehaving plugin the same way
 * as `run`: exit 2, one line. Every spawned CLI is killed after 90 s.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../sim/index.ts";
import { pluginScenario } from "./_test/misbehaving-plugin.ts";
import { runScenarioFile } from "./run-scenario.ts";
import { startCommand } from "./start.ts";
import { CLI_ENTRY, ROOT } from "./spawn-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mc-plugin-paths-"));
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');

type Result = { code: number | null; stdout: string; stderr: string };
function cli(args: string[], cwd = dir): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI_ENTRY, ...args],
      { cwd, encoding: "utf8", env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" }, timeout: 90_000, killSignal: "SIGKILL" },
      (e, stdout, stderr) => done({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, stdout, stderr }),
    );
  });
}

function expectOneLine(r: Result, line: RegExp): void {
  expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.code).toBe(2);
}

describe("a plugin scenario run in the supervised worker", () => {
  // The gallery's plugin scenario and the real-library plugins under the harshest nemesis.
  for (const file of ["scenarios/youtube-view-counter-naive.json", "examples/yjs-text-harsh.json", "examples/automerge-text-harsh.json"]) {
    it(`gives the same trace and traceHash as a run in this thread: ${file}`, async () => {
      const here = await simulate(join(ROOT, file));
      const there = await runScenarioFile(join(ROOT, file), { trace: true, pluginTimeoutS: 60 });
      expect(there.run.summary).toEqual(here.summary);
      expect(there.run.trace).toEqual(here.trace);
    });
  }
});

describe("every command that runs a plugin supervises it", () => {
  pluginScenario(dir, "loop", "", "merge() { for (;;) {} }");

  it("replay", async () => {
    const ok = pluginScenario(dir, "fine", "");
    const out = join(dir, "reports");
    expect((await cli(["run", ok, "--out", out])).code).toBe(0);
    // The recorded run names the plugin by absolute path; make that plugin loop, then replay.
    pluginScenario(dir, "fine", "", "merge() { for (;;) {} }");
    expectOneLine(
      await cli(["replay", join(out, "fine", "1"), "--plugin-timeout", "1"]),
      new RegExp(`plugin ${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}/fine\\.ts: merge did not return within 1 s`),
    );
  });

  it("start (its gallery run in-process, with a plugin scenario in it)", async () => {
    const gallery = join(dir, "gallery");
    mkdirSync(gallery);
    pluginScenario(gallery, "exits", "", "update() { process.exit(0); }");
    let stderr = "";
    const code = await startCommand({ out: join(dir, "start-reports") }, { out: () => {}, err: (t) => void (stderr += t) }, gallery);
    expectOneLine({ code, stdout: "", stderr }, /exits\.json: plugin \.\/exits\.ts ended the process \(process\.exit\(0\)\) in update$/);
  });

  it("laws", async () => {
    expectOneLine(await cli(["laws", "./loop.ts", "--plugin-timeout", "1"]), /^memoconductor laws: plugin \.\/loop\.ts: merge did not return within 1 s/);
  });

  // Misbehaving only in explore's sweep threads (their workerData names the target): each has
  // its own watched call slot, and its process.exit is not taken for "done".
  for (const [what, body, line] of [
    ["loops", "for (;;) {}", /^memoconductor explore: plugin \.\/sweep-loops\.ts: merge did not return within 1 s/],
    ["exits", "process.exit(0);", /^memoconductor explore: plugin \/.*\/sweep-exits\.ts ended the process \(process\.exit\(0\)\) in merge$/],
  ] as const) {
    it(`explore: a plugin that ${what} in a sweep thread only`, async () => {
      const prelude = 'import { workerData } from "node:worker_threads";\nconst inSweepThread = workerData !== null && typeof workerData === "object" && "ref" in workerData;';
      pluginScenario(dir, `sweep-${what}`, prelude, `merge(a, b) { if (inSweepThread) { ${body} } return base.merge(a, b); }`);
      expectOneLine(await cli(["explore", "--crdt", `./sweep-${what}.ts`, "--runs", "3000", "--jobs", "3", "--plugin-timeout", "1", "--out", join(dir, "x")]), line);
    });
  }

  it("explore, with sweep threads", async () => {
    expectOneLine(
      await cli(["explore", "--crdt", "./loop.ts", "--runs", "8", "--jobs", "2", "--plugin-timeout", "1", "--out", join(dir, "x")]),
      /^memoconductor explore: plugin \.\/loop\.ts: merge did not return within 1 s/,
    );
  });
});
