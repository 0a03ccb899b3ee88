// From a failing cluster run to the simulator: the schedule as scripted steps is simulated, and
// the verdict says whether the simulator fails the same checks.
import { describe, expect, it } from "vitest";
import { prepareScenario, type Scenario } from "../sim/index.ts";
import { planRun, scenarioOfPlan, simulateSchedule } from "./index.ts";

const scenario: Scenario = {
  name: "repro",
  nodes: ["a", "b"],
  crdt: "g-set",
  steps: [
    { at: 0, node: "a", op: "add", args: ["x"] },
    { at: 100, crash: "b" },
    { at: 200, restart: "b" },
  ],
  duration: 500,
  expect: { value: ["y"] },
};

describe("simulateSchedule", () => {
  it("says the simulator reproduces a failure it fails too, and not one it passes", async () => {
    const { crdt } = await prepareScenario(scenario, { limits: {} });
    const repro = scenarioOfPlan(scenario, planRun(scenario, 1, crdt.ops));
    const wrongValue = { name: "expected-value", ok: false, expected: true, detail: 'a shows ["x"]' };
    expect(await simulateSchedule(repro, [wrongValue])).toMatchObject({ reproduced: true });
    const lost = { name: "durability", ok: false, expected: true, detail: 'b: "x" is missing' };
    const verdict = await simulateSchedule(repro, [lost]);
    expect(verdict.reproduced).toBe(false);
    expect(verdict.note).toMatch(/does not reproduce it: .* fails only expected-value, where the real run failed durability/);
  });
});
