/**
 * The transaction hold in one StoreReplica, without nodes (bench/suites/node-txn.ts's core rows):
 * a writer's transactions reach a fresh replica in an order that keeps many of them held, and the
 * time until every one is applied is measured.
 *
 * - `deltasShuffled(txns, k)`: `txns` transactions of `k` updates each (every update its own
 *   object), their deltas delivered one per `receiveAll` in a seeded shuffled order.
 * - `syncFrames(keys, rounds)`: `rounds` transactions each writing all `keys` objects (cluster
 *   mode's RAMP catch-up), the replica catching up through sync answers cut into frames of one
 *   object (as `--test-sync-objects-per-frame 1`), digest after digest until it holds everything.
 */
import { resolveBuiltin } from "../core/registry.ts";
import { StoreReplica } from "../core/store/replica.ts";
import type { DeltaMessage, SyncMessage } from "../core/store/messages.ts";
import type { StoreCrdt } from "../core/store/store-crdt.ts";

const store = resolveBuiltin({ type: "store", collections: { kv: { type: "record", fields: { v: "lww-register" } } } }) as unknown as StoreCrdt;
const set = (id: string, n: number) => ({ op: "set", args: ["kv", id, "v", n] });
const ms = () => Number(process.hrtime.bigint()) / 1e6;

/** A small seeded generator (mulberry32): the same order every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type HoldRun = { ms: number; maxHeld: number; frames: number };

/** `txns` transactions of `k` updates, their deltas into a fresh replica one at a time in a shuffled order. */
export function deltasShuffled(txns: number, k: number, seed = 1): HoldRun {
  let clock = 0;
  const a = new StoreReplica("A", store, () => clock);
  const sent: DeltaMessage[] = [];
  for (let t = 0; t < txns; t++) {
    clock = t + 1;
    sent.push(...a.transact(Array.from({ length: k }, (_, j) => set(`t${t}m${j}`, t + 1))));
  }
  const r = rng(seed);
  for (let i = sent.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [sent[i], sent[j]] = [sent[j]!, sent[i]!];
  }
  const b = new StoreReplica("B", store);
  let maxHeld = 0;
  const t0 = ms();
  for (const d of sent) {
    b.receiveAll([d]);
    if (b.preparedCount > maxHeld) maxHeld = b.preparedCount;
  }
  const took = ms() - t0;
  if (b.preparedCount !== 0 || b.count("kv") !== txns * k) throw new Error(`deltasShuffled: ${b.preparedCount} still held, ${b.count("kv")} objects`);
  return { ms: took, maxHeld, frames: sent.length };
}

/** A sync answer cut into frames of one object (node/peer/sync-chunks.ts with perFrame 1). */
function oneObjectFrames(msg: SyncMessage): SyncMessage[] {
  const out: SyncMessage[] = [];
  for (const part of msg.parts) part.objects.forEach((o, at) => out.push({ parts: [{ ...part, known: at === part.objects.length - 1 ? part.known : part.base, objects: [o] }] }));
  return out;
}

/** `rounds` transactions over all `keys` objects on A; B catches up through one-object sync frames, digest after digest. */
export function syncFrames(keys: number, rounds: number): HoldRun {
  let clock = 0;
  const a = new StoreReplica("A", store, () => clock);
  const ids = Array.from({ length: keys }, (_, i) => `k${String(i).padStart(4, "0")}`);
  for (let n = 1; n <= rounds; n++) {
    clock = n;
    a.transact(ids.map((id) => set(id, n)));
  }
  const b = new StoreReplica("B", store);
  let maxHeld = 0;
  let frames = 0;
  const t0 = ms();
  for (let round = 0; ; round++) {
    if (round > 10) throw new Error("syncFrames: not caught up after 10 digests");
    const answer = a.missing(b.digest());
    if (answer.parts.every((p) => p.objects.length === 0)) break;
    for (const f of oneObjectFrames(answer)) {
      b.applySync(f);
      frames++;
      if (b.preparedCount > maxHeld) maxHeld = b.preparedCount;
    }
  }
  const took = ms() - t0;
  if (b.preparedCount !== 0 || JSON.stringify(b.value()) !== JSON.stringify(a.value())) throw new Error(`syncFrames: ${b.preparedCount} still held, or B differs from A`);
  return { ms: took, maxHeld, frames };
}

/**
 * The bytes of the answer to an empty digest after `rounds` transactions over all `keys` objects
 * (core's sync encoding): in one frame, and cut into frames of one object. The one frame is what
 * the part's table of transactions saves (each object naming them by index, not repeating them).
 */
export function syncAnswerBytes(keys: number, rounds: number): { oneFrame: number; oneObjectFrames: number } {
  const a = new StoreReplica("A", store);
  const ids = Array.from({ length: keys }, (_, i) => `k${String(i).padStart(4, "0")}`);
  for (let n = 1; n <= rounds; n++) a.transact(ids.map((id) => set(id, n)));
  const answer = a.missing(new Map());
  return {
    oneFrame: a.codecs.sync.encode(answer).length,
    oneObjectFrames: oneObjectFrames(answer).reduce((n, f) => n + a.codecs.sync.encode(f).length, 0),
  };
}

if (process.argv[1]?.endsWith("txn-hold-workload.ts")) {
  const [what, x, y] = process.argv.slice(2);
  const r =
    what === "sync"
      ? syncFrames(Number(x ?? 150), Number(y ?? 4))
      : what === "bytes"
        ? syncAnswerBytes(Number(x ?? 150), Number(y ?? 4))
        : deltasShuffled(Number(x ?? 1000), Number(y ?? 4));
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
