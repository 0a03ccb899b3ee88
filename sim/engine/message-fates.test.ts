/**
 * `network.fates`: messages named by link, instant of the send and rank in that instant, lost or
 * delivered twice whatever the seed; and the freeze (sim/explore/freeze.ts) that names a run's
 * drawn fates replays that run exactly — the same trace, the same traceHash — while a step taken
 * away no longer re-draws the fate of every later message.
 */
import { describe, expect, it } from "vitest";
import { frozenScenario, prunedScenario, readFates } from "../explore/freeze.ts";
import type { Scenario } from "../scenario/types.ts";
import { simulate } from "../simulate.ts";

type Line = { t: number; type: string; msg?: number; from?: string; to?: string; of?: number; reason?: string };
const events = (trace: readonly string[] | undefined) => (trace ?? []).map((l) => JSON.parse(l) as Line);

// alice sends two deltas to bob and carol at 0 (two ops in one instant), one more at 30.
const base: Scenario = {
  name: "fates",
  nodes: ["alice", "bob", "carol"],
  crdt: "g-counter",
  sync: { antiEntropyMs: 0 },
  network: { latency: { dist: "constant", ms: 10 } },
  steps: [
    { at: 0, node: "alice", op: "inc", args: [1] },
    { at: 0, node: "alice", op: "inc", args: [2] },
    { at: 30, node: "alice", op: "inc", args: [4] },
  ],
  duration: 100,
};

describe("named message fates", () => {
  it("lose and duplicate exactly the messages named (link, instant, nth), whatever the seed", async () => {
    for (const seed of [1, 2, 3]) {
      const sc: Scenario = {
        ...base,
        seed,
        network: {
          ...base.network,
          fates: { lost: [{ from: "alice", to: "bob", at: 0, nth: 1 }], duplicated: [{ from: "alice", to: "carol", at: 30 }] },
        },
      };
      const run = await simulate(sc);
      const ev = events(run.trace);
      const sends = ev.filter((e) => e.type === "send");
      const toBob = sends.filter((e) => e.to === "bob");
      const lost = ev.filter((e) => e.type === "drop").map((e) => e.msg);
      expect(lost, `seed ${seed}`).toEqual([toBob[1]!.msg]);
      const dups = ev.filter((e) => e.type === "duplicate");
      expect(dups).toHaveLength(1);
      expect(sends.find((e) => e.msg === dups[0]!.of)).toMatchObject({ t: 30, to: "carol" });
      // Before the final phase's anti-entropy, bob got two of alice's three deltas, carol four messages.
      const delivered = (to: string) => ev.filter((e) => e.type === "deliver" && e.to === to && e.t <= 100).length;
      expect([delivered("bob"), delivered("carol")]).toEqual([2, 4]);
    }
  });

  it("a scenario without fates runs as before: loss drawn from the seeded stream", async () => {
    const sc: Scenario = { ...base, network: { ...base.network, loss: 0.5 } };
    const a = await simulate(sc);
    const b = await simulate({ ...sc, network: { ...sc.network, fates: {} } });
    expect(b.summary.traceHash).toBe(a.summary.traceHash);
  });

  it("a frozen run replays identically (trace and traceHash), and keeps a fate when an earlier step goes", async () => {
    const sc: Scenario = { ...base, sync: { antiEntropyMs: 20 }, network: { latency: { dist: "uniform", min: 1, max: 30 }, loss: 0.4, duplicate: 0.3 }, seed: 7 };
    const drawn = await simulate(sc);
    const frozen = frozenScenario(sc, drawn.trace!)!;
    expect(frozen.network).not.toHaveProperty("loss");
    expect(frozen.network).not.toHaveProperty("duplicate");
    expect(frozen.network!.fates!.lost!.length).toBeGreaterThan(3);
    expect(frozen.network!.fates!.duplicated!.length).toBeGreaterThan(1);
    const replay = await simulate(JSON.parse(JSON.stringify(frozen)) as Scenario);
    expect(replay.trace).toEqual(drawn.trace);
    expect(replay.summary.traceHash).toBe(drawn.summary.traceHash);
    // Pruning a frozen scenario's fates to those its run meets changes nothing either.
    const pruned = prunedScenario(frozen, replay.trace!);
    expect((await simulate(pruned)).summary.traceHash).toBe(drawn.summary.traceHash);

    // The last op's broadcast (at 30) keeps its fate when the first op goes; drawn, it need not.
    const fateAt30 = (trace: readonly string[]) =>
      readFates(trace)
        .lost.filter((r) => r.at === 30)
        .map((r) => r.to);
    const without = (s: Scenario): Scenario => ({ ...s, steps: s.steps!.slice(1) });
    expect(fateAt30((await simulate(without(frozen))).trace!)).toEqual(fateAt30(drawn.trace!));
  });
});
