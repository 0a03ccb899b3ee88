/**
 * Correct CRDTs are never flagged. The test suite sweeps FALSE_ALARM_RUNS seeds per builtin
 * (kept small for the suite's time budget); the benchmark (bench/suites/explore.ts) sweeps
 * 1,000 seeds per builtin and records the false alarms in reports/bench/bench.json.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { crdts, opCrdts } from "../../core/registry.ts";
import { simulate } from "../index.ts";
import { explore } from "./explore.ts";
import { KNOWN_CHECKER_FALSE_ALARMS } from "./known-false-alarms.ts";

export const FALSE_ALARM_RUNS = 100;

describe(`no false alarms on the builtins (${FALSE_ALARM_RUNS} swarm seeds each)`, () => {
  for (const name of [...Object.keys(crdts), ...Object.keys(opCrdts)])
    it(name, async () => {
      const r = await explore(name, { runs: FALSE_ALARM_RUNS, shrink: false, ignore: KNOWN_CHECKER_FALSE_ALARMS[name] ?? [] });
      expect(r.failure ? `seed ${r.failure.seed}: ${r.failure.failed.join(", ")}: ${r.failure.detail}` : "").toBe("");
      expect(r.runs).toBe(FALSE_ALARM_RUNS);
    });
});

describe("known checker false alarm (found and shrunk by explore)", () => {
  it("durability counts only `set` as a rival write of an LWW-Map key, so a concurrent `delete` that rightly won reads as a lost write", async () => {
    const run = await simulate(fileURLToPath(new URL("./fixtures/lww-map-delete-durability.json", import.meta.url)));
    const durability = run.summary.checks.find((c) => c.name === "durability")!;
    // When this fails, the checker is fixed: drop "lww-map" from KNOWN_CHECKER_FALSE_ALARMS.
    expect(durability.ok).toBe(false);
    expect(run.summary.checks.filter((c) => c.name !== "durability").every((c) => c.ok)).toBe(true);
  });
});
