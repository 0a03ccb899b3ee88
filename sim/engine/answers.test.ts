import { describe, expect, it } from "vitest";
import type { StateCrdt } from "../../core/contract.ts";
import { checkLaws } from "../laws/check-laws.ts";
import { explore } from "../explore/explore.ts";
import { ANSWER_INCLUDES_LAW, ANSWER_LAW } from "../laws/evaluate.ts";
import type { Scenario } from "../scenario/types.ts";
import { leakyRelayingGSet, partialRelayingGSet, relayingGSet } from "./fixtures/relaying-g-set.ts";
import { runSimulation } from "./run-simulation.ts";

// a cannot reach c; b reaches both. No anti-entropy: nothing but an answer repairs c.
const bridge: Scenario = {
  name: "bridge",
  nodes: ["a", "b", "c"],
  crdt: { module: "relaying-g-set.ts" },
  sync: { mode: "delta", antiEntropyMs: 0 },
  network: { latency: { dist: "constant", ms: 10 } },
  steps: [
    { at: 0, cut: [["a", "c"]] },
    { at: 100, node: "a", op: "add", args: ["x"] },
  ],
  duration: 1000,
};
// The same set with a merge that does not answer.
const { answers: _, ...rest } = relayingGSet;
const plain: StateCrdt<string[], string[]> = { ...rest, name: "plain-g-set", merge: (a: string[], b: string[]) => relayingGSet.merge(a, b).state };
const run = (sc: Scenario, crdt: unknown) => runSimulation(sc, crdt as StateCrdt, { seed: 1, trace: true, crdtName: "relaying-g-set" });
const check = (r: ReturnType<typeof run>, name: string) => r.summary.checks.find((c) => c.name === name)!;

describe("a merge that answers", () => {
  it("without answers, the add never crosses the cut link: convergence is flagged", () => {
    const r = run(bridge, plain);
    expect(check(r, "convergence").ok).toBe(false);
    expect(r.summary.final).toEqual({ a: ["x"], b: ["x"], c: [] });
    expect(r.summary.stats.answers).toBeUndefined();
  });

  it("b's merge answers with what it learned; the answer reaches c through the network, traced and counted", () => {
    const r = run(bridge, relayingGSet);
    expect(r.summary.ok).toBe(true);
    expect(r.summary.final).toEqual({ a: ["x"], b: ["x"], c: ["x"] });
    // b learned x: it answers a and c; c learned x from that and answers a and b; nobody learns more.
    expect(r.summary.stats.answers).toBe(4);
    const lines = r.trace!.map((l) => JSON.parse(l) as { type: string; from?: string; to?: string; msg?: number; t: number });
    const answerSends = lines.filter((e) => e.type === "send" && e.from === "b");
    expect(answerSends.map((e) => [e.to, e.t])).toEqual([
      ["a", 110],
      ["c", 110],
    ]);
    expect(lines.some((e) => e.type === "deliver" && e.to === "c" && e.msg === answerSends[1]!.msg)).toBe(true);
    expect(r.summary.stats.sent).toBe(2 + 4);
  });

  it("an answer meets faults like any message: with b's link to c cut too, c stays empty", () => {
    const r = run(
      {
        ...bridge,
        steps: [
          {
            at: 0,
            cut: [
              ["a", "c"],
              ["b", "c"],
            ],
          },
          bridge.steps![1]!,
        ],
      },
      relayingGSet,
    );
    expect(check(r, "convergence").ok).toBe(false);
    expect(r.summary.final.c).toEqual([]);
    expect(r.summary.stats.answers).toBe(2);
    expect(r.summary.stats.dropped).toBeGreaterThanOrEqual(2);
  });

  it("is refused in op mode, whose causal layer sends only numbered ops", () => {
    expect(() => run({ ...bridge, sync: { mode: "op" } }, relayingGSet)).toThrow(/answers.*op mode/);
  });

  it("laws: an answer must be a delta of its sender (the relaying set passes, one that answers what it never merged fails)", () => {
    const good = checkLaws(relayingGSet, { runs: 100 });
    expect(good.ok).toBe(true);
    expect(good.laws).toContain(ANSWER_LAW);
    const bad = checkLaws(leakyRelayingGSet, { runs: 100 });
    expect(bad.failure?.law).toBe(ANSWER_LAW);
  });

  it("laws: an answer must include what it answers; passing on part of a full state makes receivers claim updates they lack", () => {
    expect(checkLaws(partialRelayingGSet, { runs: 100 }).failure?.law).toBe(ANSWER_INCLUDES_LAW);
    // What that does in a run (explore's seed 27, shrunk): state mode, n5 and n1 add, n4 passes on only x.
    const sc: Scenario = {
      name: "partial-answer",
      nodes: ["n1", "n3", "n4", "n5"],
      crdt: { module: "relaying-g-set.ts" },
      duration: 10,
      sync: { mode: "state", antiEntropyMs: 0 },
      network: { latency: { dist: "exponential", mean: 40 } },
      steps: [
        { at: 0, node: "n5", op: "add", args: ["y"] },
        { at: 10, node: "n1", op: "add", args: ["x"] },
      ],
    };
    const runAt27 = (crdt: unknown) => runSimulation(sc, crdt as StateCrdt, { seed: 27, trace: false, crdtName: "relaying-g-set" });
    expect(check(runAt27(partialRelayingGSet), "strong-convergence").ok).toBe(false);
    expect(runAt27(relayingGSet).summary.ok).toBe(true);
  });

  it("explore: swarm scenarios (delta and state modes, every fault) find nothing wrong with a relaying set that keeps the contract", async () => {
    const r = await explore(relayingGSet, { runs: 60 });
    expect(r.failure?.detail).toBeUndefined();
  }, 60_000);

  it("what merges into copies answer (the checks re-apply and replay messages) is never sent", () => {
    type C = { xs: string[]; copy?: true };
    // Answers only when merging into a copy: anything sent would be a check's answer.
    const copyAnswerer = {
      ...relayingGSet,
      init: () => ({ xs: [] }),
      update: (s: C, op: { args: unknown[] }) => ({ state: { ...s, xs: [...s.xs, String(op.args[0])] }, delta: { xs: [String(op.args[0])] } }),
      merge: (a: C, b: C) => ({ state: { ...a, xs: [...new Set([...a.xs, ...b.xs])].sort() }, send: a.copy ? [{ xs: ["from a copy"] }] : [] }),
      value: (s: C) => s.xs,
      clone: (s: C): C => ({ xs: [...s.xs], copy: true }),
    };
    const r = run({ ...bridge, steps: [bridge.steps![1]!] }, copyAnswerer);
    expect(r.summary.checks.find((c) => c.name === "idempotence")!.detail).toMatch(/checked all [1-9]/);
    expect(r.summary.stats.answers).toBe(0);
    expect(r.summary.final.c).toEqual(["x"]);
  });
});
