/**
 * Two real nodes syncing over WebSocket on loopback (node/, openNode; both in this process, each
 * with its own server and socket, each over its own SQLite store in a temp directory with the
 * node's default durability, group commit of at most 5 ms: every write on A and every delta
 * applied on B is on disk before it counts):
 *
 * - sync throughput: WRITES field updates issued on A (at most WINDOW outstanding), counted
 *   from the first write until B has applied the last (B's change events), as updates/s; with
 *   the p50/p99 latency from the write's call on A to its change event on B under that load;
 * - paced latency: PACED updates one at a time (the next once the previous is visible on B),
 *   p50/p99 of write-on-A → visible-on-B with nothing else in flight;
 * - catch-up: A holds MISSED updates (on MISSED_OBJECTS objects) made while B was away; the time
 *   from opening B (peer A) until B holds all of them.
 *
 * Run alone: `npm run bench -- node`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchRow } from "../types.ts";
import { DEFAULT_SYNC, openNode, type Node, type NodeOptions } from "../../node/index.ts";

export const name = "node";

const WRITES = 20_000;
const WINDOW = 256;
const PACED = 1_000;
const MISSED = 100_000;
const MISSED_OBJECTS = 10_000;
const SCHEMA = { collections: { customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } } } };
const quiet = () => {};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const ms = () => Number(process.hrtime.bigint()) / 1e6;

const dirs: string[] = [];

/** A node over a new data directory (removed when the suite ends). */
function node(options: Partial<NodeOptions> = {}): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), "mc-bench-node-"));
  dirs.push(dir);
  return openNode({ dir, schema: SCHEMA, log: quiet, ...options });
}

async function pair(): Promise<[Node, Node]> {
  const b = await node();
  const a = await node({ peers: [b.url] });
  while (a.stats().peers === 0 || b.stats().peers === 0) await new Promise((r) => setTimeout(r, 10));
  return [a, b];
}

async function throughput(): Promise<BenchRow[]> {
  const [a, b] = await pair();
  try {
    const started = new Map<string, number>();
    const latencies: number[] = [];
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    b.subscribe("customers", (c) => {
      const t = started.get(c.id);
      if (t === undefined) return;
      latencies.push(ms() - t);
      started.delete(c.id);
      if (latencies.length === WRITES) done();
    });
    const t0 = ms();
    let next = 0;
    const worker = async () => {
      while (next < WRITES) {
        const id = `t${next++}`;
        started.set(id, ms());
        await a.update("customers", id, "set", ["email", `${id}@example.com`]);
      }
    };
    await Promise.all(Array.from({ length: WINDOW }, worker));
    await all;
    const seconds = (ms() - t0) / 1000;
    return [
      {
        suite: name,
        name: `sync throughput A → B (${WRITES.toLocaleString("en-US")} field updates, ${WINDOW} in flight)`,
        value: WRITES / seconds,
        unit: "updates/s",
        note: `${a.stats().droppedForBackpressure} dropped for backpressure`,
      },
      { suite: name, name: "latency write on A → visible on B under that load, p50", value: pct(latencies, 50), unit: "ms" },
      { suite: name, name: "latency write on A → visible on B under that load, p99", value: pct(latencies, 99), unit: "ms" },
    ];
  } finally {
    await a.close();
    await b.close();
  }
}

async function paced(): Promise<BenchRow[]> {
  const [a, b] = await pair();
  try {
    const latencies: number[] = [];
    for (let i = 0; i < PACED; i++) {
      const id = `p${i}`;
      const seen = new Promise<void>((resolve) => {
        const stop = b.subscribe("customers", (c) => {
          if (c.id !== id) return;
          stop();
          resolve();
        });
      });
      const t = ms();
      await a.update("customers", id, "inc", ["views", 1]);
      await seen;
      latencies.push(ms() - t);
    }
    return [
      { suite: name, name: `latency write on A → visible on B, one at a time (${PACED}), p50`, value: pct(latencies, 50), unit: "ms" },
      { suite: name, name: `latency write on A → visible on B, one at a time (${PACED}), p99`, value: pct(latencies, 99), unit: "ms" },
    ];
  } finally {
    await a.close();
    await b.close();
  }
}

async function catchUp(): Promise<BenchRow[]> {
  const a = await node();
  let b: Node | undefined;
  try {
    for (let i = 0; i < MISSED; i += 1000) await Promise.all(Array.from({ length: 1000 }, (_, k) => a.update("customers", `c${(i + k) % MISSED_OBJECTS}`, "inc", ["views", 1])));
    let applied = 0;
    const t0 = ms();
    b = await node({ peers: [a.url] });
    b.subscribe("customers", () => void applied++);
    while (applied < MISSED_OBJECTS) await new Promise((r) => setTimeout(r, 5));
    const seconds = (ms() - t0) / 1000;
    const list = await b.list("customers");
    const views = list.reduce((s, o) => s + (o.value as { views: number }).views, 0);
    if (views !== MISSED) throw new Error(`node bench: B caught up ${views} of ${MISSED} updates`);
    return [
      {
        suite: name,
        name: `catch-up of ${MISSED.toLocaleString("en-US")} missed updates on ${MISSED_OBJECTS.toLocaleString("en-US")} objects`,
        value: seconds * 1000,
        unit: "ms",
        note: `open B (a new directory) → B holds them all on disk (one digest answer, in sync frames of ≤ 2,000 objects; ${b.stats().synced.deltaObjects} objects as joined deltas, ${b.stats().synced.wholeObjects} whole)`,
      },
    ];
  } finally {
    await b?.close();
    await a.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  try {
    const rows = [...(await throughput()), ...(await paced()), ...(await catchUp())];
    const sync = DEFAULT_SYNC.mode === "group" ? `group commit, ≤ ${DEFAULT_SYNC.maxWaitMs} ms` : "fsync per write";
    return rows.map((r) => ({ ...r, note: r.note ? `${r.note}; ${sync}` : sync }));
  } finally {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
