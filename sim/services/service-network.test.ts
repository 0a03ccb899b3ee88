/**
 * Service messages cross the same network component as the replicas' (sim/engine/network.ts):
 * per-link FIFO holds for them too — before issue 20 the services' copy of the network skipped
 * it — and the run's message stats count them.
 */
import { describe, expect, it } from "vitest";
import { orSet } from "../../core/crdt/or-set.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Scenario } from "../scenario/types.ts";

/** Three clients ask the sequencer for numbers over a reordering network. */
function invoices(fifo: boolean): Scenario {
  const clients = ["a", "b", "c"];
  return {
    name: "service-fifo",
    nodes: ["server", ...clients],
    crdt: "or-set",
    duration: 3000,
    network: { latency: { dist: "uniform", min: 5, max: 60 }, reorder: 0.5, fifo },
    services: { sequencer: { node: "server", timeoutMs: 2000, retryMs: 2000 } },
    steps: Array.from({ length: 60 }, (_, i) => ({ at: 10 + 10 * i, node: clients[i % 3]!, next: "invoice" })),
  };
}

type Line = { t: number; type: string; msg?: number; from?: string; to?: string; kind?: string };

/** Per link, the service messages' ids in delivery order, and whether each link kept send order. */
function inversions(sc: Scenario): number {
  const run = runSimulation(sc, orSet, { seed: 3, trace: true, crdtName: "or-set" });
  const lines = run.trace!.map((l) => JSON.parse(l) as Line);
  const service = new Set(lines.filter((e) => e.type === "send" && e.kind?.startsWith("seq.")).map((e) => e.msg));
  const last = new Map<string, number>();
  let out = 0;
  for (const e of lines) {
    if (e.type !== "deliver" || !service.has(e.msg)) continue;
    const link = `${e.from}>${e.to}`;
    if ((last.get(link) ?? 0) > e.msg!) out++;
    last.set(link, Math.max(last.get(link) ?? 0, e.msg!));
  }
  return out;
}

describe("service traffic on the shared network", () => {
  it("a reordering network does reorder service messages on a link…", () => {
    expect(inversions(invoices(false))).toBeGreaterThan(0);
  });

  it("…and with fifo: true they arrive in send order, like the replicas' messages", () => {
    expect(inversions(invoices(true))).toBe(0);
  });

  it("the run's sent, delivered and duplicated counts include service messages", () => {
    const sc: Scenario = { ...invoices(false), network: { duplicate: 0.3 } };
    const { summary, trace } = runSimulation(sc, orSet, { seed: 3, trace: true, crdtName: "or-set" });
    const lines = trace!.map((l) => JSON.parse(l) as Line);
    const count = (type: string) => lines.filter((e) => e.type === type).length;
    // Most messages are the sequencer's; the rest are anti-entropy rounds of the (empty) replicas.
    expect(lines.filter((e) => e.type === "send" && e.kind?.startsWith("seq.")).length).toBeGreaterThan(100);
    expect(summary.stats.sent).toBe(count("send"));
    expect(summary.stats.duplicated).toBe(count("duplicate"));
    expect(summary.stats.duplicated).toBeGreaterThan(0);
    expect(summary.stats.delivered).toBe(count("deliver"));
  });
});
