/**
 * Where the shrinker stalled, and what gets it going. explore's seed 8 on the Yjs adapter that
 * claims no interleaving shrank to 22 steps on 7 nodes (fixtures/
 * yjs-no-interleaving-seed8-stalled.json), where five steps on two nodes show the bug by hand
 * (scenarios/plugins/fixtures/yjs-tombstone-interleaving.json). With the losses drawn from the
 * run's seeded loss stream in send order, every single step removed, every aligned pair and
 * every other seed loses the failure: removing a step re-draws the fate of every later message.
 * Frozen (freeze.ts: the drawn losses named in `network.fates`, by link and instant), the same
 * run fails the same way and the shrinker takes it down to a handful of steps.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../scenario/types.ts";
import { frozenScenario } from "./freeze.ts";
import { shrink, sizeOf } from "./shrink.ts";
import { mergeNode, timeMoves, withoutNode, withoutOpsOf, withoutWindow } from "./shrink-moves.ts";
import { resolveTarget, targetRef } from "./target.ts";
import { judge, sameFailure, signatureOf } from "./verdict.ts";

const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, "fixtures", "yjs-no-interleaving-seed8-stalled.json");
const stalled = JSON.parse(readFileSync(file, "utf8")) as Scenario;
const module = join(here, "fixtures", (stalled.crdt as { module: string }).module);

describe("the shrinker on a specimen it stalled on", () => {
  it("Yjs seed 8 at 22 steps: no single step, aligned pair or other seed keeps the failure; a window across a chunk boundary does", async () => {
    const { crdt } = await resolveTarget(targetRef(module));
    const sc: Scenario = { ...stalled, crdt: { module } };
    const base = judge(sc, crdt, crdt.name).verdict;
    const signature = signatureOf(base, "no-interleaving");
    expect(signature).toMatch(/typed concurrently at the same place/);
    const keeps = (c: Scenario | null) => c !== null && sameFailure(judge(c, crdt, crdt.name).verdict, "no-interleaving", signature);
    const n = sc.steps!.length;
    expect(n).toBe(22);
    for (let i = 0; i < n; i++) expect(keeps(withoutWindow(sc, i, 1)), `without step ${i}`).toBe(false);
    for (let i = 0; i + 2 <= n; i += 2) expect(keeps(withoutWindow(sc, i, 2)), `without steps ${i}, ${i + 1}`).toBe(false);
    for (const seed of [1, 2, 3, 4, 5]) expect(keeps({ ...sc, seed }), `seed ${seed}`).toBe(false);
    expect(keeps(withoutWindow(sc, 19, 2))).toBe(true);
  }, 120_000);

  it("frozen, the same run fails the same way, and the shrinker takes 22 steps on 7 nodes to a handful", async () => {
    const { crdt } = await resolveTarget(targetRef(module));
    const sc: Scenario = { ...stalled, crdt: { module } };
    const drawn = judge(sc, crdt, crdt.name, true);
    const frozen = frozenScenario(sc, drawn.run!.trace!)!;
    expect(frozen.network).toEqual({ latency: { dist: "constant", ms: 19 }, fates: { lost: expect.any(Array) } });
    const replay = judge(frozen, crdt, crdt.name, true);
    expect(replay.run!.summary.traceHash).toBe(drawn.run!.summary.traceHash);
    expect(replay.verdict.signatures).toEqual(drawn.verdict.signatures);

    const r = shrink(sc, crdt, crdt.name, "no-interleaving");
    const size = sizeOf(r.scenario);
    // Drawn, it stalled at 20 steps on 7 nodes after 372 runs; frozen: 7 steps on 3 nodes, 2 messages lost.
    expect(size.steps, JSON.stringify(r.scenario)).toBeLessThanOrEqual(8);
    expect(size.nodes).toBeLessThanOrEqual(4);
    expect(size.fates).toBeLessThanOrEqual(3);
    expect(r.scenario.network).not.toHaveProperty("loss");
    expect(sameFailure(judge(r.scenario, crdt, crdt.name).verdict, "no-interleaving", signatureOf(drawn.verdict, "no-interleaving"))).toBe(true);
  }, 240_000);

  it("the second phase's moves: a node merged into another keeps its ops, one node's ops dropped keeps the node, windows at any offset", () => {
    const sc: Scenario = {
      name: "moves",
      nodes: ["a", "b", "c"],
      crdt: "g-counter",
      duration: 100,
      steps: [
        { at: 0, partition: [["a", "b"], ["c"]] },
        { at: 10, node: "b", op: "inc", args: [1] },
        { at: 20, node: "c", op: "inc", args: [2] },
        { at: 30, crash: "b" },
      ],
    };
    expect(mergeNode(sc, "b", "a")).toEqual({
      ...sc,
      nodes: ["a", "c"],
      steps: [{ at: 0, partition: [["a"], ["c"]] }, { at: 10, node: "a", op: "inc", args: [1] }, sc.steps![2]],
    });
    expect(mergeNode(sc, "b", "b")).toBeNull();
    expect(withoutOpsOf(sc, "c")).toEqual({ ...sc, steps: [sc.steps![0], sc.steps![1], sc.steps![3]] });
    expect(withoutOpsOf(sc, "a")).toBeNull();
    expect(withoutWindow(sc, 1, 2)!.steps).toEqual([sc.steps![0], sc.steps![3]]);
    expect(withoutWindow(sc, 3, 2)).toBeNull();
  });

  it("named message fates follow the moves: a node's go with it, merged ones are sent by the node kept, moved times carry them", () => {
    const sc: Scenario = {
      name: "fate-moves",
      nodes: ["a", "b", "c"],
      crdt: "g-counter",
      duration: 100,
      network: {
        fates: {
          lost: [
            { from: "b", to: "c", at: 10 },
            { from: "b", to: "a", at: 10 },
            { from: "a", to: "c", at: 20 },
          ],
        },
      },
      steps: [
        { at: 10, node: "b", op: "inc", args: [1] },
        { at: 20, node: "a", op: "inc", args: [2] },
      ],
    };
    expect(withoutNode(sc, "c")!.network).toEqual({ fates: { lost: [{ from: "b", to: "a", at: 10 }] } });
    expect(withoutNode(sc, "a")!.network).toEqual({ fates: { lost: [{ from: "b", to: "c", at: 10 }] } });
    expect(withoutNode({ ...sc, network: { fates: { lost: [{ from: "a", to: "c", at: 20 }] } } }, "c")!.network).toEqual({});
    expect(mergeNode(sc, "b", "a")!.network).toEqual({
      fates: {
        lost: [
          { from: "a", to: "c", at: 10 },
          { from: "a", to: "c", at: 20 },
        ],
      },
    });
    const denser = timeMoves(sc).find((c) => c.steps![1]!.at === 1)!;
    expect(denser.network!.fates!.lost!.map((r) => r.at)).toEqual([0, 0, 1]);
  });
});
