/**
 * The node's durability, with real processes on loopback (127.0.0.1, port 0) over real data
 * directories: `kill -9` in the middle of a write burst from several clients loses no
 * acknowledged write; a node killed while its peer takes 10k updates catches up from its own
 * data with only what it lacked; a sequencer killed in the middle of `next` calls never repeats a
 * number; a clean SIGTERM keeps everything; and the article's CRM case end to end on disk. Every
 * wait is bounded and names what it waited for; every node is stopped and every temp dir removed.
 */
import { describe, expect, it } from "vitest";
import { waitFor } from "../node/_test/wait.ts";
import { nodeHarness } from "./_test/node-harness.ts";
import { type NodeProcess, startNode } from "./_test/node-process.ts";
import { cli } from "./spawn-cli.ts";

const { tempDir, client } = nodeHarness("mc-durable-");

type Customer = { id: string; value: { email: string | null; views: number } };
const customers = async (url: string) => (await (await client(url)).list("customers")) as Customer[];
const totalViews = (all: Customer[]) => all.reduce((s, o) => s + o.value.views, 0);

/** kill -9: the process gets no chance to flush or close anything. */
const kill9 = (n: NodeProcess) => n.stop("SIGKILL");

describe("a node's acknowledged writes survive the process", () => {
  for (const sync of ["group", "always"]) {
    it(`kill -9 in the middle of a write burst from 4 clients loses no acknowledged write (--sync ${sync})`, async () => {
      const dir = tempDir();
      const n = await startNode(["--data", "n", "--sync", sync], dir);
      const acked: { id: string; email: string }[] = [];
      const writers = await Promise.all([0, 1, 2, 3].map(() => client(n.url)));
      // Each client writes its own objects one after another until the node goes away; every
      // `{"ok":true}` (a resolved update) is recorded.
      const bursts = writers.map(async (w, c) => {
        for (let k = 0; ; k++) {
          const id = `w${c}-${k}`;
          try {
            await w.update("customers", id, "set", ["email", `e${k}`]);
          } catch {
            return;
          }
          acked.push({ id, email: `e${k}` });
        }
      });
      await waitFor("400 acknowledged writes", () => acked.length >= 400);
      expect(await kill9(n)).toBe(null);
      await Promise.all(bursts);
      const back = await startNode(["--data", "n", "--sync", sync], dir);
      const got = new Map((await customers(back.url)).map((o) => [o.id, o.value.email]));
      const lost = acked.filter((a) => got.get(a.id) !== a.email);
      expect(lost, `acknowledged writes missing after restart (of ${acked.length})`).toEqual([]);
    });
  }

  it("a node killed -9 while its peer takes 10k updates catches up from its own data, receiving only what it lacked", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    // b answers reads only from committed rows (sync always: no batch stays open across turns),
    // so once it shows a's first 1000 updates they are on its disk before the kill.
    const b = await startNode(["--data", "b", "--sync", "always", "--peer", a.url], dir);
    const w = await client(a.url);
    const burst = async (n: number, objects: number) => {
      for (let i = 0; i < n; i += 500) await Promise.all(Array.from({ length: 500 }, (_, k) => w.update("customers", `k${(i + k) % objects}`, "inc", ["views", 1])));
    };
    await burst(1000, 1000);
    await waitFor("b to hold a's 1000 customers", async () => totalViews(await customers(b.url)) === 1000);
    expect(await kill9(b)).toBe(null);
    // 10k updates while b is down, all on 100 of the 1000 customers.
    await burst(10_000, 100);
    const back = await startNode(["--data", "b", "--sync", "always", "--peer", a.url], dir);
    await waitFor("b, restarted, to catch up with a's 10k updates", async () => totalViews(await customers(back.url)) === 11_000, 60_000);
    expect(await customers(back.url)).toEqual(await customers(a.url));
    // From its own data b had the first 1000 customers: a's answer to its digest held the 100
    // customers the 10k updates touched (their joined deltas from a's log), not the whole store.
    const merged = [...back.stderr().matchAll(/merged (\d+) object\(s\) from .*'s sync answer \((\d+) whole\)/g)];
    expect(merged.reduce((s, m) => s + Number(m[1]), 0)).toBe(100);
    expect(merged.reduce((s, m) => s + Number(m[2]), 0)).toBe(0);
  });

  it("a sequencer killed -9 in the middle of `next` calls and restarted never repeats a number; each client's numbers keep increasing", async () => {
    const dir = tempDir();
    const s = await startNode(["--data", "s", "--sequencer", "invoice"], dir);
    const got: number[][] = [[], [], []];
    const draw = (url: string) =>
      got.map(async (mine) => {
        const c = await client(url);
        for (;;) {
          try {
            mine.push(await c.next("invoice"));
          } catch {
            return;
          }
        }
      });
    const first = draw(s.url);
    await waitFor("150 numbers handed out", () => got.flat().length >= 150);
    expect(await kill9(s)).toBe(null);
    await Promise.all(first);
    const before = got.map((mine) => mine.length);
    const back = await startNode(["--data", "s", "--sequencer", "invoice"], dir);
    // The same three users, with new connections to the restarted node.
    const second = draw(back.url);
    await waitFor("100 more numbers after the restart", () => got.flat().length >= before.reduce((x, y) => x + y, 0) + 100);
    expect(await back.stop()).toBe(0);
    await Promise.all(second);
    for (const mine of got) expect(mine).toEqual([...mine].sort((x, y) => x - y));
    const all = got.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it("a clean SIGTERM keeps everything: writes, the node id, the sequence", async () => {
    const dir = tempDir();
    const n = await startNode(["--data", "n", "--sequencer", "invoice"], dir);
    const w = await client(n.url);
    await Promise.all(Array.from({ length: 200 }, (_, k) => w.update("customers", `t${k % 20}`, "inc", ["views", 1])));
    const set = await cli(["client", n.url, "update", "customers", "A", "set", '["phone","555-0101"]'], dir);
    expect(set.stdout).toBe('{"ok":true}\n');
    const numbers = [await w.next("invoice"), await w.next("invoice")];
    const before = await customers(n.url);
    expect(await n.stop("SIGTERM")).toBe(0);
    const back = await startNode(["--data", "n", "--sequencer", "invoice"], dir);
    expect(await customers(back.url)).toEqual(before);
    expect(totalViews(before)).toBe(200);
    const next = await cli(["client", back.url, "next", "invoice"], dir);
    expect(Number(next.stdout)).toBeGreaterThan(Math.max(...numbers));
  });
});

describe("the article's CRM case, end to end on disk", () => {
  it("two nodes apart: Alice sets the phone on one, Bob the phone and email on the other; after a restart with --peer both show both phones", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "alice"], dir);
    const b = await startNode(["--data", "bob"], dir);
    const update = (n: { url: string }, field: string, v: string) => cli(["client", n.url, "update", "customers", "A", "set", JSON.stringify([field, v])], dir);
    const results = await Promise.all([update(a, "phone", "555-0101"), update(b, "phone", "555-0199"), update(b, "email", "alice@example.com")]);
    expect(results.map((r) => [r.code, r.stdout])).toEqual(Array(3).fill([0, '{"ok":true}\n']));
    // Bob's node goes down and comes back from its own data, now linked to Alice's.
    expect(await b.stop()).toBe(0);
    const b2 = await startNode(["--data", "bob", "--peer", a.url], dir);
    const want = '{"email":"alice@example.com","phone":["555-0101","555-0199"],"tags":[],"views":0}\n';
    await waitFor("both nodes to show the merged record through `client get`", async () => {
      const got = await Promise.all([a, b2].map((n) => cli(["client", n.url, "get", "customers", "A"], dir)));
      return got.every((g) => g.code === 0 && g.stdout === want);
    });
  });
});
