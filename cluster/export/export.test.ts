// Exports for other checkers: the Elle history of a naive RAMP run shows its fractured read (a
// read that sees one key of a committed write transaction and an older value of another), and
// the ShiViz log carries vector clocks that follow the messages.
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/index.ts";
import { elleFromHistory, elleFromTrace, SHIVIZ_REGEX, shivizFromTrace, type ElleOp, type HistoryEntry } from "../index.ts";

const SCENARIOS = new URL("../../scenarios/", import.meta.url);

type Micro = [string, string, unknown];

/** Reads that saw part of a write transaction: a key with its value and another key without it. */
function fracturedReads(ops: readonly ElleOp[]): { read: Micro[]; write: Micro[] }[] {
  const writes = ops.filter((o) => o.type === "ok" && o.f === "txn" && (o.value as Micro[]).every((m) => m[0] === "w")).map((o) => o.value as Micro[]);
  const reads = ops.filter((o) => o.type === "ok" && o.f === "txn" && (o.value as Micro[]).every((m) => m[0] === "r")).map((o) => o.value as Micro[]);
  const out: { read: Micro[]; write: Micro[] }[] = [];
  for (const read of reads) {
    const seen = new Map(read.map(([, k, v]) => [k, v]));
    for (const write of writes) {
      const keys = write.filter(([, k]) => seen.has(k));
      const hit = keys.filter(([, k, v]) => seen.get(k) === v);
      if (keys.length >= 2 && hit.length > 0 && hit.length < keys.length) out.push({ read, write });
    }
  }
  return out;
}

describe("Elle export", () => {
  it("shows the fractured read of a naive RAMP run, and none of RAMP-Fast's", async () => {
    const naive = await simulate(new URL("ramp-fractured-reads-naive.json", SCENARIOS).pathname);
    const ops = elleFromTrace(naive.trace!, naive.summary.crdt);
    expect(ops.every((o, i) => o.index === i && ["invoke", "ok", "fail", "info"].includes(o.type))).toBe(true);
    expect(fracturedReads(ops)).toContainEqual({
      read: [
        ["r", "x", 1],
        ["r", "y", 0],
      ],
      write: [
        ["w", "x", 1],
        ["w", "y", 1],
      ],
    });
    const ramp = await simulate(new URL("ramp-atomic-reads.json", SCENARIOS).pathname);
    const rampOps = elleFromTrace(ramp.trace!, ramp.summary.crdt);
    expect(rampOps.some((o) => o.f === "txn" && o.type === "ok")).toBe(true);
    expect(fracturedReads(rampOps)).toEqual([]);
  });

  it("never gives one process two open operations, and pairs each invoke with one completion", () => {
    const h = (index: number, node: string, invoke: number, complete: number, op = "set", args: unknown[] = [index]): HistoryEntry => ({
      index,
      node,
      op,
      args,
      invoke,
      complete,
      type: "ok",
    });
    const ops = elleFromHistory([h(0, "a", 0, 10), h(1, "a", 5, 8), h(2, "b", 6, 7), h(3, "a", 9, 12), { ...h(4, "a", 20, 21, "read", []), value: 3 }], "lww-register");
    const open = new Map<number, ElleOp>();
    for (const o of ops) {
      if (o.type === "invoke") {
        expect(open.has(o.process), `process ${o.process} at index ${o.index}`).toBe(false);
        open.set(o.process, o);
      } else expect(open.delete(o.process)).toBe(true);
    }
    expect(open.size).toBe(0);
    expect(ops.at(-1)).toMatchObject({ type: "ok", f: "txn", value: [["r", "value", 3]] });
    expect(ops[0]).toMatchObject({ type: "invoke", f: "txn", value: [["w", "value", 0]], time: 0 });
  });
});

describe("ShiViz export", () => {
  it("writes host/clock/event pairs its regex parses, the receiver's clock covering the sender's send", async () => {
    const run = await simulate(new URL("or-set-add-wins.json", SCENARIOS).pathname);
    const log = shivizFromTrace(run.trace!);
    const re = new RegExp(SHIVIZ_REGEX, "g");
    const events = [...log.matchAll(re)].map((m) => ({ host: m.groups!.host!, clock: JSON.parse(m.groups!.clock!) as Record<string, number>, event: m.groups!.event! }));
    expect(events.length * 2).toBe(log.trim().split("\n").length);
    const deliver = events.find((e) => e.event.includes(" deliver "));
    expect(deliver).toBeDefined();
    const from = /from (\S+)/.exec(deliver!.event)![1]!;
    expect(deliver!.clock[from]).toBeGreaterThan(0);
    for (const host of new Set(events.map((e) => e.host))) {
      const own = events.filter((e) => e.host === host).map((e) => e.clock[host]);
      expect(own).toEqual(own.map((_, i) => i + 1));
    }
  });
});
