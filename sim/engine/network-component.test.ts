/**
 * The network component on its own (network.ts): built from links, an agenda, a clock, message
 * ids, its random streams and a tracer — no simulator — so each fault is seen in isolation.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../rng.ts";
import type { NetworkSpec } from "../scenario/types.ts";
import { Ev, EvKind } from "./event.ts";
import { EventQueue } from "./event-queue.ts";
import { Links } from "./links.ts";
import { MessageIds, Network, type NetTracer } from "./network.ts";

function rig(spec: NetworkSpec, seed = 1, latencySeed = seed) {
  const links = new Links(3);
  const queue = new EventQueue<Ev>();
  const time = { now: 0 };
  const log: string[] = [];
  const tracer: NetTracer = {
    send: (t, ev) => log.push(`send ${ev.id} ${ev.from}>${ev.node}`),
    drop: (t, msg, reason) => log.push(`drop ${msg} ${reason}`),
    duplicate: (t, msg, of) => log.push(`duplicate ${msg} of ${of}`),
    hold: (t, msg) => log.push(`hold ${msg}`),
    release: (t, msg) => log.push(`release ${msg}`),
  };
  const stats = { sent: 0, dropped: 0, duplicated: 0 };
  const streams = { latency: new Rng("latency", latencySeed), loss: new Rng("loss", seed), duplicate: new Rng("duplicate", seed), reorder: new Rng("reorder", seed) };
  const net = new Network(3, spec, links, queue, time, new MessageIds(), streams, tracer, stats);
  const send = (from: number, to: number) => {
    const ev = new Ev(EvKind.Deliver, to);
    ev.from = from;
    net.send(ev, 10);
  };
  /** Runs the agenda: the ids that arrive, in arrival order. */
  const drain = () => {
    const out: number[] = [];
    for (let ev = queue.pop(); ev !== undefined; ev = queue.pop()) {
      time.now = ev.t;
      if (net.arrive(ev, false)) out.push(ev.id);
    }
    return out;
  };
  return { net, links, time, log, stats, send, drain, queue };
}

describe("the network component", () => {
  it("per-link FIFO: a reordering network delivers a link's messages in send order when fifo is on", () => {
    const inversions = (fifo: boolean) => {
      const r = rig({ latency: { dist: "uniform", min: 1, max: 50 }, reorder: 0.5, fifo });
      for (let i = 0; i < 50; i++) r.send(0, 1);
      const order = r.drain();
      return order.filter((id, k) => k > 0 && id < order[k - 1]!).length;
    };
    expect(inversions(false)).toBeGreaterThan(0);
    expect(inversions(true)).toBe(0);
  });

  it("a partition holds what it blocks until release, and drops it in drop mode; the stats count drops", () => {
    const held = rig({ partitionMode: "hold" });
    held.links.setPartition([[0, 1]]);
    held.send(0, 1);
    held.send(1, 0); // the other direction is open: a one-way cut
    expect(held.drain()).toEqual([2]);
    expect(held.net.holding).toBe(1);
    held.links.heal();
    held.net.release();
    expect(held.drain()).toEqual([1]);
    expect(held.log).toContain("release 1");

    const dropped = rig({});
    dropped.links.setPartition([[0, 1]]);
    dropped.send(0, 1);
    expect(dropped.drain()).toEqual([]);
    expect(dropped.stats).toEqual({ sent: 1, dropped: 1, duplicated: 0 });
  });

  it("a message whose recipient crashed since the send is dropped at arrival", () => {
    const r = rig({});
    r.send(0, 1);
    const ev = r.queue.pop()!;
    expect(r.net.arrive(ev, true)).toBe(false);
    expect(r.log).toEqual(["send 1 0>1", "drop 1 crash"]);
    expect(r.net.inFlight).toBe(0);
  });

  it("its streams are injected: another latency stream moves arrival times, never which messages are lost or duplicated", () => {
    const run = (latencySeed: number) => {
      const r = rig({ loss: 0.3, duplicate: 0.3, latency: { dist: "uniform", min: 1, max: 100 } }, 1, latencySeed);
      for (let i = 0; i < 40; i++) r.send(i % 3, (i + 1) % 3);
      const times: number[] = [];
      for (let ev = r.queue.pop(); ev !== undefined; ev = r.queue.pop()) times.push(ev.t);
      return { faults: r.log.filter((l) => !l.startsWith("send")), times };
    };
    const a = run(1);
    const b = run(2);
    expect(b.faults).toEqual(a.faults);
    expect(a.faults.some((l) => l.includes("loss"))).toBe(true);
    expect(a.faults.some((l) => l.startsWith("duplicate"))).toBe(true);
    expect(b.times).not.toEqual(a.times);
  });
});
