import { describe, expect, it } from "vitest";
import type { StateCrdt } from "../../core/contract.ts";
import { without } from "../../core/_test/without.ts";
import { resolveBuiltin } from "../../core/registry.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Scenario } from "../scenario/types.ts";
import { addingCounter, lastArrivalRegister, naiveCounter } from "./fixtures/broken-crdts.ts";
import { CHECK_NAMES } from "./index.ts";

function check(sc: Scenario, crdt: StateCrdt<any, unknown>, crdtName: string, seed = 1) {
  const { summary } = runSimulation(sc, crdt, { seed, trace: false, crdtName });
  // by(name): the run's check of that name; a run without it fails the test, naming what it had.
  const by = (name: string) => {
    const c = summary.checks.find((x) => x.name === name);
    if (c === undefined) throw new Error(`no check "${name}" in this run (it has ${summary.checks.map((x) => x.name).join(", ")})`);
    return c;
  };
  return { summary, by };
}

const stormy = (crdt: string): Scenario => ({
  name: "storm",
  nodes: ["a", "b", "c", "d", "e"],
  crdt,
  duration: 5000,
  network: { loss: 0.3, duplicate: 0.3, reorder: 0.2 },
  workload: { ratePerNode: 20 },
  nemesis: { partitions: { every: 1000, duration: [200, 800], shape: "random" } },
  steps: [
    { at: 2000, crash: "c" },
    { at: 2600, restart: "c" },
  ],
});

describe("correct builtins pass every applicable check under faults", () => {
  for (const name of ["g-counter", "pn-counter", "g-set", "2p-set", "or-set", "lww-register", "mv-register", "ew-flag"]) {
    it(name, () => {
      const crdt = resolveBuiltin(name);
      for (const seed of [1, 2, 3]) {
        const { summary } = check(stormy(name), crdt, name, seed);
        const failed = summary.checks.filter((c) => !c.ok);
        expect(failed, `seed ${seed}: ${JSON.stringify(failed)}`).toEqual([]);
        expect(summary.stats.delivered).toBeGreaterThan(100);
      }
    });
  }

  it("g-counter converges after heal under loss 0.3, duplication 0.3 and partitions, in delta and state mode", () => {
    for (const mode of ["delta", "state"] as const) {
      const { summary, by } = check({ ...stormy("g-counter"), sync: { mode } }, resolveBuiltin("g-counter"), "g-counter");
      expect(by("convergence").ok, by("convergence").detail).toBe(true);
      expect(by("counter-total").ok).toBe(true);
      expect(summary.stats.dropped).toBeGreaterThan(0);
      expect(summary.stats.duplicated).toBeGreaterThan(0);
      expect(summary.stats.convergedAtMs).not.toBeNull();
    }
  });
});

