import { describe, expect, it } from "vitest";
import type { StateCrdt } from "../../core/contract.ts";
import canary, { eventsText } from "../explore/canaries/deleteless-events-text.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Scenario } from "../scenario/types.ts";
import { applyDelta } from "./change-events.ts";

const typing: Scenario = {
  name: "typing",
  nodes: ["a", "b"],
  crdt: { module: "deleteless-events-text.ts" },
  network: { latency: { dist: "constant", ms: 10 } },
  steps: [
    { at: 10, node: "a", op: "insert", args: [0, "abc"] },
    { at: 100, node: "b", op: "delete", args: [1, 1] },
  ],
  duration: 500,
};
const run = (crdt: StateCrdt, sc: Scenario = typing) => runSimulation(sc, crdt, { seed: 1, trace: false, crdtName: crdt.name });
const verdict = (r: ReturnType<typeof run>) => r.summary.checks.find((c) => c.name === "change-events");

describe("applyDelta (Quill/Yjs text deltas)", () => {
  it("retains, inserts and deletes; keeps what no op covers", () => {
    expect(applyDelta("hello", [{ retain: 1 }, { delete: 3 }, { insert: "ipp" }])).toBe("hippo");
    expect(applyDelta("ab", [{ insert: "x" }])).toBe("xab");
  });
  it("names an op that runs past the text, or is no op", () => {
    expect(applyDelta("ab", [{ retain: 1 }, { delete: 2 }])).toEqual({ problem: "delete 2 at 1 of a 2-character text" });
    expect(applyDelta("ab", [{ replace: 1 } as never])).toEqual({ problem: 'an event op is {"replace":1} (not retain, insert or delete)' });
  });
});

describe("change-events", () => {
  it("catches events that miss a delete, where every other check passes", () => {
    const r = run(canary);
    const c = verdict(r)!;
    expect(c.ok).toBe(false);
    expect(c.detail).toContain(`t=100 after update b:1 at b: its events make "abc" but it shows "ac"`);
    expect(c.signature).toBe("events keep text the value lost");
    expect(c.at).toEqual({ t: 100, node: "b" });
    expect(r.summary.checks.filter((x) => !x.ok).map((x) => x.name)).toEqual(["change-events"]);
  });

  it("passes the same text when its events report the delete", () => {
    const honest = eventsText("honest-events-text", true);
    const c = verdict(run(honest))!;
    expect(c.ok).toBe(true);
    expect(c.detail).toMatch(/^\d+ change events applied in order/);
    // Reporting nothing at all is wrong too: the value moves and the events do not.
    expect(verdict(run({ ...honest, events: () => [] }))!.ok).toBe(false);
  });

  it("runs only for a type with events; a scenario naming it for one without is told, not passed", () => {
    const { events: _, ...plain } = canary;
    expect(verdict(run(plain as StateCrdt))).toBeUndefined();
    const named = verdict(run(plain as StateCrdt, { ...typing, expect: { checks: { "change-events": true } } }))!;
    expect(named.ok).toBe(false);
    expect(named.detail).toContain("exposes no change events");
  });
});
