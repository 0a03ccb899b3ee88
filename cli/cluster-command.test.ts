// `memoconductor cluster` as a user runs it (real node processes on loopback; each run stops
// what it started): the --help example passes and writes a run directory of a simulated run's
// shape; a run with the deliberately broken node fails durability, exits 1 and says whether the
// simulator reproduces it; a feature the cluster cannot reproduce is refused by name.
import { fileURLToPath } from "node:url";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { esc, mdLine } from "../viz/index.ts";
import { HELP_EXAMPLES } from "./program.ts";
import { cli, ROOT } from "./spawn-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "mc-cluster-cli-"));
symlinkSync(join(ROOT, "scenarios"), join(dir, "scenarios"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("memoconductor cluster", () => {
  it("runs the --help example: every check passes, the run directory has a simulated run's files, and export reads it", async () => {
    const r = await cli(HELP_EXAMPLES.cluster.replace(/^npx memoconductor /, "").split(" "), dir);
    expect(r.stdout + r.stderr).toMatch(/or-set-add-wins {2}\(or-set, seed 11\) {2}✓ pass/);
    expect(r.code).toBe(0);
    const run = join(dir, "reports/or-set-add-wins/cluster-11");
    for (const f of ["summary.json", "trace.jsonl", "report.md", "junit.xml", "timeline.html", "scenario.json", "history.jsonl", "plan.json", "simulated-scenario.json"])
      expect(existsSync(join(run, f)), f).toBe(true);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8")) as { mode: string; deterministic: boolean; checks: { name: string }[] };
    expect(summary).toMatchObject({ mode: "cluster", deterministic: false });
    expect(summary.checks.map((c) => c.name)).toEqual(["convergence", "add-wins", "durability", "expected-value"]);
    const report = readFileSync(join(run, "report.md"), "utf8");
    expect(report).toContain("not deterministic");
    // report.md, summary.json and junit.xml list the same approximations and unchecked checks.
    const listed = JSON.parse(readFileSync(join(run, "summary.json"), "utf8")) as { approximated: string[]; notChecked: string[] };
    const junit = readFileSync(join(run, "junit.xml"), "utf8");
    expect(listed.approximated.length).toBeGreaterThan(0);
    for (const a of listed.approximated) {
      expect(report).toContain(mdLine(`Approximated — ${a}`));
      expect(junit).toContain(`<property name="approximated" value="${esc(a)}"/>`);
    }
    expect(junit.match(/name="notChecked"/g)?.length).toBe(listed.notChecked.length);
    expect(report).toContain("| wall clock | converged at |");
    const elle = await cli(["export", run, "--format", "elle"], dir);
    expect(elle.code).toBe(0);
    const ops = JSON.parse(elle.stdout) as { type: string; f: string }[];
    expect(ops.filter((o) => o.f === "read" && o.type === "ok")).toHaveLength(3);
  }, 240_000);

  it("a node that acknowledges before its commit: durability fails, exit 1, and the simulator's verdict on the same schedule", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "broken-node",
        nodes: ["a", "b"],
        crdt: "g-set",
        sync: { antiEntropyMs: 200 },
        steps: [
          { at: 0, partition: [["a"], ["b"]] },
          { at: 1200, crash: "a" },
          { at: 1300, restart: "a" },
          { at: 1800, heal: true },
        ],
        workload: { from: 0, to: 1000, ratePerNode: 20, nodes: ["a"], ops: [{ op: "add", args: [{ int: [0, 1000000] }] }] },
        duration: 2000,
      }),
    );
    const r = await cli(["cluster", file, "--node-arg=--test-ack-before-commit", "--node-arg=--group-ms=60000"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/durability +✗/);
    // The simulator's nodes never answer before the disk has a write: the same schedule passes there, and the run says so.
    expect(r.stdout).toContain("The simulator does not reproduce it");
    const repro = JSON.parse(readFileSync(join(dir, "reports/broken-node/cluster-1/simulated-scenario.json"), "utf8")) as { steps: unknown[]; workload?: unknown };
    expect(repro.workload).toBeUndefined();
    expect(repro.steps.length).toBeGreaterThan(4);
  }, 240_000);

  it("refuses what it cannot reproduce, by name, before starting anything", async () => {
    const file = join(dir, "drift.json");
    writeFileSync(file, JSON.stringify({ name: "drift", nodes: ["a", "b"], crdt: "g-set", clocks: { a: { skew: 0, drift: 0.01 } }, duration: 100 }));
    const r = await cli(["cluster", file], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}: clocks.a.drift: a real node's clock cannot be made to drift (cluster mode sets clock offsets only: skew and jumps)\n`);
    const msg = join(dir, "message-step.json");
    writeFileSync(msg, JSON.stringify({ name: "msg", nodes: ["a", "b"], crdt: "g-set", steps: [{ at: 10, drop: 3 }], duration: 100 }));
    const m = await cli(["cluster", msg], dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`${msg}: steps[0].drop: a step on one simulated message`);
    // Naive RAMP (no protocol): nodes always hold a transaction until it is whole — refused, naming the test switch.
    const naive = fileURLToPath(new URL("../scenarios/ramp-fractured-reads-naive.json", import.meta.url));
    const n = await cli(["cluster", naive], dir);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain(`services.ramp.mode: "naive" (no RAMP protocol) has no faithful counterpart`);
    expect(n.stderr).toContain("--test-no-txn-hold");
  });
});
