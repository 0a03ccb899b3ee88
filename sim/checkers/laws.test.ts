import { beforeAll, describe, expect, it } from "vitest";
import { resolveBuiltin } from "../../core/registry.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Scenario } from "../scenario/types.ts";
import { lastArrivalRegister } from "./fixtures/broken-crdts.ts";
import { loadLawsCheck } from "./laws.ts";

const named = (crdt: string, laws: boolean): Scenario => ({
  name: "laws",
  nodes: ["a", "b"],
  crdt,
  duration: 100,
  expect: { checks: { laws } },
});

describe('the "laws" check of a scenario', () => {
  // runSimulation is synchronous; the loader (prepareScenario) loads the law checker, this test bypasses it.
  beforeAll(loadLawsCheck);

  it("holds for a builtin and passes the run", () => {
    const { summary } = runSimulation(named("or-set", true), resolveBuiltin("or-set"), { seed: 3, trace: false, crdtName: "or-set" });
    expect(summary.checks.find((c) => c.name === "laws")).toMatchObject({ ok: true, expected: true });
    expect(summary.ok).toBe(true);
  });

  it("catches a merge that is not commutative, naming the law and the seed that replays it", () => {
    const { summary } = runSimulation(named("last-arrival", true), lastArrivalRegister, { seed: 3, trace: false, crdtName: "last-arrival" });
    const laws = summary.checks.find((c) => c.name === "laws")!;
    expect(laws).toMatchObject({ ok: false, expected: true });
    expect(laws.detail).toMatch(/^merge is \w+ fails after .* --seed \d+ --runs 100/);
    expect(summary.ok).toBe(false);
  });

  it("runs only when named", () => {
    const sc: Scenario = { name: "x", nodes: ["a", "b"], crdt: "or-set", duration: 100 };
    const { summary } = runSimulation(sc, resolveBuiltin("or-set"), { seed: 1, trace: false, crdtName: "or-set" });
    expect(summary.checks.map((c) => c.name)).not.toContain("laws");
  });
});
