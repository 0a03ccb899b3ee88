/**
 * Transactions between two real nodes (openNode, both in this process, each over its own SQLite
 * store with the default group commit, linked over WebSocket on loopback): UPDATES field updates
 * made as transactions of 2 and of 8 updates (`txn`), and the same updates as plain writes
 * (`update`), each on its own objects, at most WINDOW updates in flight; counted from the first
 * call on A until B has applied the last (B's change events), as updates/s. The ratio rows are
 * of the same run.
 *
 * Then the hold alone, in one StoreReplica without nodes (bench/txn-hold-workload.ts): 1,000
 * transactions of 4 updates whose deltas arrive one at a time in a shuffled order, and 300 keys
 * written by 4 transactions caught up through one-object sync frames; ms until all are applied.
 *
 * Last, the catch-up over the wire (bench/txn-catch-up.ts, issue 18): two real nodes, 150 keys
 * written by 4 transactions on A before B exists, B catching up through one-object sync frames
 * with a digest every 100 ms (cluster mode's RAMP case); ms from B's open until it shows all.
 * And the bytes of that answer (core's sync encoding), in one frame and in one-object frames.
 *
 * Run alone: `npm run bench -- node-txn`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchRow } from "../types.ts";
import { openNode, type Node, type NodeOptions } from "../../node/index.ts";
import { catchUp } from "../txn-catch-up.ts";
import { deltasShuffled, syncAnswerBytes, syncFrames } from "../txn-hold-workload.ts";

export const name = "node-txn";

const UPDATES = 8_000;
const WINDOW = 256;
const SCHEMA = { collections: { customers: { type: "record", fields: { email: "lww-register" } } } };

const ms = () => Number(process.hrtime.bigint()) / 1e6;
const dirs: string[] = [];

function node(options: Partial<NodeOptions> = {}): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), "mc-bench-txn-"));
  dirs.push(dir);
  return openNode({ dir, schema: SCHEMA, log: () => {}, ...options });
}

/** Updates/s from the first call on A until B applied all of them: `k` updates per txn, or plain writes when k is 0. */
async function measure(k: number, tag: string): Promise<number> {
  const b = await node();
  const a = await node({ peers: [b.url] });
  try {
    while (a.stats().peers === 0 || b.stats().peers === 0) await new Promise((r) => setTimeout(r, 10));
    let seen = 0;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    b.subscribe("customers", () => {
      if (++seen === UPDATES) done();
    });
    const set = (i: number) => ({ collection: "customers", id: `${tag}${i}`, op: "set", args: ["email", `v${i}`] });
    const t0 = ms();
    const step = k === 0 ? 1 : k;
    let next = 0;
    const worker = async () => {
      while (next < UPDATES) {
        const at = next;
        next += step;
        if (k === 0) await a.update("customers", `${tag}${at}`, "set", ["email", `v${at}`]);
        else await a.txn(Array.from({ length: k }, (_, j) => set(at + j)));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.floor(WINDOW / step)) }, worker));
    await all;
    return UPDATES / ((ms() - t0) / 1000);
  } finally {
    await a.close();
    await b.close();
  }
}

process.once("exit", () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export async function run(): Promise<BenchRow[]> {
  // The core rows first: the node rows leave sockets and SQLite files behind them.
  const shuffled = deltasShuffled(1000, 4);
  const frames = syncFrames(300, 4);
  const caught = await catchUp(150, 4);
  const bytes = syncAnswerBytes(150, 4);
  const plain = await measure(0, "p");
  const t2 = await measure(2, "t2_");
  const t8 = await measure(8, "t8_");
  const note = `${UPDATES.toLocaleString("en-US")} field updates A → B, ${WINDOW} in flight, group commit`;
  return [
    { suite: name, name: "plain writes, updates/s (A → visible on B)", value: Math.round(plain), unit: "updates/s", note },
    { suite: name, name: "txn of 2 updates, updates/s (A → visible on B)", value: Math.round(t2), unit: "updates/s", note },
    { suite: name, name: "txn of 8 updates, updates/s (A → visible on B)", value: Math.round(t8), unit: "updates/s", note },
    { suite: name, name: "txn of 2 / plain writes, same run", value: Number((t2 / plain).toFixed(2)), unit: "ratio" },
    { suite: name, name: "txn of 8 / plain writes, same run", value: Number((t8 / plain).toFixed(2)), unit: "ratio" },
    {
      suite: name,
      name: "hold: 1,000 txns of 4, deltas one at a time shuffled, ms to apply all",
      value: Math.round(shuffled.ms),
      unit: "ms",
      note: `one StoreReplica, ${shuffled.frames.toLocaleString("en-US")} receiveAll calls, at most ${shuffled.maxHeld.toLocaleString("en-US")} updates held`,
    },
    {
      suite: name,
      name: "hold: 300 keys × 4 txns, one-object sync frames, ms to catch up",
      value: Math.round(frames.ms),
      unit: "ms",
      note: `one StoreReplica, ${frames.frames} applySync calls, at most ${frames.maxHeld} objects held`,
    },
    {
      suite: name,
      name: "catch-up over the wire: 150 keys × 4 txns, one-object sync frames, digest every 100 ms, ms",
      value: Math.round(caught.ms),
      unit: "ms",
      note: `two nodes on loopback; B merged or held ${caught.syncedObjects.toLocaleString("en-US")} sync objects by then (${caught.keys} needed)`,
    },
    {
      suite: name,
      name: "sync answer bytes: 150 keys × 4 txns, one frame",
      value: bytes.oneFrame,
      unit: "bytes",
      note: `one-object frames: ${bytes.oneObjectFrames.toLocaleString("en-US")} bytes in all (each frame lists its object's transactions)`,
    },
  ];
}
