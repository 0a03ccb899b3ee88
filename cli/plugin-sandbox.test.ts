/**
 * Plugins that misbehave outside the call stack (issue 16, items 4 and 5): each case spawns the
 * real CLI on a scenario naming the plugin and expects exit 2 with ONE stderr line naming the
 * plugin, as the scenario wrote it, and what it did. Before the supervised worker these hung,
 * printed a stack with exit 1 (which means "a check failed"), exited 13 in silence, or passed.
 * Every spawned CLI has a time limit and is killed at it.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_ENTRY } from "./spawn-cli.ts";
import { pluginScenario } from "./_test/misbehaving-plugin.ts";

const dir = mkdtempSync(join(tmpdir(), "mc-plugin-sandbox-"));
// An ESM package, so that a plugin may use top-level await (tsx loads a .ts outside one as CJS).
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');

type Result = { code: number | null; stdout: string; stderr: string };

/**
 * The CLI as a user runs it, in a child process killed after 60 s. Asynchronous: a test worker
 * blocked in spawnSync for seconds cannot answer vitest's own messages.
 */
function cli(args: string[]): Promise<Result> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI_ENTRY, ...args],
      { cwd: dir, encoding: "utf8", env: { ...process.env, MEMOCONDUCTOR_DEBUG: "" }, timeout: 60_000, killSignal: "SIGKILL" },
      (e, stdout, stderr) => done({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, stdout, stderr }),
    );
  });
}

const run = (file: string, ...flags: string[]) => cli(["run", file, "--out", join(dir, "reports"), ...flags]);

/** Exit 2, nothing on stdout, exactly one stderr line, which matches `line`. */
function expectOneLine(r: Result, line: RegExp): void {
  expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stdout).toBe("");
  expect(r.code).toBe(2);
}

