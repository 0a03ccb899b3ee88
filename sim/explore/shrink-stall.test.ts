/**
 * Where the shrinker stalled, and what its second phase takes away. explore's seed 8 on the Yjs
 * adapter that claims no interleaving shrank to 22 steps on 7 nodes (fixtures/
 * yjs-no-interleaving-seed8-stalled.json), where five steps on two nodes show the bug by hand
 * (scenarios/plugins/fixtures/yjs-tombstone-interleaving.json). The first phase removes aligned
 * chunks and single steps; here every one of those loses the failure, and so does every other
 * seed: it needs the losses the run's seeded loss stream draws in send order, and removing a
 * step re-draws the fate of every later message. A window of two neighbouring steps that
 * straddles a chunk boundary keeps it, so the second phase (shrink.ts) goes on from there.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Scenario } from "../scenario/types.ts";
import { mergeNode, withoutOpsOf, withoutWindow } from "./shrink-moves.ts";
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
});
