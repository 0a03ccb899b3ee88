import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateScenario } from "../sim/index.ts";
import { cli, cliInProcess, ROOT } from "./spawn-cli.ts";

const canary = (f: string) => join(ROOT, "sim/explore/canaries", f);

describe("memoconductor explore", () => {
  it("exit 0 when every seed passes", async () => {
    const r = await cliInProcess(["explore", "--crdt", "g-set", "--runs", "20"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/✓ g-set: 20 random scenarios \(seeds 1\.\.20\), every check passed/);
  });

  it("exit 1 on a failure: writes the shrunk scenario, the compare page and both runs, and prints the command that replays it", async () => {
    const out = mkdtempSync(join(tmpdir(), "mc-explore-"));
    const r = await cliInProcess(["explore", "--crdt", canary("unsorted-g-set.ts"), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ canary-unsorted-g-set: seed \d+ fails/);
    const seed = /seed (\d+) fails/.exec(r.stdout)![1]!;
    const base = join(out, "explore", "canary-unsorted-g-set", seed);
    const scenario = JSON.parse(readFileSync(`${base}.scenario.json`, "utf8"));
    expect(() => validateScenario(scenario)).not.toThrow();
    expect(scenario.description).toMatch(/fails \(.+\) for canary-unsorted-g-set/);
    for (const f of [`${base}.compare.html`, join(base, "original/timeline.html"), join(base, "shrunk/timeline.html"), join(base, "shrunk/scenario.json")])
      expect(existsSync(f), f).toBe(true);
    const page = readFileSync(`${base}.compare.html`, "utf8");
    expect(page).toContain(`${seed}/original/timeline.html`);
    expect(page).toContain(`${seed}/shrunk/timeline.html`);
    const replay = /replay {4}npx memoconductor (run .*)$/m.exec(r.stdout)![1]!.split(" ");
    expect(page).toContain(`<code>npx memoconductor ${replay.join(" ")}</code>`);
    const again = await cliInProcess([...replay, "--out", out, "--no-trace"]);
    expect(again.code).toBe(1);
  });

  it("--json prints one object and nothing else", async () => {
    const out = mkdtempSync(join(tmpdir(), "mc-explore-"));
    const r = await cliInProcess(["explore", "--crdt", canary("two-bit-counter.ts"), "--json", "--out", out]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]!);
    expect(o).toMatchObject({ crdt: "canary-two-bit-counter", ok: false, failure: { check: expect.any(String) } });
    expect(o.failure.shrunk.steps).toBeLessThanOrEqual(10);
  });

  it("exit 2 with one line for bad input", async () => {
    for (const args of [
      ["--crdt", "nope"],
      ["--crdt", "./missing.ts"],
      ["--crdt", "g-set", "--shard", "3/2"],
      ["--crdt", "g-set", "--runs", "-1"],
      ["--crdt", "g-set", "--jobs", "x"],
    ]) {
      const r = await cliInProcess(["explore", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });

  it("runs worker threads from a spawned CLI (--jobs 2, a shard)", async () => {
    const r = await cli(["explore", "--crdt", "g-counter", "--runs", "30", "--jobs", "2", "--shard", "2/3", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, runs: 10, planned: 10, shard: "2/3" });
  });
});

describe("memoconductor laws", () => {
  it("exit 0 when the laws hold, 1 with a counterexample, 2 for a bad module", async () => {
    expect((await cliInProcess(["laws", "or-set", "--runs", "30"])).code).toBe(0);
    const bad = await cliInProcess(["laws", canary("last-arrival-register.ts")]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/merge is commutative[\s\S]*ops per replica:[\s\S]*replay: npx memoconductor laws .* --seed 1 --runs 200/);
    const json = await cliInProcess(["laws", canary("lww-no-tiebreak.ts"), "--json", "--seed", "3"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, seed: 3, failure: { law: "merge is commutative" } });
    const missing = await cliInProcess(["laws", "./missing.ts"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  });
});
