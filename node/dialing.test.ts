/**
 * Dialing peers, with real nodes on loopback: a peer that refuses this node (another schema)
 * is said once and redialed slowly, not at every back-off step; two nodes that dial each other
 * keep one link — the one the lower node id dialed — and still sync both ways; the node whose
 * link was closed as the duplicate dials again once the kept link goes.
 */
import { describe, expect, it } from "vitest";
import { nodeHarness, type TestNode } from "./_test/nodes.ts";
import { waitFor } from "./_test/wait.ts";

const SCHEMA = { collections: { customers: { type: "record", fields: { email: "lww-register" } } } };
const OTHER = { collections: { customers: { type: "record", fields: { phone: "mv-register" } } } };
/** Fast redials, so that a node redialing in a loop would show it within the waits below. */
const FAST = { baseMs: 20, capMs: 100 };

const { node, tempDir } = nodeHarness({ schema: SCHEMA, digestMs: 200, backoff: FAST });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (n: TestNode, text: string) => n.logs.filter((l) => l.includes(text)).length;

describe("a peer that refuses this node", () => {
  it("is said once, by each side, and not redialed at every back-off step", async () => {
    const a = await node();
    const b = await node({ schema: OTHER, peers: [a.url] });
    await waitFor("b to be refused", () => count(b, "refused by") > 0);
    await sleep(1000); // ten back-off caps: a node redialing in a loop would have been refused ~10 times
    expect([count(b, "refused by"), count(a, "refusing")]).toEqual([1, 1]);
    expect(b.logs[0]).toMatch(/^refused by ws:\/\/.*: schema mismatch: .*\(redialing every 60 s until it is accepted/);
  });

  it("is dialed again (after refusedMs) and linked once it accepts", async () => {
    const a = await node();
    const port = a.port;
    const b = await node({ schema: OTHER, peers: [a.url], backoff: { ...FAST, refusedMs: 300 } });
    await waitFor("b to be refused", () => count(b, "refused by") > 0);
    await a.close();
    // The operator restarts the node at that address with the schema b has.
    const a2 = await node({ schema: OTHER, port });
    await waitFor("b to link with the restarted node", () => b.stats().peers === 1 && a2.stats().peers === 1);
    expect(count(b, "refused by")).toBe(1);
  });
});

describe("two nodes that dial each other", () => {
  /** a (the lower id) and b, each with --peer the other: a is started, stopped and restarted on its port once b's URL is known. */
  async function mutual(): Promise<{ a: TestNode; b: TestNode; aDir: string }> {
    const aDir = tempDir();
    const first = await node({ dir: aDir, nodeId: "node-a" });
    const port = first.port;
    await first.close();
    const b = await node({ nodeId: "node-b", peers: [`ws://127.0.0.1:${port}`] });
    const a = await node({ dir: aDir, port, peers: [b.url] });
    return { a, b, aDir };
  }

  it("keep exactly one link, the one the lower node id dialed, and sync both ways over it", async () => {
    const { a, b } = await mutual();
    await waitFor("one side to close the duplicate link", () => a.logs.concat(b.logs).some((l) => l.includes("duplicate link")));
    await sleep(1000); // ten back-off caps: a duplicate dialed again and again would show here
    expect([a.stats().peers, b.stats().peers]).toEqual([1, 1]);
    // The link that stays is the one a dialed: a's log names b's URL, b's log does not name a's.
    expect(a.logs.filter((l) => l.startsWith("connected to")).at(-1)).toContain(b.url);
    expect(a.logs.concat(b.logs).filter((l) => l.startsWith("closing the duplicate link"))[0]).toContain("the link node node-a dialed stays");
    // Links made in a second: at most the two of the first meeting, none since.
    expect(count(a, "connected to") + count(b, "connected to")).toBeLessThanOrEqual(4);
    await a.update("customers", "from-a", "set", ["email", "a@example.com"]);
    await b.update("customers", "from-b", "set", ["email", "b@example.com"]);
    await waitFor(
      "both writes on both nodes",
      async () => JSON.stringify(await a.list("customers")) === JSON.stringify(await b.list("customers")) && (await a.list("customers")).length === 2,
    );
  });

  it("the node whose link was closed as the duplicate dials again once the kept link goes", async () => {
    const { a, b, aDir } = await mutual();
    await waitFor("the duplicate to be closed", () => a.logs.concat(b.logs).some((l) => l.includes("duplicate link")));
    const port = a.port;
    await a.close();
    // a comes back without --peer: only b's dialer, standing by until now, can make the link.
    const a2 = await node({ dir: aDir, port });
    await waitFor("b to dial the node at a's address again", () => b.stats().peers === 1 && a2.stats().peers === 1);
  });
});
