/**
 * `memoconductor node` and `memoconductor client` as real processes on loopback (127.0.0.1, port
 * 0): convergence of two and three nodes, the CRM case through `client`, a node away for 10k
 * updates catching up, hostile bytes on a node's socket, a peer of another schema refused, the
 * sequencer across clients of several nodes, and the help examples. Every wait is bounded and
 * names what it waited for; every node is stopped and every temp dir removed after each test.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitFor } from "../node/_test/wait.ts";
import { nodeHarness } from "./_test/node-harness.ts";
import { startNode } from "./_test/node-process.ts";
import { HELP_EXAMPLES } from "./program.ts";
import { cli, CLI_ENTRY } from "./spawn-cli.ts";

const { tempDir, client } = nodeHarness("mc-node-");

const listing = async (url: string) => JSON.stringify(await (await client(url)).list("customers"));

async function converged(urls: string[], what: string, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    what,
    async () => {
      const all = await Promise.all(urls.map(listing));
      return all.every((v) => v === all[0]) && all[0] !== "[]" && all[0];
    },
    timeoutMs,
  );
}

describe("memoconductor node and client, as processes", () => {
  it("the CRM case: A and B apart, Alice sets the phone on A, Bob the email on B, both set the phone; once linked both numbers are kept", async () => {
    const dir = tempDir();
    // Two nodes with no link between them: every write below is concurrent with the other node's.
    const a = await startNode(["--data", "a"], dir);
    const b = await startNode(["--data", "b"], dir);
    const set = (n: { url: string }, field: string, v: string) => cli(["client", n.url, "update", "customers", "A", "set", JSON.stringify([field, v])], dir);
    const [r1, r2] = await Promise.all([set(a, "phone", "555-0101"), set(b, "email", "alice@example.com")]);
    expect([r1.stdout, r2.stdout, r1.code, r2.code]).toEqual(['{"ok":true}\n', '{"ok":true}\n', 0, 0]);
    await Promise.all([set(a, "phone", "555-0111"), set(b, "phone", "555-0199")]);
    // A third node dials both: what each wrote while apart reaches the other through it.
    await startNode(["--data", "hub", "--peer", a.url, "--peer", b.url], dir);
    const want = '{"email":"alice@example.com","phone":["555-0111","555-0199"],"tags":[],"views":0}\n';
    await waitFor("both nodes to show both phones through `client get`", async () => {
      const got = await Promise.all([a, b].map((n) => cli(["client", n.url, "get", "customers", "A"], dir)));
      return got.every((g) => g.stdout === want && g.code === 0);
    });
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  });

  it("three nodes converge after concurrent writes on each", async () => {
    const dir = tempDir();
    const c = await startNode(["--data", "c"], dir);
    const b = await startNode(["--data", "b", "--peer", c.url], dir);
    const a = await startNode(["--data", "a", "--peer", b.url, "--peer", c.url], dir);
    const writers = await Promise.all([a, b, c].map((n) => client(n.url)));
    await Promise.all(
      writers.flatMap((w, i) => Array.from({ length: 100 }, (_, k) => w.update("customers", `c${k % 13}`, k % 2 ? "inc" : "set", k % 2 ? ["views", 1] : ["email", `${i}-${k}`]))),
    );
    const all = JSON.parse(await converged([a.url, b.url, c.url], "a, b and c to hold the same customers")) as { value: { views: number } }[];
    expect(all.reduce((s, o) => s + o.value.views, 0)).toBe(150);
  });

  it("a node away (stopped) while 10k updates happen catches up when it comes back", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    const b = await startNode(["--data", "b", "--peer", a.url], dir);
    await waitFor("b to connect to a", () => b.stderr().includes("connected to node"));
    expect(await b.stop()).toBe(0);
    const w = await client(a.url);
    for (let i = 0; i < 10_000; i += 500) await Promise.all(Array.from({ length: 500 }, (_, k) => w.update("customers", `k${(i + k) % 1000}`, "inc", ["views", 1])));
    const back = await startNode(["--data", "b", "--peer", a.url], dir);
    const all = JSON.parse(await converged([a.url, back.url], "b, restarted, to catch up with a's 10k updates", 60_000)) as { value: { views: number } }[];
    expect(all.length).toBe(1000);
    expect(all.reduce((s, o) => s + o.value.views, 0)).toBe(10_000);
  });

  it("hostile bytes on a node's socket: the connection is closed, the node logs it, keeps its state and serves", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    const w = await client(a.url);
    await w.update("customers", "A", "set", ["phone", "555-0101"]);
    const before = await listing(a.url);
    for (const bytes of [Uint8Array.of(0x4d, 0x43, 1, 2, 9, 9, 9, 9, 9), Uint8Array.of(1, 2, 3), new Uint8Array(64).fill(0xff)]) {
      const code = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(a.url);
        const timer = setTimeout(() => reject(new Error("timed out after 10 s waiting for the node to close a connection that sent garbage")), 10_000);
        ws.on("open", () => ws.send(bytes));
        ws.on("close", (c) => {
          clearTimeout(timer);
          resolve(c);
        });
        ws.on("error", () => {});
      });
      expect(code).toBe(1002);
    }
    await waitFor("three log lines about closed connections", () => a.stderr().match(/closing the connection to .*cannot decode node frame/g)?.length === 3);
    expect(await listing(a.url)).toBe(before);
    const r = await cli(["client", a.url, "get", "customers", "A"], dir);
    expect(r.stdout).toBe('{"email":null,"phone":["555-0101"],"tags":[],"views":0}\n');
  });

  it("a peer with another schema is refused, the message naming both fingerprints; a bad --schema file is exit 2 naming file and field", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "other.json"), JSON.stringify({ collections: { customers: { type: "record", fields: { phone: "lww-register" } } } }));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ collections: { customers: { type: "record", fields: { phone: "lww-registr" } } } }));
    const a = await startNode(["--data", "a"], dir);
    const b = await startNode(["--data", "b", "--schema", "other.json", "--peer", a.url], dir);
    await waitFor("b to log a's refusal", () => /refused by .*schema mismatch: node \S+ has schema fingerprint [0-9a-f]{16}, node \S+ has [0-9a-f]{16}/.test(b.stderr()));
    expect(a.stderr()).toMatch(/refusing node \S+: schema mismatch/);
    const bad = await cli(["node", "--data", "c", "--schema", "bad.json"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^memoconductor node: bad\.json: collections\.customers\.fields\.phone: .*lww-registr.*\n$/);
    const shape = await cli(["node", "--data", "c", "--schema", "other.json", "--sync", "sometimes"], dir);
    expect([shape.code, shape.stderr]).toEqual([2, 'memoconductor node: --sync: expected always or group, got "sometimes"\n']);
    // The schema is stored with the data directory: restarting a's directory with another one is refused, one line, exit 2.
    expect(await a.stop()).toBe(0);
    const other = await cli(["node", "--data", "a", "--schema", "other.json"], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^memoconductor node: \S+ holds another schema: stored .*, given .*; refusing to open it \(omit --schema to use the stored one\)\n$/);
    // Without --schema the directory opens with its own.
    const again = await startNode(["--data", "a"], dir);
    expect(again.url).toMatch(/^ws:/);
  });

  it("sequencer: `client next` from several clients of several nodes gives unique, increasing numbers; unavailable elsewhere", async () => {
    const dir = tempDir();
    const s = await startNode(["--data", "s", "--sequencer", "invoice"], dir);
    const a = await startNode(["--data", "a", "--peer", s.url], dir);
    await waitFor("a to connect to the sequencer node", () => a.stderr().includes("serves invoice"));
    const viaCli = await Promise.all([a, s, a, s].map((n) => cli(["client", n.url, "next", "invoice"], dir)));
    expect(viaCli.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const api = await Promise.all([client(a.url), client(s.url)]);
    const runs = await Promise.all(
      api.map(async (c) => {
        const mine: number[] = [];
        for (let i = 0; i < 25; i++) mine.push(await c.next("invoice"));
        return mine;
      }),
    );
    for (const mine of runs) expect(mine).toEqual([...mine].sort((x, y) => x - y));
    const all = [...viaCli.map((r) => Number(r.stdout)), ...runs.flat()].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 54 }, (_, i) => i + 1));
    const none = await cli(["client", a.url, "next", "receipt"], dir);
    expect([none.code, none.stderr]).toEqual([1, "memoconductor client: unavailable: no reachable node serves sequence receipt\n"]);
  });

  it("client: bad input is exit 2, an unreachable node exit 1, one line each", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    const cases: [string[], number, RegExp][] = [
      [["client", a.url, "frobnicate"], 2, /unknown command "frobnicate"/],
      [["client", a.url, "get", "customers"], 2, /get: expected 2 arguments/],
      [["client", a.url, "update", "customers", "A", "set", "phone"], 2, /<json-args>: not JSON/],
      [["client", a.url, "update", "customers", "A", "set", '["nofield",1]'], 2, /nofield/],
      [["client", a.url, "list", "nope"], 2, /unknown collection "nope"/],
      [["client", "ws://127.0.0.1:1", "get", "customers", "A"], 1, /cannot reach ws:\/\/127\.0\.0\.1:1/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args, dir)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(" ")).toBe(cases[i]![1]);
      expect(r.stderr).toMatch(cases[i]![2]);
      expect(r.stderr.split("\n").length).toBe(2);
    });
  });

  it("the --help examples work: the node example listens, the client example answers it", async () => {
    const dir = tempDir();
    const n = await startNode(HELP_EXAMPLES.node.replace(/^npx memoconductor node /, "").split(" "), dir);
    const args = HELP_EXAMPLES.client
      .replace(/^npx memoconductor /, "")
      .replace(":7401", `:${n.port}`)
      .split(" ");
    const r = await cli(args, dir);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "null\n", ""]);
    expect(await n.stop("SIGINT")).toBe(0);
  });

  it("client watch prints one JSON line per change until SIGINT (exit 0)", async () => {
    const dir = tempDir();
    const a = await startNode(["--data", "a"], dir);
    const watcher = spawn(process.execPath, [CLI_ENTRY, "client", a.url, "watch", "customers"], { cwd: dir });
    let out = "";
    watcher.stdout.setEncoding("utf8").on("data", (t: string) => void (out += t));
    const exited = new Promise<number | null>((resolve) => watcher.on("close", resolve));
    try {
      const w = await client(a.url);
      // The watch is in place some time after the process starts: write until a change shows.
      await waitFor("the watcher to print a change", async () => {
        await w.update("customers", "W", "inc", ["views", 1]);
        return out.includes("\n");
      });
      const first = JSON.parse(out.split("\n")[0]!) as { id: string; value: { views: number } };
      expect(first.id).toBe("W");
      const n = first.value.views;
      await w.update("customers", "W", "inc", ["views", 1]);
      await waitFor("the watcher to print the next value", () => out.includes(`"views":${n + 1}`));
      watcher.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      watcher.kill("SIGKILL");
    }
  });
});
