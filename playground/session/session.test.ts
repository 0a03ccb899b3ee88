import type { Scenario } from "../../sim/scenario/types.ts";
import { describe, expect, it } from "vitest";
import { CursorReader } from "./at-cursor.ts";
import { runSession } from "./run-session.ts";
import { addStep, emptySession, partitionStep, removeStep, withSkew } from "./session.ts";
import { decodeSession, encodeSession } from "./share.ts";

describe("a session is a scenario", () => {
  it("adds a step at its time, after steps of the same time, and grows to hold it", () => {
    let s = emptySession("or-set");
    s = addStep(s, { at: 900, node: "bob", op: "add", args: ["b"] });
    s = addStep(s, { at: 300.4, node: "alice", op: "add", args: ["a"] });
    s = addStep(s, { at: 300, heal: true });
    s = addStep(s, { at: 9000, crash: "carol" });
    expect(s.steps?.map((x) => x.at)).toEqual([300, 300, 900, 9000]);
    expect(s.steps?.[1]).toEqual({ at: 300, heal: true });
    expect(s.duration).toBe(10000);
    expect(removeStep(s, 0).steps?.map((x) => x.at)).toEqual([300, 900, 9000]);
  });

  it("partitions the ticked nodes against the rest, and sets or clears a skew", () => {
    expect(partitionStep(5, ["a", "b", "c"], new Set(["c"]))).toEqual({ at: 5, partition: [["c"], ["a", "b"]] });
    const skewed = withSkew(emptySession("g-counter"), "bob", -60000);
    expect(skewed.clocks).toEqual({ bob: { skew: -60000 } });
    expect(withSkew(skewed, "bob", 0).clocks).toBeUndefined();
  });

  it("travels in a link unchanged, whatever its text", () => {
    const s = addStep(emptySession("or-set"), { at: 10, node: "alice", op: "add", args: ["Zoë’s 📞 +33"] });
    expect(decodeSession(encodeSession(s))).toEqual(s);
    expect(decodeSession("#other")).toBeNull();
    expect(() => decodeSession("#s=%%%")).toThrow(/base64url/);
  });

  it("shows each replica at the cursor, and the checks once the run reaches them", async () => {
    let s = emptySession("lww-register");
    s = addStep(s, { at: 100, node: "alice", op: "set", args: [1] });
    const { model, run, initial } = await runSession(s);
    const reader = new CursorReader(model, s.duration, initial);
    expect(reader.at(50).replicas.map((r) => r.value)).toEqual(["null", "null", "null"]);
    expect(reader.at(100).replicas[0]).toMatchObject({ node: "alice", value: "1" });
    const end = reader.at(reader.end).replicas.map((r) => JSON.parse(r.value) as unknown);
    expect(end).toEqual(Object.values(run.summary.final));
    expect(reader.nextEventAfter(99)).toBe(100);
    expect(reader.nextEventAfter(reader.end + 10 ** 9)).toBeNull();
  });

  it("lists the replica messages on the wire at the cursor, and a drop step takes one off", async () => {
    const s = addStep(emptySession("or-set"), { at: 100, node: "alice", op: "add", args: ["x"] });
    const at = async (scenario: typeof s, t: number) => {
      const { model } = await runSession(scenario);
      return new CursorReader(model, scenario.duration).at(t).inFlight;
    };
    // Anti-entropy rounds are on the wire too; alice's add went out as two deltas.
    const flying = (await at(s, 101)).filter((m) => m.kind === "delta");
    expect(flying.map((m) => [m.kind, m.from, m.to])).toEqual([
      ["delta", "alice", "bob"],
      ["delta", "alice", "carol"],
    ]);
    expect(flying.every((m) => m.sentAt === 100 && m.endsAt > 101)).toBe(true);
    const dropped = addStep(s, { at: 101, drop: flying[0]!.msg });
    expect((await at(dropped, 101)).filter((m) => m.kind === "delta").map((m) => m.msg)).toEqual([flying[1]!.msg]);
  });

  it("counts a service's messages on the wire apart: no message step reaches them", async () => {
    const s: Scenario = {
      ...emptySession("or-set", ["alice", "server"]),
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "constant", ms: 100 } },
      services: { sequencer: { node: "server", timeoutMs: 1000, retryMs: 100 } },
      steps: [{ at: 100, node: "alice", next: "invoice" }],
    };
    const { model } = await runSession(s);
    const at = new CursorReader(model, s.duration).at(150);
    expect(at.inFlight).toEqual([]);
    expect(at.serviceInFlight).toBe(1);
  });

  it("refuses an invalid session with the loader's line, naming the field", async () => {
    const bad = addStep(emptySession("or-set"), { at: 0, node: "dave", op: "add", args: ["x"] });
    await expect(runSession(bad)).rejects.toThrow(/<playground>: steps\[0\]\.node: .*dave/);
  });
});
