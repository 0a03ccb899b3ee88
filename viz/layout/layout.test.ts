import { describe, expect, it } from "vitest";
import { diverge, small } from "../fixtures/index.ts";
import { causalCone, clockAt, laneLists, stateAt, textOf } from "../page/query.js";
import { parseTrace } from "../trace.ts";
import { layoutRun } from "./layout.ts";
import { lanesOf } from "./lanes.ts";
import { A, K, type Model } from "./model.ts";
import { formatVV } from "./text.ts";
import { runSimulation } from "../../sim/engine/run-simulation.ts";
import { resolveAnyBuiltin } from "../../core/registry.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { without } from "../../core/_test/without.ts";

/** A real run's model (the engine's own trace), for the events the hand-written fixtures lack. */
function simulated(sc: Scenario, seed = 1): Model {
  const crdtName = typeof sc.crdt === "string" ? sc.crdt : "";
  const run = runSimulation(sc, resolveAnyBuiltin(crdtName), { seed, trace: true, crdtName });
  return layoutRun({ trace: parseTrace(run.trace!), summary: run.summary, scenario: { name: sc.name, description: "", nodes: sc.nodes } });
}
const ofKind = (m: Model, kind: number) => m.ev.t.map((_, i) => i).filter((i) => m.ev.kind[i] === kind);

function smallModel(): Model {
  const f = small();
  return layoutRun({ trace: parseTrace(f.trace), summary: f.summary, scenario: f.scenario });
}
/** Index of the n-th event (0-based) matching kind on a lane. */
function find(m: Model, lane: string, kind: number, n = 0): number {
  const l = m.lanes.findIndex((x) => x.name === lane);
  const hits = m.ev.t.map((_, i) => i).filter((i) => m.ev.lane[i] === l && m.ev.kind[i] === kind);
  return hits[n]!;
}

describe("layout", () => {
  it("makes one lane per node in declaration order, labelled with its clock skew", () => {
    const m = smallModel();
    expect(m.lanes.map((l) => l.name)).toEqual(["alice", "bob", "carol"]);
    expect(m.lanes.map((l) => l.label)).toEqual(["clock exact", "skew −30 s · drift +100 ppm", "skew +250 ms"]);
  });

  it("tells merges (learned something) from receives (nothing new)", () => {
    const m = smallModel();
    const bobDeliveries = m.ev.t.map((_, i) => i).filter((i) => m.ev.lane[i] === 1 && (m.ev.kind[i] === K.merge || m.ev.kind[i] === K.receive));
    // msg 1 (new), its duplicate msg 3 (nothing new), msg 6 after the heal (new), msg 10 anti-entropy digest (nothing new)
    expect(bobDeliveries.map((i) => m.ev.kind[i])).toEqual([K.merge, K.receive, K.merge, K.receive]);
  });

  it("draws every message as an arrow with its fate", () => {
    const m = smallModel();
    const st = m.arrows.st;
    expect(st.filter((s) => s === A.dropped)).toHaveLength(4);
    expect(st.filter((s) => s === A.duplicate)).toHaveLength(1);
    expect(st.filter((s) => s === A.held)).toHaveLength(1);
    const dup = st.indexOf(A.duplicate);
    // the copy starts at the original's send and ends at its own delivery (t=48)
    expect(m.ev.t[m.arrows.s[dup]!]).toBe(0);
    expect(m.arrows.t[dup]).toBe(48);
    const held = st.indexOf(A.held);
    expect([m.arrows.h[held], m.arrows.t[held]]).toEqual([200, 521]);
    const crashDrop = m.arrows.t.indexOf(372);
    expect(m.arrows.st[crashDrop]).toBe(A.dropped);
  });

  it("shades partitions across lanes and crashes and pauses on their lane", () => {
    const m = smallModel();
    expect(m.bands).toEqual([
      { kind: "partition", lane: -1, from: 100, to: 500, label: "partition {alice} | {bob, carol}" },
      { kind: "crash", lane: 2, from: 300, to: 600, label: "carol crashed" },
      { kind: "pause", lane: 1, from: 420, to: 520, label: "bob paused" },
    ]);
  });

  it("marks convergence from the summary", () => {
    expect(smallModel().flags).toEqual([{ kind: "converged", t: 835, label: "converged at 835 ms" }]);
  });

  it("finds the first divergence: same version vector, different value", () => {
    const f = diverge();
    const m = layoutRun({ trace: parseTrace(f.trace), summary: f.summary, scenario: f.scenario });
    expect(m.flags.map((x) => [x.kind, x.t])).toEqual([
      ["diverged", 40],
      ["not-converged", 40],
    ]);
  });

  it("falls back to the trace when there is no summary", () => {
    const f = small();
    const m = layoutRun({ trace: parseTrace(f.trace) });
    expect(m.flags).toEqual([{ kind: "converged", t: 835, label: "converged at 835 ms" }]);
    expect(m.lanes.map((l) => l.name)).toEqual(["alice", "bob", "carol"]);
  });

  it("carries the version vector and value onto every event of a lane", () => {
    const m = smallModel();
    const send = find(m, "bob", K.send, 0);
    expect(textOf(m.texts.vv, m.ev.vv[send]!)).toBe("alice:1 bob:1");
    expect(textOf(m.texts.val, m.ev.val[send]!)).toBe('["x","y"]');
    expect(m.strs[m.ev.info[find(m, "alice", K.update, 1)]!]).toBe('remove("x")');
  });

  it("formats version vectors with node names in lane order, compactly, gaps after a +", () => {
    expect(formatVV({ a: 2, "+": { b: [4, 5] } }, ["a", "b", "c"])).toBe("a:2 b:0+{4,5}");
    expect(formatVV({ server: 2, alice: 1, bob: 1 }, ["alice", "bob", "server"])).toBe("alice:1 bob:1 server:2");
    expect(formatVV({}, ["a", "b"])).toBe("∅");
  });

  it("is deterministic", () => {
    expect(JSON.stringify(smallModel())).toBe(JSON.stringify(smallModel()));
  });
});

