import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLaws, explore, simulate } from "memoconductor/sim";
import myCounter from "./my-counter.ts";

const plugin = fileURLToPath(new URL("./my-counter.ts", import.meta.url));

describe("my-counter", () => {
  it("obeys the CRDT laws", () => {
    const result = checkLaws(myCounter, { runs: 200 });
    expect(result.failure).toBeUndefined();
  });

  it("survives random fault schedules (swarm exploration)", async () => {
    const result = await explore(plugin, { runs: 100 });
    // On failure, result.failure.shrunk.scenario is a minimal scenario that reproduces it.
    expect(result.failure?.shrunk?.scenario).toBeUndefined();
  });

  it("counts every increment across a partition", async () => {
    const run = await simulate({
      name: "my-counter-partition",
      nodes: ["a", "b", "c"],
      crdt: { module: plugin },
      steps: [
        { at: 0, partition: [["a"], ["b", "c"]] },
        { at: 10, node: "a", op: "inc", args: [2] },
        { at: 20, node: "b", op: "inc", args: [3] },
        { at: 500, heal: true },
      ],
      duration: 1000,
      expect: { value: 5 },
    });
    expect(run.summary.ok).toBe(true);
  });
});
