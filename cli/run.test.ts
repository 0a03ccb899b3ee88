/**
 * `run`, `list` and `start` end to end (replay: replay.test.ts): in-process through runCli (fast), and through
 * the package bin where the process matters (stdout discipline of --json, a foreign cwd).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Io } from "./io.ts";
import { RUN_TIMELINE_MAX_EVENTS, runCommand } from "./run.ts";
import { cli, cliAsync, cliInProcess, ROOT } from "./spawn-cli.ts";

const out = mkdtempSync(join(tmpdir(), "mc-run-"));
const youtube = join(ROOT, "scenarios/youtube-view-counter.json");
const pn = join(ROOT, "scenarios/pn-counter-duplication.json");

describe("run", () => {
  it("--json prints exactly one summary per scenario per line, and writes run directories", async () => {
    const r = await cli(["run", youtube, pn, "--json", "--out", out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ scenario: "youtube-view-counter", seed: 2, crdt: "g-counter", ok: true });
    expect(b.scenario).toBe("pn-counter-duplication");
    expect(a.traceHash).toMatch(/^[0-9a-f]{64}$/);
    for (const f of ["summary.json", "trace.jsonl", "scenario.json"]) expect(existsSync(join(out, "youtube-view-counter/2", f))).toBe(true);
  });

  it("prints a verdict table with the run dir and the replay command", async () => {
    const r = await cliInProcess(["run", youtube, "--seed", "3", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/youtube-view-counter\s+\(g-counter, seed 3\)\s+✓ pass$/m);
    expect(r.stdout).toMatch(/counter-total\s+✓ held\s+✓ holds/);
    expect(r.stdout).toContain(`replay    npx memoconductor replay ${join(out, "youtube-view-counter/3")}`);
  });

  it("--no-trace keeps only the summary, with the same traceHash", async () => {
    const traced = JSON.parse((await cliInProcess(["run", youtube, "--seed", "4", "--json", "--out", out])).stdout);
    const r = await cliInProcess(["run", youtube, "--seed", "4", "--json", "--no-trace", "--out", out]);
    expect(JSON.parse(r.stdout).traceHash).toBe(traced.traceHash);
    expect(existsSync(join(out, "youtube-view-counter/4/trace.jsonl"))).toBe(false);
  });

  it("exits 1 when an expectation is not met", async () => {
    const s = JSON.parse(readFileSync(youtube, "utf8"));
    const f = join(out, "wrong.json");
    writeFileSync(f, JSON.stringify({ ...s, name: "wrong", expect: { checks: { "counter-total": false } } }));
    const r = await cliInProcess(["run", f, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/counter-total\s+✓ held\s+✗ anomaly\s+← unexpected/);
    expect(r.stdout).toMatch(/^wrong\s+\(g-counter, seed 2\)\s+✗ FAIL$/m);
  });

  it("past its timeline cap, leaves the timeline to `viz` and says so in one line; --timeline draws it anyway", async () => {
    expect(RUN_TIMELINE_MAX_EVENTS).toBe(100_000);
    const collect = () => {
      const got = { out: "", err: "" };
      const io: Io = { out: (t) => void (got.out += t), err: (t) => void (got.err += t) };
      return { got, io };
    };
    const dir = join(out, "youtube-view-counter/5");
    // The youtube run has a few hundred events: a cap of 10 stands for a run of millions.
    const capped = collect();
    expect(await runCommand([youtube], { seed: 5, out, json: true, trace: true, timelineMaxEvents: 10 }, capped.io)).toBe(0);
    const events = JSON.parse(capped.got.out).stats.events as number;
    expect(events).toBeGreaterThan(10);
    expect(capped.got.err).toBe(
      `${dir}: timeline not drawn: ${events.toLocaleString("en-US")} events, over 10 (--timeline draws it with the run); draw it with: npx memoconductor viz ${dir}\n`,
    );
    expect(readdirSync(dir).sort()).toEqual(["junit.xml", "report.md", "scenario.json", "summary.json", "trace.jsonl"]);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain(`the timeline was not drawn with the run (\`npx memoconductor viz ${dir}\` draws`);
    // The command it names draws it.
    expect((await cliInProcess(["viz", dir])).code).toBe(0);
    expect(existsSync(join(dir, "timeline.html"))).toBe(true);

    const forced = collect();
    expect(await runCommand([youtube], { seed: 5, out, json: true, trace: true, timelineMaxEvents: 10, timeline: true }, forced.io)).toBe(0);
    expect(forced.got.err).toBe("");
    expect(existsSync(join(dir, "timeline.html"))).toBe(true);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("Views beside this file: `timeline.html`");

    // Under the cap (the default), drawn with the run; the flag parses.
    const r = await cliInProcess(["run", youtube, "--seed", "5", "--out", out, "--timeline"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(existsSync(join(dir, "timeline.html"))).toBe(true);
  });

  it("a bad file among good ones: the good ones still run, the exit code is 2", async () => {
    const r = await cliInProcess(["run", join(out, "missing.json"), youtube, "--json", "--out", out]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).scenario).toBe("youtube-view-counter");
    expect(r.stderr.trim()).toMatch(/missing\.json: cannot read scenario: no such file$/);
  });
});

describe("two runs into one directory", () => {
  it("two processes writing the same run dir at once, one with --no-trace: the dir is one whole run, never a mix", async () => {
    const root = mkdtempSync(join(tmpdir(), "mc-race-"));
    const args = ["run", youtube, "--seed", "9", "--out", root];
    const [traced, bare] = await Promise.all([cliAsync(args), cliAsync([...args, "--no-trace"])]);
    // The second writer waits for the first (writing takes milliseconds): both succeed.
    expect([traced.code, bare.code, traced.stderr + bare.stderr]).toEqual([0, 0, ""]);
    const dir = join(root, "youtube-view-counter/9");
    const files = readdirSync(dir).sort();
    const withTrace = ["junit.xml", "report.md", "scenario.json", "summary.json", "timeline.html", "timeline.svg", "trace.jsonl"];
    const withoutTrace = ["junit.xml", "report.md", "scenario.json", "summary.json"];
    expect([withTrace, withoutTrace]).toContainEqual(files);
    // Nothing left beside it: no temp dir, no old dir, no lock.
    expect(readdirSync(join(root, "youtube-view-counter"))).toEqual(["9"]);
    expect((await cliInProcess(["replay", dir])).code).toBe(0);
  });
});

describe("list", () => {
  it("lists builtins with ops and options, and the scenarios with their description", async () => {
    const r = await cliInProcess(["list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pn-counter\s+ops: inc, dec/);
    expect(r.stdout).toMatch(/lww-register\s+ops: set\s+options: clock/);
    expect(r.stdout).toMatch(/youtube-view-counter\n\s+The YouTube view counter of the talk/);
  });
});

describe("start", () => {
  it("runs the whole gallery, prints a table and the reports path", async () => {
    const r = await cliInProcess(["start", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^scenario\s+crdt\s+seed\s+verdict\s+checks/);
    expect(r.stdout).toMatch(/youtube-view-counter-naive\s+naive-counter\s+2\s+✓ anomaly shown \(expected\)/);
    expect(r.stdout).toContain(`reports: ${out}`);
    expect(existsSync(join(out, "cap-partition/3/trace.jsonl"))).toBe(true);
    expect(existsSync(join(out, "cap-partition/3/timeline.html"))).toBe(true);
    expect(existsSync(join(out, "index.html"))).toBe(true);
  });
});
