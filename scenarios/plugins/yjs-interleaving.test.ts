/**
 * Yjs can split a run typed forwards (the Yjs adapter declares `sequence.interleaves`): a
 * character typed after deleted text is anchored to the tombstone, and a concurrent insert
 * anchored to the same tombstone lands before it when its client id is lower. Shown through the
 * adapter (the scenario explore's seed 8 shrank to, rewritten by hand to five steps) and in plain
 * Yjs (examples/yjs-tombstone-interleaving/repro.mjs).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { simulate, type Scenario } from "../../sim/index.ts";
import yjsText from "./yjs-text.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const file = join(root, "scenarios/plugins/fixtures/yjs-tombstone-interleaving.json");
const noInterleaving = (r: Awaited<ReturnType<typeof simulate>>) => r.summary.checks.find((c) => c.name === "no-interleaving")!;

describe("Yjs splits a run typed after deleted text", () => {
  it("the adapter declares it: no-interleaving runs on Yjs only when named", () => {
    expect(yjsText.sequence?.interleaves).toMatch(/tombstone/);
  });

  it('n2 types x, deletes b, types y after x; n1\'s concurrent e after b lands inside: "axey"', async () => {
    const r = await simulate(file, { trace: false });
    expect(r.summary.final).toEqual({ n1: "axey", n2: "axey" });
    expect(noInterleaving(r)).toMatchObject({ ok: false, expected: false });
    expect(noInterleaving(r).detail).toContain(`"e" (typed by n1 at t=100) stands inside n2's run "xy"`);
    // Everything else holds: what was typed stays where it was typed, and the replicas agree.
    expect(r.summary.ok).toBe(true);
  });

  it('with the typists\' client ids the other way round, the run stays whole: "axye"', async () => {
    const sc = JSON.parse(readFileSync(file, "utf8")) as Scenario;
    const swapped: Scenario = {
      ...sc,
      crdt: { module: join(root, "scenarios/plugins/yjs-text.ts") },
      steps: sc.steps!.map((s) => ("node" in s ? { ...s, node: s.node === "n1" ? "n2" : "n1" } : s)),
      expect: { checks: { "no-interleaving": true } },
    };
    const r = await simulate(swapped, { trace: false });
    expect(r.summary.final).toEqual({ n1: "axye", n2: "axye" });
    expect(noInterleaving(r).ok).toBe(true);
  });

  it("plain Yjs does the same (examples/yjs-tombstone-interleaving/repro.mjs)", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, "examples/yjs-tombstone-interleaving/repro.mjs")], { encoding: "utf8" });
    expect(stdout).toContain(`A shows "axey", B shows "axey"`);
  }, 30_000);
});