describe("broken CRDTs are caught", () => {
  it("a merge that adds: idempotence and convergence fail, naming the message", () => {
    const { summary, by } = check(without(stormy("adding-counter"), "nemesis"), addingCounter, "adding-counter");
    expect(summary.ok).toBe(false);
    expect(by("idempotence").ok).toBe(false);
    expect(by("idempotence").detail).toMatch(/^t=\d+ msg \d+ to \w+: applying it a second time/);
    expect(by("convergence").ok).toBe(false);
  });

  it("the naive read-modify-write counter converges but loses increments: counter-total fails", () => {
    const sc: Scenario = {
      name: "youtube-naive",
      nodes: ["eu", "us", "asia"],
      crdt: { module: "naive" },
      duration: 3000,
      network: { latency: { dist: "uniform", min: 20, max: 120 } },
      workload: { ratePerNode: 5, to: 2000 },
      expect: { checks: { "counter-total": false } },
    };
    const { summary, by } = check(sc, naiveCounter, "naive-counter");
    expect(by("convergence").ok).toBe(true);
    expect(by("counter-total").ok).toBe(false);
    expect(by("counter-total").detail).toMatch(/^t=\d+ after deliver msg \d+ at \w+: value \d+, but the \d+ updates it has applied total \d+/);
    expect(summary.ok).toBe(true); // the anomaly was expected
  });

  it("a last-arrival register: order-independence (and convergence) fail", () => {
    const sc: Scenario = { name: "lar", nodes: ["a", "b", "c"], crdt: "x", duration: 2000, workload: { ratePerNode: 10 } };
    const { by } = check(sc, lastArrivalRegister, "last-arrival-register");
    expect(by("idempotence").ok).toBe(true);
    expect(by("order-independence").ok).toBe(false);
    expect(by("order-independence").detail).toMatch(/replaying its \d+ inputs in a shuffled order/);
  });

  it("strong-convergence: equal update sets with different values are caught at the event", () => {
    // Values depend on arrival order although both replicas end up with the same updates.
    const sc: Scenario = {
      name: "sc",
      nodes: ["a", "b"],
      crdt: "x",
      duration: 1000,
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "constant", ms: 10 } },
      steps: [
        { at: 0, node: "a", op: "set", args: [1] },
        { at: 0, node: "b", op: "set", args: [2] },
      ],
    };
    const { by } = check(sc, lastArrivalRegister, "last-arrival-register");
    expect(by("strong-convergence").ok).toBe(false);
    expect(by("strong-convergence").detail).toMatch(/^t=10 after deliver msg \d+ at [ab]: [ab] and [ab] have applied the same 2 updates but show [12] and [12]/);
  });
});

