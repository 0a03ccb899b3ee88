/**
 * A crash inside a check is named (thrown.ts): a merge that throws when a checker replays the
 * inputs in another order fails order-independence, saying what was thrown, and the run ends
 * with its whole table; a checker that throws fails by its name; a plugin's contract breach still
 * goes on up as bad input.
 */
import { describe, expect, it } from "vitest";
import type { StateCrdt } from "../../core/contract.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { PluginError } from "../plugin/guard.ts";
import type { Scenario } from "../scenario/types.ts";
import { guardedCheck } from "./thrown.ts";
import { gapRefusing, type Log } from "./fixtures/gap-refusing-log.ts";

/** `a` counts six times; FIFO links, no faults, no anti-entropy: the run itself never merges out of order. */
function scenario(): Scenario {
  return {
    name: "gap-refusing",
    nodes: ["a", "b"],
    crdt: "gap-refusing-log",
    network: { latency: { dist: "constant", ms: 5 }, fifo: true },
    sync: { mode: "delta", antiEntropyMs: 0 },
    steps: [0, 1, 2, 3, 4, 5].map((at) => ({ at, node: "a", op: "inc", args: [] })),
    duration: 100,
  };
}

describe("a crash inside a check", () => {
  it("a merge that throws on the checker's shuffled replay fails order-independence, named, and the run keeps its table", () => {
    const sc = scenario();
    const run = runSimulation(sc, gapRefusing, { seed: 1, trace: false, crdtName: gapRefusing.name });
    const order = run.summary.checks.find((c) => c.name === "order-independence")!;
    expect(order.ok).toBe(false);
    expect(order.detail).toMatch(/replaying its \d+ inputs in .* threw: RangeError: missing entry \d of a before \d/);
    expect(run.summary.checks.find((c) => c.name === "convergence")).toMatchObject({ ok: true });
  });

  it("a merge that throws on a message applied twice fails idempotence, saying what it threw", () => {
    const strict: StateCrdt<Log, number> = {
      ...gapRefusing,
      name: "duplicate-refusing-log",
      merge(a, b) {
        for (const [r, n] of Object.entries(b)) if (n <= (a[r] ?? 0)) throw new Error(`entry ${n} of ${r} applied twice`);
        return gapRefusing.merge(a, b);
      },
    };
    const sc: Scenario = { ...scenario(), crdt: strict.name };
    const run = runSimulation(sc, strict, { seed: 1, trace: false, crdtName: strict.name });
    const idem = run.summary.checks.find((c) => c.name === "idempotence")!;
    expect(idem.ok).toBe(false);
    expect(idem.detail).toMatch(/^t=\d+ msg \d+ to b: applying it a second time threw: entry 1 of a applied twice/);
  });

  it("a checker that throws fails by its name; a plugin's contract breach goes on up", () => {
    const crashed = guardedCheck("durability", true, () => {
      throw new TypeError("x is undefined");
    });
    expect(crashed).toMatchObject({ name: "durability", ok: false, expected: true, detail: "the durability checker crashed: TypeError: x is undefined" });
    expect(() =>
      guardedCheck("convergence", true, () => {
        throw new PluginError("plugin p.ts: value() returned undefined");
      }),
    ).toThrow(PluginError);
  });
});
