import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import type { Scenario } from "../scenario/types.ts";

// Scripted writes, fixed latency, no faults: nothing but the plugin's ctx.random() depends on the seed.
const scenario: Scenario = {
  name: "ambient-ids",
  nodes: ["a", "b", "c"],
  crdt: { module: "./fixtures/ambient-id-register.ts" },
  network: { latency: { dist: "constant", ms: 10 } },
  steps: [
    { at: 100, node: "a", op: "set", args: ["x"] },
    { at: 100, node: "b", op: "set", args: ["y"] },
    { at: 300, node: "c", op: "set", args: ["z"] },
  ],
  duration: 1000,
};
const baseDir = fileURLToPath(new URL(".", import.meta.url));
const run = (seed: number) => simulate(scenario, { seed, baseDir });

describe("a plugin's ctx.random() and ctx.now()", () => {
  it("the same seed replays the same ids: equal traceHash and trace", async () => {
    const [x, y] = [await run(1), await run(1)];
    expect(x.summary.ok).toBe(true);
    expect(y.summary.traceHash).toBe(x.summary.traceHash);
    expect(y.trace).toEqual(x.trace);
  });

  it("another seed draws other ids (the only thing that differs here), so another hash", async () => {
    const [x, y] = [await run(1), await run(2)];
    expect(y.summary.traceHash).not.toBe(x.summary.traceHash);
    // Same winner (a's and b's writes tie on time; c's is later), different client id.
    const [vx, vy] = [x.summary.final.a as string, y.summary.final.a as string];
    expect(vx.split("@")[0]).toBe("z");
    expect(vy.split("@")[0]).toBe("z");
    expect(vy).not.toBe(vx);
  });

  it("now() is the node's clock: a skewed node's write wins over a later one", async () => {
    const skewed = await simulate({ ...scenario, clocks: { a: { skew: 5000 } } }, { seed: 1, baseDir });
    expect((skewed.summary.final.c as string).split("@")[0]).toBe("x");
  });
});
