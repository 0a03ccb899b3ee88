/**
 * A write that cannot be made durable, through a node: the disk is "full" for real — SQLite's
 * `PRAGMA max_page_count` on the node's own database (a test hook: `openStore` keeps the store)
 * set to the pages it has, so a write that needs a new page fails with SQLITE_FULL inside
 * SQLite. (Not a full tmpfs: mounting one needs privileges the test machine may not have.)
 *
 * The client gets a clear error (a rejected promise from the API, exit 1 and one line from the
 * CLI); nothing of the write reaches the peer or a later `get` (the store rolled back and dropped
 * its cache, and the replica keeps nothing of its own); the update's seq is not burnt into the
 * peer's knowledge; and once there is room again the node writes, and its peer gets it.
 *
 * SQLITE_FULL strikes while the write runs, before the update's delta exists. A commit that
 * fails after the delta was made (an I/O error at COMMIT, injected at the connection as in
 * node/storage/write.test.ts: a real one cannot be provoked on demand) is the case where a node
 * could send what never became durable; the second test covers it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../node/_test/wait.ts";
import { openNodeStore, type SqliteNodeStore } from "../node/_test/sqlite-store.ts";
import { type Client, connect, type Node, openNode, RequestError, type SyncPolicy } from "../node/index.ts";
import { cli } from "./spawn-cli.ts";

const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "mc-full-"));
  dirs.push(d);
  return d;
}

const quiet = () => {};

describe("a full disk under a running node", () => {
  for (const sync of [{ mode: "group", maxWaitMs: 5 }, { mode: "always" }] satisfies SyncPolicy[]) {
    it(`fails the write (API: rejected, CLI: exit 1), keeps nothing of it anywhere, and the node writes again once there is room (sync ${sync.mode})`, async () => {
      let store: SqliteNodeStore | undefined;
      const a: Node = await openNode({ dir: tempDir(), sync, digestMs: 100, log: quiet, openStore: (dir, o) => (store = openNodeStore(dir, o)) });
      open.push(a);
      const b: Node = await openNode({ dir: tempDir(), peers: [a.url], digestMs: 100, log: quiet });
      open.push(b);
      const alice: Client = await connect(a.url);
      open.push(alice);
      await alice.update("customers", "A", "set", ["phone", "555-0101"]);
      await waitFor("b to get a's first write", async () => (await b.get("customers", "A")) !== null);

      const db = store!.db;
      const room = db.pragma("max_page_count", { simple: true }) as number;
      db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);
      // 100 KB in one field (under the 128 KB a command-line argument may hold): overflow pages the database cannot grow to hold.
      const big = "x".repeat(100_000);
      const failed = await alice.update("customers", "B", "set", ["email", big]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(RequestError);
      expect((failed as RequestError).kind).toBe("failed");
      expect((failed as RequestError).message).toMatch(/SQLITE_FULL/);
      const viaCli = await cli(["client", a.url, "update", "customers", "A", "set", JSON.stringify(["email", big])], tempDir());
      expect(viaCli.code).toBe(1);
      expect(viaCli.stderr).toMatch(/^memoconductor client: .*SQLITE_FULL.*\n$/);
      // Nothing of either write: not on a, and a's delta was never sent (checked below on b).
      expect(await a.get("customers", "B")).toBe(null);
      expect(await alice.get("customers", "A")).toEqual({ email: null, phone: ["555-0101"], tags: [], views: 0 });

      db.pragma(`max_page_count = ${room}`);
      await alice.update("customers", "C", "set", ["email", "after the disk had room again"]);
      const ok = await cli(["client", a.url, "update", "customers", "A", "set", '["email","alice@example.com"]'], tempDir());
      expect([ok.code, ok.stdout]).toEqual([0, '{"ok":true}\n']);
      // The writes after the failure took the seqs the failed ones had drawn: had a failed
      // delta reached b, b would hold its dot already and drop these, and never converge.
      await waitFor("b to hold what a holds, the writes after the failure included", async () => {
        const [la, lb] = await Promise.all([a.list("customers"), b.list("customers")]);
        return JSON.stringify(la) === JSON.stringify(lb) && la.length === 2 && la;
      });
      expect(await b.get("customers", "B")).toBe(null);
      expect(await b.get("customers", "A")).toEqual({ email: "alice@example.com", phone: ["555-0101"], tags: [], views: 0 });
      expect(await b.get("customers", "C")).toMatchObject({ email: "after the disk had room again" });
    });
  }

  it("a commit that fails after the update's delta was made (I/O error at COMMIT, group commit): the client gets the error, the delta never leaves the node", async () => {
    let store: SqliteNodeStore | undefined;
    const a: Node = await openNode({ dir: tempDir(), sync: { mode: "group", maxWaitMs: 5 }, digestMs: 100, log: quiet, openStore: (dir, o) => (store = openNodeStore(dir, o)) });
    open.push(a);
    const b: Node = await openNode({ dir: tempDir(), peers: [a.url], digestMs: 100, log: quiet });
    open.push(b);
    await waitFor("b to connect to a", () => a.stats().peers === 1 && b.stats().peers === 1);
    await a.update("customers", "A", "set", ["phone", "555-0101"]);
    const db = store!.db;
    const exec = db.exec.bind(db);
    let failNext = true;
    db.exec = (sql: string) => {
      if (sql === "COMMIT" && failNext) {
        failNext = false;
        throw Object.assign(new Error("disk I/O error"), { name: "SqliteError", code: "SQLITE_IOERR" });
      }
      return exec(sql);
    };
    await expect(a.update("customers", "B", "set", ["email", "never durable"])).rejects.toThrow(/commit failed.*SQLITE_IOERR/);
    expect(await a.get("customers", "B")).toBe(null);
    // The next write draws the seq the failed one had: b gets it only if the failed delta never reached it.
    await a.update("customers", "C", "set", ["email", "after the failed commit"]);
    await waitFor("b to get the write after the failed commit", async () => (await b.get("customers", "C")) !== null);
    expect(await b.list("customers")).toEqual(await a.list("customers"));
    expect(await b.get("customers", "B")).toBe(null);
  });
});
