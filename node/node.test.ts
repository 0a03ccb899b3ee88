/**
 * Nodes in this process over real WebSockets on loopback (port 0): convergence, the CRM case,
 * catch-up after an absence, the sequencer across nodes, refusals. Every wait is bounded
 * (waitFor names what it waited for); every node and client is closed after each test.
 */
import { describe, expect, it } from "vitest";
import { inProcessNodes } from "./_test/in-process.ts";
import { waitFor } from "./_test/wait.ts";
import type { Node } from "./node.ts";

const CRM = { collections: { customers: { type: "record", fields: { phone: "mv-register", email: "lww-register", views: "pn-counter" } } } };

const { logs, tempDir, node, client } = inProcessNodes("mc-node-test-", { schema: CRM });

const valueOf = async (n: { list(c: string): Promise<unknown> }) => JSON.stringify(await n.list("customers"));

async function converged(nodes: Node[], what: string): Promise<void> {
  await waitFor(what, async () => {
    const values = await Promise.all(nodes.map(valueOf));
    return values.every((v) => v === values[0]) && values[0] !== "[]";
  });
}

describe("nodes on loopback", () => {
  it("two nodes converge after concurrent writes on both", async () => {
    const b = await node();
    const a = await node({ peers: [b.url] });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => [a.update("customers", `c${i % 7}`, "inc", ["views", 1]), b.update("customers", `c${i % 5}`, "set", ["email", `b${i}@x`])]).flat(),
    );
    await converged([a, b], "a and b to hold the same customers");
    const views = (await a.list("customers")).reduce((s, o) => s + ((o.value as { views: number }).views ?? 0), 0);
    expect(views).toBe(50);
  });

  it("the CRM case: Alice's phone on A, Bob's email on B, both phones kept (MV field), through clients", async () => {
    const b = await node();
    const a = await node({ peers: [b.url] });
    const alice = await client(a.url);
    const bob = await client(b.url);
    await Promise.all([alice.update("customers", "A", "set", ["phone", "555-0101"]), bob.update("customers", "A", "set", ["email", "a@example.com"])]);
    await Promise.all([alice.update("customers", "A", "set", ["phone", "555-0111"]), bob.update("customers", "A", "set", ["phone", "555-0199"])]);
    const want = { email: "a@example.com", phone: ["555-0111", "555-0199"], views: 0 };
    await waitFor(
      "both nodes to hold both phones",
      async () => JSON.stringify(await alice.get("customers", "A")) === JSON.stringify(want) && JSON.stringify(await bob.get("customers", "A")) === JSON.stringify(want),
    );
  });

  it("three nodes in a chain converge (deltas are passed on), and writes on a node with no peer go out when it gets one", async () => {
    const c = await node();
    const b = await node({ peers: [c.url] });
    const a = await node({ peers: [b.url] });
    await Promise.all([a.update("customers", "x", "inc", ["views", 1]), b.update("customers", "x", "inc", ["views", 2]), c.update("customers", "y", "set", ["email", "c"])]);
    await converged([a, b, c], "a, b and c to agree");
    expect(await c.get("customers", "x")).toMatchObject({ views: 3 });
  });

  it("a node away while 2000 updates happen catches up when it comes back", async () => {
    const a = await node();
    for (let i = 0; i < 2000; i += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => a.update("customers", `k${(i + k) % 300}`, "inc", ["views", 1])));
    const b = await node({ peers: [a.url] });
    await converged([a, b], "b to catch up with a");
    expect((await b.list("customers")).length).toBe(300);
  });

  it("a catch-up of big transactions through one-object sync frames: every read on the catching-up node is atomic, and nothing held or on its way is sent again", async () => {
    // 80 objects written by 3 transactions on A before B exists; B then catches up through sync
    // frames of one object each, with a repair digest every 20 ms, while a reader loops getMany on B.
    const KV = { collections: { kv: { type: "record", fields: { v: "lww-register" } } } };
    const ids = Array.from({ length: 80 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    const a = await node({ schema: KV, link: { syncObjectsPerFrame: 1 } });
    for (let n = 1; n <= 3; n++) await a.txn(ids.map((id) => ({ collection: "kv", id, op: "set", args: ["v", n] })));
    const b = await node({ schema: KV, peers: [a.url], digestMs: 20 });
    const keys = ids.map((id) => ({ collection: "kv", id }));
    let reads = 0;
    const fractured: string[] = [];
    await waitFor(
      "b to show the last transaction on every object",
      async () => {
        const values = ((await b.getMany(keys)) as ({ v: number } | null)[]).map((v) => v?.v ?? 0);
        reads++;
        if (new Set(values).size !== 1) fractured.push(values.join(","));
        return values[0] === 3 && b.stats().prepared === 0;
      },
      60_000,
    );
    expect(fractured, "fractured reads on b").toEqual([]);
    expect(reads).toBeGreaterThan(1);
    // Until B has merged nothing more for half a second (at most 15 s): whatever was asked again has arrived.
    const total = () => b.stats().synced.deltaObjects + b.stats().synced.wholeObjects;
    for (let still = 0, last = -1, t0 = Date.now(); still < 5 && Date.now() - t0 < 15_000;) {
      await new Promise((r) => setTimeout(r, 100));
      still = total() === last ? still + 1 : 0;
      last = total();
    }
    // One answer's 80 objects (twice if a digest went out before its first frame arrived); asked
    // again while held or on their way (before: every 20 ms), they came many times over.
    expect(total()).toBeLessThanOrEqual(2 * ids.length);
  }, 90_000);

  it("a watch sees every change of its collection, from local writes and from peers", async () => {
    const b = await node();
    const a = await node({ peers: [b.url] });
    const seen: string[] = [];
    const watcher = await client(a.url);
    await watcher.watch("customers", (c) => seen.push(`${c.id}:${JSON.stringify((c.value as { views: number }).views)}`));
    await a.update("customers", "w", "inc", ["views", 1]);
    await b.update("customers", "w", "inc", ["views", 1]);
    await waitFor("the watcher to see views reach 2", () => seen.includes("w:2"));
    expect(seen[0]).toBe("w:1");
    await expect(watcher.watch("nope", () => {})).rejects.toThrow(/unknown collection "nope"/);
  });

  it("an update's answer names the write (dot, causal context, delta) and state reads it back; testDropEvery acknowledges a write it rolled back", async () => {
    const b = await node();
    const a = await node({ peers: [b.url] });
    const alice = await client(a.url);
    const first = await alice.write("customers", "A", "set", ["phone", "555-0101"]);
    expect(first).toMatchObject({ origin: a.id, seq: 1, known: { vv: { [a.id]: 1 } } });
    expect(typeof first.delta).toBe("string");
    await waitFor("b to hold A", async () => (await b.get("customers", "A")) !== null);
    const fromB = await b.write("customers", "A", "set", ["phone", "555-0202"]);
    // b had applied a's write when it made its own: its causal context says so.
    expect(fromB.known.vv).toEqual({ [a.id]: 1, [b.id]: 1 });
    const st = await b.state("customers", "A");
    expect(st.known.vv).toEqual({ [a.id]: 1, [b.id]: 1 });
    expect(st.state).not.toBeNull();
    expect(await b.state("customers", "nobody")).toMatchObject({ state: null });

    const broken = await node({ testDropEvery: 2 });
    const c = await client(broken.url);
    const kept = await c.write("customers", "X", "set", ["email", "kept@x"]);
    const dropped = await c.write("customers", "X", "set", ["email", "dropped@x"]);
    expect(dropped.seq).toBe(kept.seq + 1); // acknowledged as written…
    expect((await broken.get("customers", "X")) as { email: string }).toMatchObject({ email: "kept@x" }); // …but rolled back
    expect((await c.write("customers", "X", "set", ["email", "again@x"])).seq).toBe(dropped.seq); // and its dot is used again
  });

  it("bad requests are refused with the core's message and change nothing", async () => {
    const a = await node();
    const c = await client(a.url);
    await expect(c.update("customers", "A", "set", ["nofield", 1])).rejects.toThrow(/nofield/);
    await expect(c.update("nope", "A", "set", ["phone", 1])).rejects.toThrow(/unknown collection/);
    await expect(c.get("nope", "A")).rejects.toThrow(/unknown collection/);
    expect(await c.list("customers")).toEqual([]);
  });

  it("a node of another schema is refused, with both fingerprints in the message", async () => {
    const b = await node();
    await node({ peers: [b.url], schema: { collections: { customers: "record" } } });
    await waitFor("b to log the refusal", () => logs.find((l) => l.includes("schema mismatch")));
    const line = logs.find((l) => l.includes("schema mismatch"))!;
    expect(line).toMatch(/schema fingerprint [0-9a-f]{16}, node .* has [0-9a-f]{16}/);
    await waitFor("a to log that it was refused", () => logs.find((l) => l.startsWith("refused by") && l.includes("schema mismatch")));
  });

  it("sequencer: unique increasing numbers across clients of several nodes; unavailable when no node serves the name", async () => {
    const s = await node({ sequencer: ["invoice"] });
    const a = await node({ peers: [s.url] });
    const b = await node({ peers: [s.url] });
    await waitFor("a and b to connect to the sequencer", () => logs.filter((l) => l.includes("serves invoice")).length >= 2);
    const clients = await Promise.all([client(a.url), client(b.url), client(s.url)]);
    const got: number[][] = await Promise.all(
      clients.map(async (c) => {
        const mine: number[] = [];
        for (let i = 0; i < 20; i++) mine.push(await c.next("invoice"));
        return mine;
      }),
    );
    for (const mine of got) expect(mine).toEqual([...mine].sort((x, y) => x - y));
    const all = got.flat().sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await expect(clients[0]!.next("receipt")).rejects.toThrow("unavailable: no reachable node serves sequence receipt");
    expect(await a.next("invoice")).toBe(61);
  });

  it("backpressure: a peer over its high-water mark gets no live deltas (dropped, never queued), and the digest round after the drain repairs them", async () => {
    const b = await node({ digestMs: 60_000 });
    // On loopback the socket buffer drains at once; a high-water mark below zero makes every batch find the peer "over" it.
    const a = await node({ peers: [b.url], link: { highWaterBytes: -1, lowWaterBytes: 0, maxBatch: 16 }, digestMs: 60_000 });
    await waitFor("a to connect to b", () => logs.some((l) => l.startsWith("connected to node") && l.includes(b.url)));
    await Promise.all(Array.from({ length: 3000 }, (_, i) => a.update("customers", `p${i % 50}`, "inc", ["views", 1])));
    await converged([a, b], "b to get all of a's updates (the periodic round is off: only the drain's round can repair)");
    expect(a.stats().droppedForBackpressure).toBeGreaterThan(0);
  });

  it("a peer that goes away and comes back on the same port is dialed again (back-off) and caught up", async () => {
    const bDir = tempDir();
    const b = await node({ dir: bDir });
    const port = b.port;
    const a = await node({ peers: [b.url] });
    await waitFor("a to connect to b", () => logs.some((l) => l.startsWith("connected to node")));
    await b.update("customers", "before", "set", ["email", "written before b went away"]);
    await b.close();
    await a.update("customers", "offline", "set", ["email", "written while b was away"]);
    const b2 = await node({ port, dir: bDir });
    expect(b2.id).toBe(b.id);
    expect(await b2.get("customers", "before")).toMatchObject({ email: "written before b went away" });
    await waitFor("b, back on its port, to get the write a made while it was away", async () =>
      JSON.stringify(await b2.get("customers", "offline")).includes("written while b was away"),
    );
  });

  it("HLC: a node whose clock is far behind (clockOffsetMs) still wins with a write made after it saw the other's; on a physical-clock field it loses", async () => {
    const schema = { collections: { customers: { type: "record", fields: { email: "lww-register", note: { type: "lww-register", clock: "physical" } } } } };
    const b = await node({ schema });
    const a = await node({ schema, peers: [b.url], clockOffsetMs: -3_600_000 });
    await b.update("customers", "H", "set", ["email", "from b"]);
    await b.update("customers", "H", "set", ["note", "from b"]);
    await waitFor("a to see b's writes", async () => JSON.stringify(await a.get("customers", "H")) === '{"email":"from b","note":"from b"}');
    await a.update("customers", "H", "set", ["email", "from a"]);
    await a.update("customers", "H", "set", ["note", "from a"]);
    // HLC: a's write follows the one it saw. Physical clock: a's write is stamped an hour earlier and loses.
    const want = '{"email":"from a","note":"from b"}';
    await waitFor("both to hold a's email and b's note", async () =>
      (await Promise.all([a.get("customers", "H"), b.get("customers", "H")])).every((v) => JSON.stringify(v) === want),
    );
  });
});
