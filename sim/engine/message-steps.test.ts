/**
 * Steps that act on one message in flight, by the id the trace gives it: `{"drop": id}`,
 * `{"duplicate": id}`, `{"hold": id}` (the playground's clicks on a message). Two nodes, a
 * constant 100 ms latency and no anti-entropy, so alice's first delta is message 1, on the
 * wire from 0 to 100 ms.
 */
import { describe, expect, it } from "vitest";
import type { Scenario, Step } from "../scenario/types.ts";
import { simulate } from "../simulate.ts";

const base = (steps: Step[]): Scenario => ({
  name: "message-steps",
  nodes: ["alice", "bob"],
  crdt: "g-counter",
  sync: { antiEntropyMs: 0 },
  network: { latency: { dist: "constant", ms: 100 } },
  steps: [{ at: 0, node: "alice", op: "inc", args: [1] }, ...steps],
  duration: 1000,
});

type Line = { t: number; type: string; msg?: number; of?: number; reason?: string };
async function lines(steps: Step[]): Promise<{ events: Line[]; hash: string }> {
  const run = await simulate(base(steps));
  return { events: (run.trace ?? []).map((l) => JSON.parse(l) as Line), hash: run.summary.traceHash };
}
const about = (events: Line[], msg: number) => events.filter((e) => e.msg === msg && e.type !== "send").map((e) => [e.t, e.type, e.reason ?? e.of ?? null]);

describe("message steps", () => {
  it("without one, message 1 is delivered at 100 ms", async () => {
    expect(about((await lines([])).events, 1)).toEqual([[100, "deliver", null]]);
  });

  it("drop: lost at the step's time, never delivered", async () => {
    const { events } = await lines([{ at: 50, drop: 1 }]);
    expect(about(events, 1)).toEqual([[50, "drop", "step"]]);
  });

  it("duplicate: a copy with its own id sent at the step's time, both delivered", async () => {
    const { events } = await lines([{ at: 50, duplicate: 1 }]);
    expect(about(events, 1)).toEqual([[100, "deliver", null]]);
    expect(about(events, 2)).toEqual([
      [50, "duplicate", 1],
      [150, "deliver", null],
    ]);
  });

  it("hold: held until the next heal, then sent again with a fresh latency", async () => {
    const { events } = await lines([
      { at: 50, hold: 1 },
      { at: 300, heal: true },
    ]);
    expect(about(events, 1)).toEqual([
      [50, "hold", null],
      [300, "release", null],
      [400, "deliver", null],
    ]);
  });

  it("a held message is released by the end of the run's final heal too", async () => {
    const { events } = await lines([{ at: 50, hold: 1 }]);
    expect(about(events, 1).map((e) => e[1])).toEqual(["hold", "release", "deliver"]);
  });

  it("a message not on the wire then is left alone: the run is the run without the step", async () => {
    const plain = await lines([]);
    // Delivered already, never sent, not yet sent (alice's op is at 0: message 1 does not exist before).
    for (const step of [
      { at: 500, drop: 1 },
      { at: 0, hold: 99 },
      { at: 150, duplicate: 1 },
    ] as Step[]) {
      expect((await lines([step])).hash, JSON.stringify(step)).toBe(plain.hash);
    }
  });

  it("refuses a message id below 1 and a node beside the action, naming the field", async () => {
    await expect(simulate(base([{ at: 0, drop: 0 }]))).rejects.toThrow(/steps\[1\]\.drop: .*message ids start at 1/);
    await expect(simulate(base([{ at: 0, hold: 1, node: "alice" } as unknown as Step]))).rejects.toThrow(/steps\[1\]\.node: a "hold" step takes no "node"/);
  });
});
