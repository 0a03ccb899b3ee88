/**
 * The library API (docs/library-api.md). The page's own example is examples/shopping-cart.test.ts,
 * run by cli/manual-examples.test.ts.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ScenarioError, simulate } from "memoconductor/sim";

describe("simulate", () => {
  it("rejects an invalid scenario with a ScenarioError naming the field", async () => {
    const bad = { name: "x", nodes: ["a"], crdt: "g-counter", duration: 10, steps: [{ at: 1, node: "b", op: "inc", args: [1] }] };
    const err = await simulate(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).path).toBe("steps[0].node");
  });

  it("runs a scenario file, resolving its plugin relative to the file", async () => {
    const file = fileURLToPath(new URL("../../scenarios/youtube-view-counter-naive.json", import.meta.url));
    const { summary } = await simulate(file, { trace: false });
    expect(summary.crdt).toBe("naive-counter");
  });

  it("is deterministic: the same seed gives the same traceHash, with or without the trace", async () => {
    const file = fileURLToPath(new URL("../../scenarios/cap-partition.json", import.meta.url));
    const a = await simulate(file, { seed: 7 });
    const b = await simulate(file, { seed: 7, trace: false });
    expect(b.summary.traceHash).toBe(a.summary.traceHash);
    expect(b.trace).toBeUndefined();
    expect(a.trace?.length).toBeGreaterThan(0);
  });
});