describe("a plugin that misbehaves outside the call stack: exit 2, one line naming it", () => {
  it("a: update leaves a rejected promise", async () => {
    const f = pluginScenario(dir, "reject", "", `update(s, op, ctx) { Promise.reject(new Error("x")); return base.update(s, op, ctx); }`);
    expectOneLine(await run(f), /reject\.json: plugin \.\/reject\.ts: unhandled promise rejection in update: x$/);
  });

  it("b: a timer set at import throws", async () => {
    const f = pluginScenario(dir, "timer", `setTimeout(() => { throw new Error("boom"); }, 0);`);
    expectOneLine(await run(f), /timer\.json: plugin \.\/timer\.ts: threw from a timer or callback it scheduled: boom$/);
  });

  it("c: a top-level await that never settles", async () => {
    const f = pluginScenario(dir, "tla", `await new Promise(() => {});`);
    expectOneLine(await run(f), /tla\.json: plugin \.\/tla\.ts never finished loading \(its top-level await never settled\)$/);
  });

  it("c: a top-level await on something that never comes, with a timer keeping its thread alive, is stopped after ten budgets", async () => {
    // It uses no CPU, so the budget of computing time never runs out; a call (the import
    // here) may last ten budgets in all (4 s here), then it is named.
    const f = pluginScenario(dir, "tla-alive", `await new Promise(() => { setInterval(() => {}, 1000); });`);
    expectOneLine(
      await run(f, "--plugin-timeout", "0.4"),
      /tla-alive\.json: plugin \.\/tla-alive\.ts did not finish loading within 4 s \(it kept waiting, e\.g\. on a promise that never settles; raise --plugin-timeout \(now 0\.4 s\) if it needs longer\)$/,
    );
  });

  it("d: process.exit(0) at import", async () => {
    const f = pluginScenario(dir, "exit-import", `process.exit(0);`);
    expectOneLine(await run(f), /exit-import\.json: plugin \.\/exit-import\.ts ended the process \(process\.exit\(0\)\) while loading$/);
  });

  it("d: process.exit(0) inside merge", async () => {
    const f = pluginScenario(dir, "exit-merge", "", `merge(a, b) { process.exit(0); }`);
    expectOneLine(await run(f), /exit-merge\.json: plugin \.\/exit-merge\.ts ended the process \(process\.exit\(0\)\) in merge$/);
  });

  it("an update that throws is named, with where the engine was (the engine's wrapper keeps the plugin's error as its cause)", async () => {
    const f = pluginScenario(dir, "throw-update", "", `update(s, op, ctx) { throw new Error("plain"); }`);
    expectOneLine(await run(f), /throw-update\.json: run failed \(seed 1\): plugin \.\/throw-update\.ts: update threw at t=\d+ workload: [ab] inc \[1\]: plain$/);
  });

  it("e: a module that is /dev/zero, a FIFO, or larger than the limit is refused before import", async () => {
    const zero = join(dir, "zero.json");
    writeFileSync(zero, JSON.stringify({ name: "zero", nodes: ["a", "b"], crdt: { module: "/dev/zero" }, duration: 10 }));
    expectOneLine(await run(zero), /zero\.json: crdt\.module: plugin "\/dev\/zero": not a regular file \(a character device\)$/);
    execFileSync("mkfifo", [join(dir, "fifo.ts")]);
    const fifo = join(dir, "fifo.json");
    writeFileSync(fifo, JSON.stringify({ name: "fifo", nodes: ["a", "b"], crdt: { module: "./fifo.ts" }, duration: 10 }));
    expectOneLine(await run(fifo), /fifo\.json: crdt\.module: plugin "\.\/fifo\.ts": not a regular file \(a named pipe\)$/);
    const huge = pluginScenario(dir, "huge", "");
    truncateSync(join(dir, "huge.ts"), 9 * 1024 * 1024); // sparse: costs no disk
    expectOneLine(await run(huge), /huge\.json: crdt\.module: plugin "\.\/huge\.ts": too large \(9437184 bytes; a plugin module may have at most 8388608\)$/);
  });

  for (const method of ["merge", "update", "value", "init"]) {
    it(`f: an infinite loop in ${method} is stopped by the per-call budget`, async () => {
      const f = pluginScenario(dir, `loop-${method}`, "", `${method}() { for (;;) {} }`);
      expectOneLine(
        await run(f, "--plugin-timeout", "1"),
        new RegExp(`plugin \\./loop-${method}\\.ts: ${method} did not return within 1 s \\(call \\d+; raise --plugin-timeout \\(now 1 s\\) if it needs longer\\)$`),
      );
    });
  }

  it("f: the budget is per call: a run longer than the budget whose calls are each quick passes", async () => {
    // Each merge busy-waits 150 ms: about twenty merges, several seconds in all, none near 1 s.
    const f = pluginScenario(dir, "slow", "", `merge(a, b) { const end = Date.now() + 150; while (Date.now() < end); return base.merge(a, b); }`);
    const r = await run(f, "--plugin-timeout", "1", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  });

  for (const [what, body, shown] of [
    ["undefined", "undefined", "undefined"],
    ["NaN", "NaN", "NaN"],
    ["a function", "() => 1", "a function"],
    ["a cycle", "(() => { const o = { n: 1 }; o.self = o; return o; })()", "a cycle at \\.self"],
  ] as const) {
    it(`g: value() returning ${what} is named as the plugin's value()`, async () => {
      const f = pluginScenario(dir, `value-${what.replace(/\W/g, "")}`, "", `value: () => ${body}`);
      expectOneLine(await run(f), new RegExp(`: plugin \\./value-\\w+\\.ts: value\\(\\) returned ${shown} \\(must be JSON-serialisable\\)$`));
    });
  }
});

describe("--plugin-timeout", () => {
  it("is documented in run --help and refuses what is not a positive number of seconds", async () => {
    const f = pluginScenario(dir, "fine", "");
    const help = await cli(["run", "--help"]);
    expect(help.stdout).toMatch(/--plugin-timeout <seconds>\s+seconds one plugin call/);
    expectOneLine(
      await run(f, "--plugin-timeout", "0"),
      /^memoconductor: option '--plugin-timeout <seconds>' argument '0' is invalid\. expected a positive number of seconds, got "0"/,
    );
  });
});