describe("durability and op-mode events", () => {
  const lag: Scenario = {
    name: "lag",
    nodes: ["a", "b"],
    crdt: "g-set",
    duration: 400,
    storage: { syncLagMs: 50 },
    steps: [
      { at: 0, node: "a", op: "add", args: ["x"] },
      { at: 100, node: "a", op: "add", args: ["y"] },
      { at: 120, crash: "a" },
      { at: 200, restart: "a" },
    ],
  };

  it("draws an ack where a write became durable, naming the write", () => {
    const m = simulated(lag);
    const acks = ofKind(m, K.ack);
    expect(acks.map((i) => [m.ev.t[i], m.strs[m.ev.info[i]!]])).toEqual([[50, 'acknowledged add("x") (a:1): durable, a crash can no longer lose it']]);
  });

  it("draws the unsynced writes a crash lost, and the restart shows what was recovered", () => {
    const m = simulated(lag);
    const [lost] = ofKind(m, K.lost);
    expect(m.ev.t[lost!]).toBe(120);
    expect(m.strs[m.ev.info[lost!]!]).toBe('crash lost 1 unsynced log record, with 1 own write never acknowledged: add("y") (a:2)');
    const [restart] = ofKind(m, K.restart);
    // Before the crash a showed ["x","y"] at a:2; it recovered the synced ["x"] at a:1.
    expect(textOf(m.texts.val, m.ev.val[ofKind(m, K.crash)[0]!]!)).toBe('["x","y"]');
    expect([textOf(m.texts.vv, m.ev.vv[restart!]!), textOf(m.texts.val, m.ev.val[restart!]!)]).toEqual(["a:1", '["x"]']);
    expect(m.strs[m.ev.info[restart!]!]).toMatch(/recovered this state from durable storage/);
  });

  it("a trace without the recovered state: the pre-crash state when nothing was lost, else unknown", () => {
    const strip = (lines: string[]) => lines.map((l) => (l.includes('"type":"restart"') ? l.replace(/,"vv":.*\}$/, "}") : l));
    const run = runSimulation(lag, resolveAnyBuiltin("g-set"), { seed: 1, trace: true, crdtName: "g-set" });
    const m = layoutRun({ trace: parseTrace(strip(run.trace!)) });
    const [restart] = ofKind(m, K.restart);
    expect(m.ev.val[restart!]).toBe(-1);
    const safe = runSimulation(without(lag, "storage"), resolveAnyBuiltin("g-set"), { seed: 1, trace: true, crdtName: "g-set" });
    const m2 = layoutRun({ trace: parseTrace(strip(safe.trace!)) });
    const [r2] = ofKind(m2, K.restart);
    expect(textOf(m2.texts.val, m2.ev.val[r2!]!)).toBe('["x","y"]');
  });

  it("marks op-mode deliveries whose ops wait in the causal buffer", () => {
    // a → c is cut (held): b's remove, which saw a's add, reaches c first and waits for the add.
    const m = simulated({
      name: "buf",
      nodes: ["a", "b", "c"],
      crdt: "op-or-set",
      duration: 300,
      sync: { mode: "op", antiEntropyMs: 0 },
      network: { latency: { dist: "constant", ms: 10 }, partitionMode: "hold" },
      steps: [
        { at: 0, cut: [["a", "c"]] },
        { at: 1, node: "a", op: "add", args: ["x"] },
        { at: 20, node: "b", op: "remove", args: ["x"] },
        { at: 100, heal: true },
      ],
    });
    const buffered = ofKind(m, K.buffered);
    expect(buffered.length).toBeGreaterThan(0);
    expect(m.strs[m.ev.info[buffered[0]!]!]).toMatch(/^from b · 1 op buffered until causally ready \(1 waiting\)$/);
  });
});

