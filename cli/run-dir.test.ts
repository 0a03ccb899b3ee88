/**
 * writeRunDir writes a run directory whole: a write that fails part way, or that finds another
 * writer at work, leaves the directory as it was — one complete run, never parts of two.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Run, type Scenario, simulate } from "../sim/index.ts";
import { lockDir } from "./dir-lock.ts";
import { writeRunDir } from "./run-dir.ts";

const root = mkdtempSync(join(tmpdir(), "mc-rundir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const scenario = { name: "w", nodes: ["a", "b"], crdt: "g-counter", seed: 3, steps: [{ at: 0, node: "a", op: "inc", args: [1] }], duration: 200 } as Scenario;
const contents = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );

describe("writeRunDir", async () => {
  const traced = await simulate(scenario);
  const bare = await simulate(scenario, { trace: false });

  it("a write that fails part way (a summary that cannot be serialized) leaves the old run dir as it was", () => {
    const dir = join(root, "a", "3");
    writeRunDir(dir, scenario, traced);
    const before = contents(dir);
    const broken: Run = { ...bare, summary: { ...bare.summary, final: { a: 1n } } };
    expect(() => writeRunDir(dir, { ...scenario, description: "the second run" }, broken)).toThrow(/BigInt/);
    expect(contents(dir)).toEqual(before);
    expect(readdirSync(join(root, "a"))).toEqual(["3"]);
  });

  it("a second writer while the directory is being written is refused, naming the writer's pid; the dir is untouched", () => {
    const dir = join(root, "b", "3");
    writeRunDir(dir, scenario, traced);
    const before = contents(dir);
    const release = lockDir(dir);
    try {
      expect(() => writeRunDir(dir, scenario, bare, { waitMs: 50 })).toThrow(`${dir} is being written by another run (pid ${process.pid})`);
    } finally {
      release();
    }
    expect(contents(dir)).toEqual(before);
    writeRunDir(dir, scenario, bare);
    expect(Object.keys(contents(dir))).toEqual(["junit.xml", "report.md", "scenario.json", "summary.json"]);
  });
});
