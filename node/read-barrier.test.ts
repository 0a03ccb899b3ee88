/**
 * The read barrier: with group commit a write sits in an open batch until its COMMIT, and a
 * crash before it takes the write away. What leaves the node — a client's get and list, the sync
 * answer to a peer's digest, a watch event — must never show such a write. The crash is played
 * by a COMMIT that fails (injected at the connection): the batch is rolled back exactly as a
 * crash would lose it.
 */
import { describe, expect, it } from "vitest";
import { CausalContext, resolveBuiltin, type StoreCrdt } from "../core/index.ts";
import { nodeHarness, type TestNode } from "./_test/nodes.ts";
import { ReplicaHost } from "./replica-host.ts";
import { failNextCommit } from "./storage/_test/faults.ts";
import { openNodeStore, type SqliteNodeStore } from "./storage/index.ts";

const SCHEMA = { collections: { customers: { type: "record", fields: { email: "lww-register" } } } };
/** Long enough that every read below is issued while the write's batch is still open. */
const GROUP = { mode: "group", maxWaitMs: 300 } as const;

const { node, tempDir, keep } = nodeHarness({ schema: SCHEMA, sync: GROUP });

async function nodeWithStore(): Promise<{ node: TestNode; store: SqliteNodeStore }> {
  let store: SqliteNodeStore | undefined;
  const n = await node({ openStore: (dir, o) => (store = openNodeStore(dir, o)) });
  if (!store) throw new Error("openStore was not called");
  return { node: n, store };
}

/** A replica host over a store of its own, with group commit (no node, no sockets). */
function hostOver(): { host: ReplicaHost; store: SqliteNodeStore } {
  const store = keep(openNodeStore(tempDir(), { schema: SCHEMA, nodeId: "a", sync: GROUP }));
  return { host: new ReplicaHost(store, resolveBuiltin({ type: "store", ...SCHEMA }) as StoreCrdt, () => 1), store };
}

describe("reads see durable state only", () => {
  it("a get or list issued while a write's batch is open never shows the write when its commit is lost", async () => {
    const { node, store } = await nodeWithStore();
    await node.update("customers", "alice", "set", ["email", "old@example.com"]);
    failNextCommit(store);
    const write = node.update("customers", "alice", "set", ["email", "lost@example.com"]);
    const reads = Promise.all([node.get("customers", "alice"), node.get("customers", "bob"), node.list("customers")]);
    const extra = node.update("customers", "bob", "set", ["email", "lost-too@example.com"]);
    await expect(write).rejects.toThrow(/commit failed/);
    await expect(extra).rejects.toThrow(/commit failed/);
    expect(await reads).toEqual([{ email: "old@example.com" }, null, [{ id: "alice", value: { email: "old@example.com" } }]]);
  });

  it("a get issued while a write's batch is open answers once that batch is committed, with the write", async () => {
    const { node, store } = await nodeWithStore();
    const commits = store.commits;
    const write = node.update("customers", "alice", "set", ["email", "a@example.com"]);
    const value = await node.get("customers", "alice");
    expect([value, store.commits]).toEqual([{ email: "a@example.com" }, commits + 1]);
    await write;
  });

  it("a watcher is told what a write left once it is durable, not what a later, lost batch changed since", async () => {
    const { host, store } = hostOver();
    const seen: unknown[] = [];
    host.subscribe("customers", (id, value) => seen.push([id, value]));
    // The first write's continuation starts the next batch before the second write's watchers
    // are told: a watcher that read the object then would see that batch's value.
    const first = store
      .write(() => 0)
      .then(() => {
        failNextCommit(store);
        return host.update("customers", "alice", "set", ["email", "lost@example.com"]);
      });
    await host.update("customers", "alice", "set", ["email", "kept@example.com"]);
    await expect(first).rejects.toThrow(/commit failed/);
    expect(seen).toEqual([["alice", { email: "kept@example.com" }]]);
  });

  it("the sync answer to a peer's digest holds nothing of a write whose commit is lost", async () => {
    const { host, store } = hostOver();
    failNextCommit(store);
    const write = host.update("customers", "alice", "set", ["email", "lost@example.com"]);
    const answer = host.missing(new Map([["customers", new CausalContext()]]));
    await expect(write).rejects.toThrow(/commit failed/);
    expect((await answer).parts.flatMap((p) => p.objects.map((o) => o.id))).toEqual([]);
  });
});