describe("causal cone", () => {
  it("lights up the past through message edges and lane order, and the future the same way", () => {
    const m = smallModel();
    const bobAddY = find(m, "bob", K.update, 0); // t=150, during the partition
    const cone = causalCone(m.ev, bobAddY);
    const past = (i: number) => (cone[i]! & 1) !== 0;
    const future = (i: number) => (cone[i]! & 2) !== 0;
    expect(past(find(m, "alice", K.update, 0))).toBe(true); // add(x) reached bob at t=20
    expect(past(find(m, "alice", K.update, 1))).toBe(false); // remove(x) is concurrent
    expect(future(find(m, "alice", K.update, 1))).toBe(false);
    expect(future(find(m, "carol", K.merge, 1))).toBe(true); // carol learns y at t=180
    expect(future(find(m, "alice", K.merge, 0))).toBe(true); // via anti-entropy at t=760
    expect(cone[bobAddY]).toBe(3);
  });
});

describe("state at an instant", () => {
  it("reads every replica's value at time t", () => {
    const m = smallModel();
    const lists = laneLists(m.ev, m.lanes.length);
    const at = (t: number) => stateAt(lists, m.ev.t, t).map((i) => (i < 0 ? null : textOf(m.texts.val, m.ev.val[i]!)));
    expect(at(160)).toEqual(['["x"]', '["x","y"]', '["x"]']);
    expect(at(900)).toEqual(['["y","z"]', '["y","z"]', '["y","z"]']);
  });
});

describe("a lane's clock over time", () => {
  const trace = (events: object[]) => parseTrace([JSON.stringify({ t: 0, type: "meta", nodes: ["a", "b"] }), ...events.map((e) => JSON.stringify(e))]);
  it("a jump moves the reading by its amount; a new skew replaces the skew and keeps the jumps", () => {
    const [a, b] = lanesOf(
      ["a", "b"],
      { clocks: { b: { skew: -60_000, drift: 0.0001 } } },
      trace([
        { t: 1000, type: "clock-jump", node: "b", by: 60_000 },
        { t: 2000, type: "clock-skew", node: "b", skew: 500, source: "nemesis" },
        { t: 3000, type: "clock-jump", node: "b", by: -250 },
      ]),
    );
    expect(a!.clockChanges).toBeUndefined();
    expect(b!.label).toBe("skew −60 s · drift +100 ppm");
    expect(b!.clockChanges).toEqual([
      { t: 1000, label: "drift +100 ppm" },
      { t: 2000, label: "skew +60.5 s · drift +100 ppm" },
      { t: 3000, label: "skew +60.25 s · drift +100 ppm" },
    ]);
    expect(clockAt(b!, 999)).toEqual({ label: "skew −60 s · drift +100 ppm", since: null });
    expect(clockAt(b!, 2500)).toEqual({ label: "skew +60.5 s · drift +100 ppm", since: 2000 });
  });
});