describe("intent checks", () => {
  it("add-wins holds for the OR-Set with concurrent add and remove", () => {
    const sc: Scenario = {
      name: "aw",
      nodes: ["a", "b"],
      crdt: "or-set",
      duration: 1000,
      network: { latency: { dist: "constant", ms: 50 } },
      steps: [
        { at: 0, node: "a", op: "add", args: ["x"] },
        { at: 100, node: "b", op: "remove", args: ["x"] },
        { at: 100, node: "a", op: "add", args: ["x"] },
      ],
      expect: { value: ["x"] },
    };
    const { summary, by } = check(sc, resolveBuiltin("or-set"), "or-set");
    expect(by("add-wins").ok, by("add-wins").detail).toBe(true);
    expect(by("expected-value").ok).toBe(true);
    expect(summary.ok).toBe(true);
  });

  it("add-wins holds for the enable-wins flag: an enable concurrent with a disable leaves it set; a disable that saw every enable clears it", () => {
    const sc = (steps: NonNullable<Scenario["steps"]>, value: boolean): Scenario => ({
      name: "ew",
      nodes: ["a", "b"],
      crdt: "ew-flag",
      duration: 1000,
      network: { latency: { dist: "constant", ms: 50 } },
      steps,
      expect: { value },
    });
    const concurrent = check(
      sc(
        [
          { at: 0, node: "a", op: "enable", args: [] },
          { at: 100, node: "b", op: "disable", args: [] },
          { at: 100, node: "a", op: "enable", args: [] },
        ],
        true,
      ),
      resolveBuiltin("ew-flag"),
      "ew-flag",
    );
    expect(concurrent.by("add-wins").ok, concurrent.by("add-wins").detail).toBe(true);
    expect(concurrent.summary.ok).toBe(true);
    const seen = check(
      sc(
        [
          { at: 0, node: "a", op: "enable", args: [] },
          { at: 300, node: "b", op: "disable", args: [] },
        ],
        false,
      ),
      resolveBuiltin("ew-flag"),
      "ew-flag",
    );
    expect(seen.by("add-wins").ok, seen.by("add-wins").detail).toBe(true);
    expect(seen.summary.ok).toBe(true);
  });

  it("add-wins fails for a disable-wins flag (the MV-register-free flag with its rule reversed) when demanded", () => {
    const ew = resolveBuiltin("ew-flag");
    // Disable wins: the flag is set only while no disable exists at all.
    const disableWins = { ...ew, name: "dw-flag", value: (s: { disabled: Map<string, number> }) => ew.value(s) && s.disabled.size === 0 };
    const sc: Scenario = {
      name: "dw",
      nodes: ["a", "b"],
      crdt: "ew-flag",
      duration: 1000,
      network: { latency: { dist: "constant", ms: 50 } },
      steps: [
        { at: 0, node: "a", op: "enable", args: [] },
        { at: 300, node: "b", op: "disable", args: [] },
        { at: 300, node: "a", op: "enable", args: [] },
      ],
      expect: { checks: { "add-wins": false } },
    };
    const { summary, by } = check(sc, disableWins as typeof ew, "ew-flag");
    expect(by("add-wins").detail).toMatch(/"the flag" is missing, but its add at t=300 by a/);
    expect(summary.ok).toBe(true);
  });

  it("add-wins fails for the 2P-Set (remove wins) when demanded", () => {
    const sc: Scenario = {
      name: "2p",
      nodes: ["a", "b"],
      crdt: "2p-set",
      duration: 1000,
      steps: [
        { at: 0, node: "a", op: "add", args: ["x"] },
        { at: 200, node: "b", op: "remove", args: ["x"] },
        { at: 400, node: "a", op: "add", args: ["x"] },
      ],
      expect: { checks: { "add-wins": false } },
    };
    const { summary, by } = check(sc, resolveBuiltin("2p-set"), "2p-set");
    expect(by("add-wins").detail).toMatch(/"x" is missing, but its add at t=400 by a/);
    expect(summary.ok).toBe(true);
  });

  it("no-lost-writes catches LWW losing a causally later write to clock skew", () => {
    const sc: Scenario = {
      name: "lww-skew",
      nodes: ["alice", "bob"],
      crdt: { type: "lww-register", clock: "physical" },
      duration: 2000,
      clocks: { alice: { skew: 10_000 } },
      network: { latency: { dist: "constant", ms: 10 } },
      steps: [
        { at: 0, node: "alice", op: "set", args: ["old"] },
        { at: 500, node: "bob", op: "set", args: ["new"] },
      ],
    };
    const { by } = check(sc, resolveBuiltin({ type: "lww-register", clock: "physical" }), "lww-register");
    expect(by("no-lost-writes").ok).toBe(false);
    expect(by("no-lost-writes").detail).toMatch(
      /shows = "old" from alice's write alice:1 at t=0 \(alice's clock read 10000\).*bob's write bob:1 of "new" at t=500 \(bob's clock read 500\) happened after it/,
    );
    const hlc = check({ ...sc, crdt: { type: "lww-register", clock: "hlc" } }, resolveBuiltin({ type: "lww-register", clock: "hlc" }), "lww-register");
    expect(hlc.by("no-lost-writes").ok).toBe(true);
  });

  it("expected-value fails when a replica shows another value; unimplemented checks never pass silently", () => {
    const sc: Scenario = {
      name: "ev",
      nodes: ["a", "b"],
      crdt: "g-counter",
      duration: 500,
      steps: [{ at: 0, node: "a", op: "inc", args: [2] }],
      expect: { value: 3, checks: { "read-atomic": false } },
    };
    const { summary, by } = check(sc, resolveBuiltin("g-counter"), "g-counter");
    expect(by("expected-value")).toMatchObject({ ok: false, detail: "expected 3; a = 2; b = 2" });
    expect(by("read-atomic")).toMatchObject({ ok: true, expected: false, detail: expect.stringMatching(/not implemented/) });
    expect(summary.ok).toBe(false);
  });

  it("CHECK_NAMES is the contract's list", () => {
    expect(CHECK_NAMES).toContain("strong-convergence");
    expect(CHECK_NAMES).toContain("add-wins");
  });
});
