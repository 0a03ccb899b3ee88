import { describe, expect, it } from "vitest";
import { simulate } from "memoconductor/sim";

describe("shopping cart", () => {
  it("converges under a partition, loss and duplication", async () => {
    const { summary } = await simulate(
      {
        name: "cart",
        nodes: ["alice", "bob", "carol"],
        crdt: "or-set",
        network: { loss: 0.2, duplicate: 0.1 },
        steps: [
          { at: 0, node: "alice", op: "add", args: ["milk"] },
          { at: 100, partition: [["alice"], ["bob", "carol"]] },
          { at: 200, node: "bob", op: "add", args: ["eggs"] },
          { at: 300, node: "alice", op: "remove", args: ["milk"] },
          { at: 800, heal: true },
        ],
        duration: 1000,
      },
      { seed: 42 },
    );
    expect(summary.ok).toBe(true);
    expect(summary.checks.find((c) => c.name === "convergence")?.ok).toBe(true);
    expect(Object.values(summary.final)).toEqual([["eggs"], ["eggs"], ["eggs"]]);
  });
});
