/**
 * The must-fail canaries: explore catches every one within its default run count and shrinks
 * each to at most 10 steps; the shrunk scenario is valid per the schema and, run through the
 * public `simulate`, still fails the same check.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate, validateScenario } from "../index.ts";
import { CANARIES, CHECK_CANARIES } from "./canaries/index.ts";
import { DEFAULT_EXPLORE_RUNS, explore } from "./explore.ts";
import { sizeOf } from "./shrink.ts";

const here = dirname(fileURLToPath(import.meta.url));

describe("explore catches every canary (op-based ones in op mode) and shrinks it to ≤ 10 steps", () => {
  for (const c of CANARIES)
    it(`${c.file}: ${c.bug}`, async () => {
      const module = join(here, "canaries", c.file);
      const r = await explore(module);
      expect(r.ok).toBe(false);
      expect(r.runs).toBeLessThanOrEqual(DEFAULT_EXPLORE_RUNS);
      const f = r.failure!;
      const shrunk = f.shrunk!.scenario;
      expect(sizeOf(shrunk).steps).toBeLessThanOrEqual(10);
      expect(shrunk.workload).toBeUndefined();
      expect(shrunk.nemesis).toBeUndefined();
      expect(shrunk.description).toContain(`check "${f.check}" fails`);
      expect(() => validateScenario(JSON.parse(JSON.stringify(shrunk)))).not.toThrow();
      const replay = await simulate(shrunk);
      const check = replay.summary.checks.find((x) => x.name === f.check)!;
      expect(check.ok).toBe(false);
      // No idle anti-entropy the failure does not need: kept only when, switched off, the check passes.
      if (shrunk.sync?.antiEntropyMs !== 0) {
        const off = await simulate({ ...shrunk, sync: { ...shrunk.sync, antiEntropyMs: 0 } });
        expect(off.summary.checks.find((x) => x.name === f.check)!.ok).toBe(true);
      }
    });
});

describe("explore catches every check canary by its check, and shrinks it to ≤ 10 steps", () => {
  for (const c of CHECK_CANARIES)
    it(`${c.file}: ${c.bug}`, async () => {
      const r = await explore(join(here, "canaries", c.file));
      expect(r.ok).toBe(false);
      expect(r.runs).toBeLessThanOrEqual(DEFAULT_EXPLORE_RUNS);
      const f = r.failure!;
      expect(f.check).toBe(c.check);
      const shrunk = f.shrunk!.scenario;
      expect(sizeOf(shrunk).steps).toBeLessThanOrEqual(10);
      const replay = await simulate(shrunk);
      expect(replay.summary.checks.filter((x) => !x.ok).map((x) => x.name)).toEqual([c.check]);
    });
});
