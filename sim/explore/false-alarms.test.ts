/**
 * Correct CRDTs are never flagged. The test suite sweeps FALSE_ALARM_RUNS seeds per builtin
 * (kept small for the suite's time budget); the benchmark (bench/suites/explore.ts) sweeps
 * 1,000 seeds per builtin and records the false alarms in reports/bench/bench.json.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { StateCrdt } from "../../core/contract.ts";
import { crdts, opCrdts, resolveAnyBuiltin } from "../../core/registry.ts";
import { amnesiacMap } from "../checkers/fixtures/broken-crdts.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Scenario } from "../scenario/types.ts";
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

describe("fixed checker false alarms (found and shrunk by explore), pinned as regressions", () => {
  const fixture = fileURLToPath(new URL("./fixtures/lww-map-delete-durability.json", import.meta.url));

  it("durability: an LWW-Map write rightly removed by a concurrent delete is not a lost write", async () => {
    const run = await simulate(fixture);
    expect(run.summary.checks.find((c) => c.name === "durability")).toMatchObject({ ok: true });
    expect(run.summary.ok).toBe(true);
  });

  it("durability still catches an acknowledged LWW-Map write that the writer's crash lost (canary)", () => {
    // The fixture without the delete, the writer crashing, and a map that never logs its writes.
    const sc = JSON.parse(readFileSync(fixture, "utf8")) as Scenario;
    sc.steps = [sc.steps![0]!, { at: 1, crash: "n1" }, { at: 2, restart: "n1" }];
    const crdt = amnesiacMap(resolveAnyBuiltin("lww-map") as StateCrdt<any, unknown>);
    const run = runSimulation(sc, crdt, { seed: 1, trace: false, crdtName: "lww-map" });
    const durability = run.summary.checks.find((c) => c.name === "durability")!;
    expect(durability.ok).toBe(false);
    expect(durability.detail).toMatch(/a = 0 \(n1:1 set \["a",0\] acknowledged at t=0\) is not reflected at n1, which shows nothing/);
    // Every replica agrees on the empty map: only durability can see the loss.
    expect(run.summary.checks.find((c) => c.name === "convergence")).toMatchObject({ ok: true });
  });
});
