import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gCounter } from "../../core/crdt/g-counter.ts";
import type { Scenario } from "../scenario/types.ts";
import { runSimulation } from "./run-simulation.ts";
import { stormy } from "./fixtures/scenarios.ts";

const run = (sc: Scenario, seed: number, trace = true) => runSimulation(sc, gCounter, { seed, trace, crdtName: "g-counter" });

describe("determinism", () => {
  it("same scenario and seed: identical trace lines and traceHash", () => {
    const a = run(stormy, 11);
    const b = run(stormy, 11);
    expect(a.trace!.length).toBeGreaterThan(100);
    expect(b.trace).toEqual(a.trace);
    expect(b.summary).toEqual(a.summary);
  });

  it("another seed gives another hash", () => {
    expect(run(stormy, 12).summary.traceHash).not.toBe(run(stormy, 11).summary.traceHash);
  });

  it("trace: false proves the same hash, with the same summary", () => {
    const traced = run(stormy, 11);
    const bare = run(stormy, 11, false);
    expect(bare.trace).toBeUndefined();
    expect(bare.summary).toEqual(traced.summary);
  });

  it("the hash is the same in a child process", async () => {
    const here = run(stormy, 11);
    const script = fileURLToPath(new URL("./fixtures/print-hash.ts", import.meta.url));
    // Not execFileSync: a worker blocked in it cannot answer vitest's runner (cli/spawn-cli.ts).
    const { stdout: out } = await promisify(execFile)("npx", ["tsx", script, "11"], { encoding: "utf8", cwd: fileURLToPath(new URL("../..", import.meta.url)) });
    const child = JSON.parse(out.trim());
    expect(child).toEqual({ hash: here.summary.traceHash, lines: here.trace!.length, last: here.trace!.at(-1) });
  }, 60_000);

  it("trace lines are canonical JSON, first the meta line, times non-decreasing", () => {
    const { trace } = run(stormy, 11);
    expect(JSON.parse(trace![0]!)).toMatchObject({ t: 0, type: "meta", seed: 11, nodes: ["a", "b", "c", "d"] });
    let last = 0;
    const types = new Set<string>();
    for (const line of trace!) {
      const ev = JSON.parse(line);
      expect(Object.keys(ev).slice(0, 2)).toEqual(["t", "type"]);
      expect(ev.t).toBeGreaterThanOrEqual(last);
      last = ev.t;
      types.add(ev.type);
    }
    for (const type of ["update", "send", "deliver", "drop", "duplicate", "partition", "cut", "heal", "crash", "restart", "pause", "resume", "clock-jump", "converged"])
      expect(types, type).toContain(type);
    expect(JSON.parse(trace!.at(-1)!)).toMatchObject({ type: "converged", ok: true });
  });
});

describe("stream independence", () => {
  /** Latency of each message, in send order (deliver time − send time). */
  function latencies(sc: Scenario): number[] {
    const sent = new Map<number, number>();
    const lat: number[] = [];
    const order: number[] = [];
    for (const line of run(sc, 5).trace!) {
      const ev = JSON.parse(line);
      if (ev.type === "send") {
        sent.set(ev.msg, ev.t);
        order.push(ev.msg);
      } else if (ev.type === "deliver" && sent.has(ev.msg)) lat[ev.msg] = ev.t - sent.get(ev.msg)!;
    }
    return order.map((m) => lat[m]!);
  }

  it("changing only the workload keeps the network's latency sequence", () => {
    const base: Scenario = {
      name: "indep",
      nodes: ["a", "b", "c"],
      crdt: "g-counter",
      duration: 2000,
      sync: { antiEntropyMs: 0 },
      network: { latency: { dist: "uniform", min: 1, max: 500 } },
      workload: { ratePerNode: 10, ops: [{ op: "inc", args: [{ int: [1, 5] }] }] },
    };
    const other: Scenario = { ...base, workload: { ratePerNode: 25, ops: [{ op: "inc", args: [1] }] } };
    const a = latencies(base);
    const b = latencies(other);
    expect(a.length).toBeGreaterThan(50);
    expect(b.length).toBeGreaterThan(a.length);
    expect(b.slice(0, a.length)).toEqual(a);
  });

  it("changing only the op mix keeps the arrival times", () => {
    const times = (sc: Scenario) =>
      run(sc, 5)
        .trace!.filter((l) => l.includes('"type":"update"'))
        .map((l) => JSON.parse(l).t);
    const base: Scenario = { name: "mix", nodes: ["a", "b"], crdt: "g-counter", duration: 1000, workload: { ratePerNode: 30, ops: [{ op: "inc", args: [{ int: [1, 5] }] }] } };
    const other: Scenario = { ...base, workload: { ratePerNode: 30, ops: [{ op: "inc", args: [{ int: [1, 100] }] }] } };
    expect(times(other)).toEqual(times(base));
  });
});
