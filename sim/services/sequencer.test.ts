/**
 * The sequencer as a simulated service: the scenario syntax runs it, the checkers judge it, the
 * trace shows it, and the traceHash stays the same with and without the trace.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { without } from "../../core/_test/without.ts";
import { gCounter } from "../../core/crdt/g-counter.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import { simulate } from "../index.ts";
import { validateScenario } from "../scenario/load.ts";
import { latencySummary } from "./latency-summary.ts";
import type { Scenario } from "../scenario/types.ts";

const run = (sc: Scenario, seed = 1, trace = true) => runSimulation(validateScenario(sc), gCounter, { seed, trace, crdtName: "g-counter" });
const lines = (trace: string[] | undefined) => (trace ?? []).map((l) => JSON.parse(l) as Record<string, unknown> & { t: number; type: string });
const check = (r: ReturnType<typeof run>, name: string) => r.summary.checks.find((c) => c.name === name);

const base: Scenario = {
  name: "seq",
  nodes: ["s", "a", "b"],
  crdt: "g-counter",
  network: { latency: { dist: "uniform", min: 2, max: 20 } },
  services: { sequencer: { node: "s", timeoutMs: 300, retryMs: 50 } },
  steps: [
    { at: 10, node: "a", next: "invoice" },
    { at: 20, node: "b", next: "invoice" },
    { at: 100, node: "a", next: "invoice" },
    { at: 110, node: "a", op: "inc", args: [1] },
  ],
  duration: 1000,
};

describe("sequencer service", () => {
  it("hands out 1, 2, 3 over the network and the checks pass", () => {
    const r = run(base);
    const oks = lines(r.trace).filter((e) => e.type === "seq" && e.event === "ok");
    expect(oks.map((e) => e.n).sort()).toEqual([1, 2, 3]);
    expect(check(r, "sequencer-unique")).toMatchObject({ ok: true, expected: true });
    expect(check(r, "sequencer-monotonic")).toMatchObject({ ok: true, expected: true });
    // Latency: from each request's `next` line to its `ok` line in the trace, per asking node.
    const waited = (node: string) =>
      latencySummary(
        oks.filter((e) => e.node === node).map((ok) => ok.t - lines(r.trace).find((e) => e.type === "seq" && e.event === "next" && e.node === node && e.req === ok.req)!.t),
      );
    expect(waited("a")!.max).toBeGreaterThan(0);
    expect(r.summary.stats.availability).toEqual({
      s: { crdtWrites: 0 },
      a: { crdtWrites: 1, sequencer: { attempted: 2, succeeded: 2, timedOut: 0, unfinished: 0, latencyMs: waited("a") } },
      b: { crdtWrites: 0, sequencer: { attempted: 1, succeeded: 1, timedOut: 0, unfinished: 0, latencyMs: waited("b") } },
    });
    // Service messages travel as sends and deliveries with their own kinds.
    const kinds = new Set(
      lines(r.trace)
        .filter((e) => e.type === "send")
        .map((e) => e.kind),
    );
    expect([...kinds]).toEqual(expect.arrayContaining(["seq.next", "seq.assigned", "delta"]));
  });

  it("a client cut off from the sequencer times out and is told so — never given a number", () => {
    const r = run({ ...base, steps: [{ at: 5, partition: [["s", "a"], ["b"]] }, ...base.steps!, { at: 600, heal: true }] });
    const b = lines(r.trace).filter((e) => e.type === "seq" && e.node === "b");
    expect(b.map((e) => e.event)).toEqual(["next", "timeout"]);
    expect(b[1]!.t - b[0]!.t).toBe(300);
    expect(r.summary.stats.availability!.b).toEqual({ crdtWrites: 0, sequencer: { attempted: 1, succeeded: 0, timedOut: 1, unfinished: 0 } });
    expect(check(r, "sequencer-unique")?.detail).toMatch(/1 request\(s\) timed out and were reported unavailable/);
  });

  it("a request pending at the end of the run is counted unfinished", () => {
    const r = run({
      ...base,
      steps: [
        { at: 5, partition: [["s"], ["a", "b"]] },
        { at: 990, node: "a", next: "invoice" },
      ],
    });
    expect(r.summary.stats.availability!.a).toMatchObject({ sequencer: { attempted: 1, succeeded: 0, timedOut: 0, unfinished: 1 } });
  });

  it("a held request is released at the heal and answered", () => {
    const r = run({
      ...base,
      network: { ...base.network, partitionMode: "hold" },
      steps: [
        { at: 5, partition: [["s"], ["a", "b"]] },
        { at: 10, node: "a", next: "x" },
        { at: 100, heal: true },
      ],
    });
    const types = lines(r.trace).map((e) => e.type);
    expect(types).toContain("hold");
    expect(types).toContain("release");
    expect(r.summary.stats.availability!.a).toMatchObject({ sequencer: { succeeded: 1 } });
  });

  it("numbers survive the sequencer's crash and restart: no number is given twice", () => {
    const sc: Scenario = {
      ...base,
      storage: { syncLagMs: 15 },
      network: { latency: { dist: "uniform", min: 2, max: 20 }, duplicate: 0.3 },
      steps: [
        { at: 10, node: "a", next: "invoice" },
        { at: 100, crash: "s" },
        { at: 150, restart: "s" },
        { at: 160, node: "b", next: "invoice" },
        { at: 161, node: "a", next: "invoice" },
        { at: 175, crash: "s" },
        { at: 220, restart: "s" },
      ],
    };
    const r = run(sc);
    const ev = lines(r.trace).filter((e) => e.type === "seq");
    expect(ev.filter((e) => e.event === "recover").map((e) => e.counters)).toEqual([{ invoice: 1 }, { invoice: 1 }]);
    expect(ev.filter((e) => e.event === "unsynced-lost").length).toBeGreaterThan(0);
    expect(
      ev
        .filter((e) => e.event === "ok")
        .map((e) => e.n)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(check(r, "sequencer-unique")?.ok).toBe(true);
    expect(check(r, "sequencer-monotonic")?.ok).toBe(true);
  });

  it("pausing the sequencer (with group commit) or a client delays answers but loses nothing", () => {
    const sc: Scenario = {
      ...base,
      network: { latency: { dist: "constant", ms: 5 } },
      storage: { syncLagMs: 10 },
      steps: [
        // Both requests are staged (at 15 and 17) and the group commit is due at 25: the pause catches it.
        { at: 10, node: "a", next: "invoice" },
        { at: 12, node: "b", next: "invoice" },
        { at: 20, pause: "s" },
        { at: 100, resume: "s" },
        { at: 200, node: "a", next: "invoice" },
        { at: 201, pause: "a" },
        { at: 250, resume: "a" },
        { at: 400, node: "a", next: "invoice" },
        { at: 401, node: "b", next: "invoice" },
      ],
    };
    const r = run(sc);
    expect(r.summary.stats.availability).toMatchObject({
      a: { sequencer: { attempted: 3, succeeded: 3, timedOut: 0 } },
      b: { sequencer: { attempted: 2, succeeded: 2, timedOut: 0 } },
    });
    const oks = lines(r.trace).filter((e) => e.type === "seq" && e.event === "ok");
    expect(oks.map((e) => e.n).sort()).toEqual([1, 2, 3, 4, 5]);
    // The two first answers waited for the resume.
    expect(oks.slice(0, 2).every((e) => e.t > 100)).toBe(true);
  });

  it("the traceHash is the same with and without the trace, and service lines are canonical and in time order", () => {
    const sc: Scenario = {
      ...base,
      network: { latency: { dist: "uniform", min: 2, max: 20 }, loss: 0.2, duplicate: 0.2, reorder: 0.2 },
      steps: [...base.steps!, { at: 200, crash: "a" }, { at: 300, restart: "a" }, { at: 310, node: "a", next: "invoice" }],
    };
    const traced = run(sc, 9);
    const bare = run(sc, 9, false);
    expect(bare.trace).toBeUndefined();
    expect(bare.summary).toEqual(traced.summary);
    expect(run(sc, 9).trace).toEqual(traced.trace);
    let last = 0;
    for (const e of lines(traced.trace)) {
      expect(Object.keys(e).slice(0, 2)).toEqual(["t", "type"]);
      expect(e.t).toBeGreaterThanOrEqual(last);
      last = e.t;
    }
    // After the client's restart its request ids start above every earlier one.
    const restarted = lines(traced.trace).find((e) => e.type === "seq" && e.node === "a" && e.t === 310)!;
    expect(restarted.req).toBe(2 * 2 ** 32);
  });

  it("adding service traffic leaves the replicas' network draws alone", () => {
    const crdtOnly: Scenario = { ...without(base, "services"), steps: base.steps!.filter((s) => "op" in s) };
    const sends = (t: string[] | undefined) =>
      lines(t)
        .filter((e) => e.type === "deliver" && !("kind" in e))
        .map((e) => e.t);
    expect(sends(run(base).trace)).toEqual(sends(run(crdtOnly).trace));
  });
});

describe("service runs across processes", () => {
  it("a gallery service scenario has the same traceHash in a child process", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const file = fileURLToPath(new URL("../../scenarios/invoice-sequencer-crash.json", import.meta.url));
    const here = await simulate(file, { seed: 13 });
    const script = fileURLToPath(new URL("./fixtures/print-hash.ts", import.meta.url));
    // Not execFileSync: a worker blocked in it cannot answer vitest's runner (cli/spawn-cli.ts).
    const { stdout: out } = await promisify(execFile)("npx", ["tsx", script, file, "13"], { encoding: "utf8", cwd: root });
    expect(JSON.parse(out.trim())).toEqual({ hash: here.summary.traceHash, lines: here.trace!.length });
  }, 60_000);
});
