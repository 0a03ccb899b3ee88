/**
 * The code that runs in a node is the code the simulator verifies: StoreReplicas over SQLite
 * backings (every mutating call in `store.write`, a cache of 2 objects, stores closed and
 * reopened mid-history) produce byte for byte the messages, answers, errors and final state of
 * StoreReplicas over core's MemoryBacking, on random histories of ops (bad ones included),
 * deliveries, anti-entropy syncs and log compactions between two nodes.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type DeltaMessage, MemoryBacking, resolveBuiltin, type StoreBacking, type StoreCrdt, StoreReplica } from "../../core/index.ts";
import { checkAsyncProperty } from "../../core/_test/prop.ts";
import { tempDirs } from "./_test/workload.ts";
import { openNodeStore, type SqliteNodeStore, type SyncPolicy } from "./index.ts";

const SCHEMA = {
  collections: {
    customers: { type: "record", fields: { email: "lww-register", phone: "mv-register", views: "pn-counter" } },
    tags: "or-set",
  },
};
const crdt = resolveBuiltin({ type: "store", ...SCHEMA }) as StoreCrdt;
const NODES = ["n0", "n1"];
const IDS = ["A", "B", "C"];
const node = fc.nat(NODES.length - 1);

const opArb = fc
  .oneof(
    fc.tuple(fc.constant("set"), fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("phone"), fc.constantFrom("1", "2")),
    fc.tuple(fc.constant("set"), fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("email"), fc.constantFrom("x", "y")),
    fc.tuple(fc.constant("inc"), fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("views"), fc.integer({ min: 1, max: 3 })),
    fc.tuple(fc.constantFrom("add", "remove"), fc.constant("tags"), fc.constantFrom(...IDS), fc.constantFrom("vip", "new")),
    // Bad input: must be refused and change nothing, on disk as in memory.
    fc.tuple(fc.constant("set"), fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("fax"), fc.constant("0")),
  )
  .map(([op, ...args]) => ({ op, args: args as unknown[] }));

/** Valid ops only: a failing op inside a transaction is rolled back by SQLite's savepoint but not by MemoryBacking. */
const txnArb = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant("set"), fc.constant("customers"), fc.constantFrom(...IDS), fc.constant("email"), fc.constantFrom("x", "y")),
      fc.tuple(fc.constant("add"), fc.constant("tags"), fc.constantFrom(...IDS), fc.constantFrom("vip", "new")),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((ops) => ops.map(([op, ...args]) => ({ op, args: args as unknown[] })));

type Step =
  | { kind: "op"; at: number; op: { op: string; args: unknown[] } }
  | { kind: "txn"; at: number; ops: { op: string; args: unknown[] }[] }
  | { kind: "deliver"; msg: number; to: number }
  | { kind: "sync"; from: number }
  | { kind: "compact"; at: number; all: boolean }
  | { kind: "reopen"; at: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("op" as const), at: node, op: opArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("txn" as const), at: node, ops: txnArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), msg: fc.nat(), to: node }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), at: node, all: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reopen" as const), at: node }) },
);

/** Where the replicas keep their data: how a mutating call is made, and what "reopen" means. */
type Env = { backing(i: number): StoreBacking; write<T>(i: number, fn: () => T): Promise<T>; reopen(i: number): Promise<void>; close(): Promise<void> };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function transcript(steps: Step[], env: Env): Promise<string[]> {
  const open = (i: number) => new StoreReplica(NODES[i]!, crdt, () => i + 1, env.backing(i));
  const replicas = NODES.map((_, i) => open(i));
  const sent: DeltaMessage[] = [];
  const out: string[] = [];
  const attempt = async (f: () => Promise<string>) => {
    try {
      out.push(await f());
    } catch (e) {
      out.push(`error ${(e as Error).name}: ${(e as Error).message}`);
    }
  };
  for (const s of steps) {
    const r = replicas[s.kind === "deliver" ? s.to : s.kind === "sync" ? 1 - s.from : s.at]!;
    const i = replicas.indexOf(r);
    if (s.kind === "op")
      await attempt(async () => {
        const msg = await env.write(i, () => r.update(s.op));
        sent.push(msg);
        return hex(r.codecs.delta.encode(msg));
      });
    else if (s.kind === "txn")
      await attempt(async () => {
        const msgs = await env.write(i, () => r.transact(s.ops));
        sent.push(...msgs);
        return msgs.map((m) => hex(r.codecs.delta.encode(m))).join(" ");
      });
    else if (s.kind === "deliver") {
      if (sent.length === 0) continue;
      const bytes = r.codecs.delta.encode(sent[s.msg % sent.length]!);
      out.push(String(await env.write(i, () => r.receiveBytes(bytes))));
    } else if (s.kind === "sync") {
      const from = replicas[s.from]!;
      const answer = from.codecs.sync.encode(from.missing(r.digest()));
      out.push(`${hex(answer)} ${await env.write(i, () => r.applySyncBytes(answer))}`);
    } else if (s.kind === "compact") {
      const upTo = s.all ? undefined : replicas[1 - s.at]!.digest();
      out.push(String(await env.write(i, () => r.compactLog(upTo))));
    } else {
      await env.reopen(i);
      replicas[i] = open(i);
      out.push("reopened");
    }
  }
  for (const r of replicas) {
    out.push(JSON.stringify(r.value()), hex(r.codecs.digest.encode(r.digest())), hex(r.snapshot()), `log ${r.logSize()}`);
    for (const peer of replicas) if (peer !== r) out.push(hex(r.codecs.sync.encode(r.missing(peer.digest()))));
  }
  await env.close();
  return out;
}

function memoryEnv(): Env {
  const backings = NODES.map(() => new MemoryBacking());
  return { backing: (i) => backings[i]!, write: (_i, fn) => Promise.resolve().then(fn), reopen: () => Promise.resolve(), close: () => Promise.resolve() };
}

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function sqliteEnv(sync: SyncPolicy): Env {
  const paths = NODES.map(() => dirs.make());
  const open = (i: number) => openNodeStore(paths[i]!, { schema: SCHEMA, nodeId: NODES[i]!, sync, cacheObjects: 2 });
  const stores: SqliteNodeStore[] = NODES.map((_, i) => open(i));
  return {
    backing: (i) => stores[i]!.backing,
    write: (i, fn) => stores[i]!.write(fn),
    reopen: async (i) => {
      await stores[i]!.close();
      stores[i] = open(i);
    },
    close: async () => {
      for (const s of stores) await s.close();
    },
  };
}

describe("StoreReplica over SQLite backings", () => {
  for (const sync of [{ mode: "always" }, { mode: "group", maxWaitMs: 1 }] satisfies SyncPolicy[])
    it(`is byte for byte the replica over MemoryBacking, across reopens (sync ${sync.mode})`, async () => {
      await checkAsyncProperty(
        fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), async (steps) => {
          expect(await transcript(steps, sqliteEnv(sync))).toEqual(await transcript(steps, memoryEnv()));
        }),
        { numRuns: 25 },
      );
    }, 120_000);
});
