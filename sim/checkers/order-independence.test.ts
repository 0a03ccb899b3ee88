import { describe, expect, it } from "vitest";
import { resolveBuiltin } from "../../core/registry.ts";
import type { Replica } from "../engine/replica.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { Rng } from "../rng.ts";
import type { Scenario } from "../scenario/types.ts";
import { lastArrivalRegister } from "./fixtures/broken-crdts.ts";
import { FIRST, OrderIndependence, SPREAD, stateReplayer, WINDOW, type Replayer } from "./order-independence.ts";

/** A replica as the checker sees it: a summing state whose shown value the test can falsify. */
function fakeReplica(name: string) {
  const r = { index: 0, name, state: 0, lie: 0, knowledge: { contig: [0] }, valueKey: () => r.state + r.lie, valueJson: () => String(r.state + r.lie) };
  return r;
}

/** Sums its inputs: every order gives the same total, so only a replica that lies fails. */
const summing: Replayer = stateReplayer(
  { kind: "state", name: "sum", ops: [], init: () => 0, update: (s: number) => ({ state: s, delta: 0 }), merge: (a: number, b: number) => a + b, value: (s: number) => s },
  (s: number) => s,
);

/** Feeds `count` inputs of 1 to the fake replica at t = 0, 1, 2, … from `t0`. */
function feed(ck: OrderIndependence, r: ReturnType<typeof fakeReplica>, count: number, t0 = 0): void {
  for (let i = 0; i < count; i++) {
    ck.before(r as unknown as Replica, t0 + i);
    r.state += 1;
    ck.record(r as unknown as Replica, 1);
  }
}

function windowsOf(detail: string): { replayed: number; windows: number } {
  const m = /replayed (\d+) inputs in (\d+) windows/.exec(detail);
  expect(m, detail).not.toBeNull();
  return { replayed: Number(m![1]), windows: Number(m![2]) };
}

describe("order-independence in windows", () => {
  it("a small run is one window from the initial state, replayed in full at the end", () => {
    const r = fakeReplica("a");
    const ck = new OrderIndependence(summing, [r as unknown as Replica], new Rng("t", 1));
    feed(ck, r, WINDOW - 1);
    const res = ck.result([r as unknown as Replica], true);
    expect(res.ok).toBe(true);
    expect(res.detail).toBe(`replayed every replica's ${WINDOW - 1} inputs in total from init in seeded shuffled orders`);
  });

  it("checks the first windows one after another, then a seeded sample, and keeps nothing in between", () => {
    const r = fakeReplica("a");
    const ck = new OrderIndependence(summing, [r as unknown as Replica], new Rng("t", 1));
    const total = 200 * WINDOW;
    feed(ck, r, total);
    const res = ck.result([r as unknown as Replica], true);
    expect(res.ok, res.detail).toBe(true);
    const { replayed, windows } = windowsOf(res.detail);
    // FIRST back to back, then about one in SPREAD of the rest, plus the open one at the end.
    const sampled = (total / WINDOW - FIRST) / SPREAD;
    expect(windows).toBeGreaterThan(FIRST + sampled / 2);
    expect(windows).toBeLessThan(FIRST + sampled * 2);
    expect(replayed).toBeLessThan(total / 3);
    expect(replayed).toBeGreaterThanOrEqual(FIRST * WINDOW);
  });

  it("a window that does not replay to the shown value fails where it closed, naming time and node", () => {
    const r = fakeReplica("bob");
    const ck = new OrderIndependence(summing, [r as unknown as Replica], new Rng("t", 1));
    feed(ck, r, WINDOW + 10);
    r.lie = 1; // from now on bob shows one more than it applied
    feed(ck, r, WINDOW, WINDOW + 10);
    const res = ck.result([r as unknown as Replica], true);
    expect(res.ok).toBe(false);
    expect(res.at).toEqual({ t: 2 * WINDOW, node: "bob" });
    expect(res.detail).toMatch(
      new RegExp(`^bob: replaying its ${WINDOW} inputs in a shuffled order from its snapshot at t=${WINDOW} gives \\d+, but at t=${2 * WINDOW} it showed \\d+`),
    );
  });

  it("records the whole final phase, so a wrong end state is caught even between sampled windows", () => {
    for (const final of [false, true]) {
      const r = fakeReplica("a");
      const ck = new OrderIndependence(summing, [r as unknown as Replica], new Rng("t", 3));
      // Past the first windows, then to a point where this seed's sampler is between windows.
      feed(ck, r, FIRST * WINDOW + 1);
      if (final) ck.finalPhase([r as unknown as Replica], FIRST * WINDOW + 1);
      feed(ck, r, 10, FIRST * WINDOW + 1);
      r.lie = 1;
      const res = ck.result([r as unknown as Replica], true);
      // Without the final-phase hook nothing is recorded here, so nothing can be checked.
      expect(res.ok, res.detail).toBe(!final);
      if (final) expect(res.detail).toMatch(/^a: replaying its 10 inputs in a shuffled order from its snapshot at t=\d+ gives \d+, but the run ended with \d+/);
    }
  });

  it("the engine: a long g-counter run passes, sampled; a last-arrival register fails at an event", () => {
    const long = (crdt: string): Scenario => ({ name: "long", nodes: ["a", "b", "c"], crdt, duration: 20_000, workload: { ratePerNode: 300 } });
    const ok = runSimulation(long("g-counter"), resolveBuiltin("g-counter"), { seed: 4, trace: false, crdtName: "g-counter" }).summary;
    const oi = ok.checks.find((c) => c.name === "order-independence")!;
    expect(oi.ok, oi.detail).toBe(true);
    const inputs = ok.stats.delivered + 3 * 300 * 20; // about: deliveries plus own updates
    expect(windowsOf(oi.detail).replayed).toBeLessThan(inputs / 2);

    const bad = runSimulation(long("x"), lastArrivalRegister, { seed: 4, trace: false, crdtName: "last-arrival-register" }).summary;
    const failed = bad.checks.find((c) => c.name === "order-independence")!;
    expect(failed.ok).toBe(false);
    expect(failed.at?.t).toBeLessThan(20_000);
    expect(failed.detail).toMatch(/^[abc]: replaying its 1024 inputs in a shuffled order from its (initial state|snapshot at t=\d+) gives .*, but at t=\d+ it showed/);
  });
});
