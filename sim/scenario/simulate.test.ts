/**
 * The library API as the README shows it (section "Library API"): the first test is the README
 * example verbatim, so the documentation cannot rot.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ScenarioError, simulate } from "memoconductor/sim";

// --- README example: begin ---
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
// --- README example: end ---

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
