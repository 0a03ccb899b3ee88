/**
 * Bad input of every kind exits 2 with exactly one line on stderr naming the file, the field
 * and the reason — never a stack trace — and prints nothing on stdout. Every case runs
 * in-process (runCli); a few also as a user meets them, spawned as a bundle like the package bin
 * (cli/spawn-cli.ts), where a stray stack trace or exit code would really show.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { cli, CLI_ENTRY, cliInProcess, ROOT } from "./spawn-cli.ts";

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
  [
    "unordered times",
    [
      scenarioFile("order", {
        ...base,
        steps: [
          { at: 9, heal: true },
          { at: 2, heal: true },
        ],
      }),
    ],
    /order\.json: steps\[1\]\.at: times must be non-decreasing/,
  ],
  ["malformed JSON", [scenarioFile("json", '{\n  "name": "x",\n}')], /json\.json: malformed JSON at line 3, column 1: unexpected "}"/],
  ["a missing file", [join(dir, "nowhere.json")], /nowhere\.json: cannot read scenario: no such file/],
  [
    "a plugin that throws",
    [scenarioFile("plugin", { ...base, crdt: { module: "./throws.ts" } })],
    /plugin\.json: crdt\.module: plugin "\.\/throws\.ts" failed to load: plugin exploded/,
  ],
  ["a bad flag", [scenarioFile("ok1", base), "--bogus"], /^memoconductor: unknown option '--bogus'/],
  ["a bad seed", [scenarioFile("ok2", base), "--seed", "abc"], /^memoconductor: option '--seed <n>' argument 'abc' is invalid\. expected an integer, got "abc"/],
  // Issue 16: size and work bounds, and numbers that used to fail at run time or not at all.
  [
    "100,000 nodes",
    [scenarioFile("nodes", { ...base, nodes: Array.from({ length: 100_000 }, (_, i) => `n${i}`) })],
    /nodes\.json: nodes: 100000 nodes is over the limit of 1000 \(raise it with limits\.nodes or --max-nodes\)$/,
  ],
  [
    "more nodes than --max-nodes",
    [scenarioFile("nodes2", base), "--max-nodes", "1"],
    /nodes2\.json: nodes: 2 nodes is over the limit of 1 \(raise it with limits\.nodes or --max-nodes\)$/,
  ],
  [
    "an estimated run over the event limit",
    [scenarioFile("rate", { ...base, workload: { ratePerNode: 1_000_000 } })],
    /rate\.json: workload\.ratePerNode: the run would take about 4\.00e\+6 events .* over the limit of 1000000 for a traced run .*raise it with limits\.events or --max-events$/,
  ],
  [
    "duration 1e9",
    [scenarioFile("long", { ...base, duration: 1e9 })],
    /long\.json: duration: the run would take about 8\.00e\+6 events \(1000000000 ms with anti-entropy every 500 ms on 2 nodes\)/,
  ],
  // Estimated at 20 events: the estimate leaves out the group commits, so the engine's own check stops it.
  [
    "a run stopped at --max-events",
    [
      scenarioFile("stopped", {
        ...base,
        sync: { antiEntropyMs: 0 },
        storage: { syncLagMs: 1 },
        steps: Array.from({ length: 10 }, (_, at) => ({ at, node: "alice", op: "inc", args: [1] })),
      }),
      "--max-events",
      "25",
    ],
    /stopped\.json: limits\.events: the run reached the limit of 25 events at virtual time \d+ ms \(duration 1000 ms\) and was stopped/,
  ],
  [
    "a file over --max-file-mb",
    [scenarioFile("fat", { ...base, description: "x".repeat(2 * 1024 * 1024) }), "--max-file-mb", "1"],
    /fat\.json: the file is 2 MB, over the limit of 1 MB \(raise it with --max-file-mb\)$/,
  ],
  [
    "pareto shape 1e-9",
    [scenarioFile("pareto", { ...base, network: { latency: { dist: "pareto", scale: 10, shape: 1e-9 } } })],
    /pareto\.json: network\.latency\.shape: pareto latencies could reach Infinity, over the limit of 1000000000 ms: give "max" to cap them, or keep shape at least 1\.205 for scale 10$/,
  ],
  [
    "clock skew -9e15",
    [scenarioFile("skew", { ...base, clocks: { alice: { skew: -9e15 } } })],
    /skew\.json: clocks\.alice\.skew: -9000000000000000 ms is outside ±1125899906842624 ms/,
  ],
  [
    "1e999",
    [scenarioFile("inf", '{"name": "inf", "nodes": ["a"], "crdt": "g-counter", "duration": 1000, "steps": [{"at": 1, "node": "a", "op": "inc", "args": [1e999]}]}')],
    /inf\.json: steps\[0\]\.args\[0\]: Infinity is not a finite number/,
  ],
  [
    "a step with two actions",
    [scenarioFile("two", { ...base, steps: [{ at: 1, node: "alice", op: "inc", args: [1], heal: true }] })],
    /two\.json: steps\[0\]: a step takes exactly one action; this one has "op" and "heal"$/,
  ],
  [
    "a counter past 2^53 - 1",
    [scenarioFile("big", { ...base, steps: [1, 2, 3].map((at) => ({ at, node: "alice", op: "inc", args: [2 ** 52 - 1] })) })],
    /big\.json: run failed \(seed 1\): t=3 steps\[2\]: alice inc \[4503599627370495\]: g-counter: op "inc": replica "alice"'s total would reach 9007199254740990 \+ 4503599627370495, past 9007199254740991/,
  ],
];

describe("bad input → exit 2, one line, no stack", () => {
  const spawned = new Set(["a plugin that throws", "a bad flag", "unknown node", "100,000 nodes", "pareto shape 1e-9", "a run stopped at --max-events"]);
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

  it("a file with several problems: one line each, `<file>: <path>: <reason>`, the first the contract's line", async () => {
    const f = scenarioFile("several", { ...base, durration: 5, network: { loss: 2, duplicate: -1 }, steps: [{ at: 0, crsh: "bob" }] });
    for (const json of [false, true]) {
      const r = await cliInProcess(["run", f, ...(json ? ["--json"] : [])]);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines.length).toBe(4);
      for (const line of lines) expect(line).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: [\\w.\\[\\]]+: `));
      expect(lines[0]).toMatch(/: steps\[0\]\.crsh: unknown key "crsh" \(did you mean "crash"\?\)/);
      expect(r.stderr).not.toContain("more problem");
      expect(r.stdout).toBe("");
      expect(r.code).toBe(2);
    }
  });

  it("did you mean, for a CRDT name on the command line", async () => {
    for (const argv of [
      ["laws", "orset"],
      ["explore", "--crdt", "g-countr"],
    ]) {
      const r = await cliInProcess(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown CRDT "(orset|g-countr)" \(did you mean "(or-set|g-counter)"\? builtins: /);
    }
  });

  it("an unknown command", async () => {
    const r = await cliInProcess(["explode"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^memoconductor: unknown command 'explode'/);
  });

  it("cli/bin.js — the sources through tsx, what `npm start` runs — answers as the spawned bundle does", async () => {
    expect(CLI_ENTRY).not.toBe(join(ROOT, "cli/bin.js")); // vitest's global setup made the bundle
    const fromSources = await new Promise<{ code: number | null; stdout: string }>((done) => {
      execFile(process.execPath, [join(ROOT, "cli/bin.js"), "list"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 }, (e, stdout) =>
        done({ code: e ? (typeof e.code === "number" ? e.code : null) : 0, stdout }),
      );
    });
    const bundled = await cli(["list"]);
    expect(fromSources.code).toBe(0);
    expect(fromSources.stdout).toContain("Builtin CRDTs");
    expect(fromSources.stdout).toBe(bundled.stdout);
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
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}everything agrees\n {2}1 {2}the run does not reproduce as recorded[\s\S]*\n {2}2 {2}not a readable run directory/);
  });

  it("replay of something that is not a run directory", async () => {
    const r = await cliInProcess(["replay", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/not a run directory \(no scenario\.json/);
  });
});
