/**
 * SQL on nodes in this process (openNode, connect) over loopback: statements through the
 * embedded API and the wire, one durable write per statement, deltas to peers, NEXTVAL through
 * the sequencer path, errors, and the SQL schema kept in the data directory. Every wait is
 * bounded; every node and client is closed after each test.
 */
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { inProcessNodes } from "./_test/in-process.ts";
import { waitFor } from "./_test/wait.ts";
import { RequestError } from "./api.ts";
import { type Node, openNode } from "./node.ts";
import { frameCodec } from "./protocol/index.ts";
import { openNodeStore, type SqliteNodeStore } from "./storage/index.ts";
import { SqlSchema } from "../sql/index.ts";

const TABLES = `
  CREATE TABLE customers (id TEXT PRIMARY KEY, phone MV TEXT, email TEXT, views COUNTER);
  CREATE TABLE invoices (no INTEGER PRIMARY KEY, customer TEXT);`;

const { logs, tempDir, node, client, closeLater } = inProcessNodes("mc-sql-node-", { sqlSchema: TABLES });

const rows = async (n: { sql: Node["sql"] }, text: string, params: unknown[] = []) => {
  const r = await n.sql(text, params);
  if (r.kind !== "rows") throw new Error(`${text} answered ${JSON.stringify(r)}`);
  return r.rows;
};

/** The RequestError a call rejects with, as `kind: message`. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RequestError) return `${e.kind}: ${e.message}`;
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe("sql on a node", () => {
  it("BEGIN; INSERT/UPDATE …; COMMIT; is one node transaction: one durable write, applied on a peer all together; anything else is refused, nothing applied", async () => {
    let store: SqliteNodeStore | undefined;
    const a = await node({ sync: { mode: "always" }, openStore: (dir, o) => (store = openNodeStore(dir, o)) });
    const b = await node({ peers: [a.url] });
    await a.sql("INSERT INTO customers (id, email, views) VALUES ('A', 'old', 0)");
    const before = store!.commits;
    const txn =
      "BEGIN;\nUPDATE customers SET email = $1 WHERE id = 'A';\nINSERT INTO customers (id, email, views) VALUES ('B', $1, 1);\nUPDATE customers SET views = views + 1 WHERE email = $1;\nCOMMIT;";
    expect(await a.sql(txn, ["x; y"])).toEqual({ kind: "write", count: 4 });
    expect(store!.commits - before).toBe(1);
    // Each of its updates is logged with the transaction's metadata (what a peer holds back until it has them all).
    const t = store!.backing.txn("customers", "B");
    expect([...new Set(t?.members.map((m) => m.id))].sort()).toEqual(["A", "B"]);
    await waitFor("the transaction to reach b", async () => (await rows(b, "SELECT id, email, views FROM customers ORDER BY id")).length === 2);
    expect(await rows(b, "SELECT id, email, views FROM customers ORDER BY id")).toEqual([
      { id: "A", email: "x; y", views: 1 },
      { id: "B", email: "x; y", views: 2 },
    ]);
    for (const [bad, why] of [
      ["BEGIN; DELETE FROM customers WHERE id = 'A'; COMMIT;", /only INSERT and UPDATE/],
      ["BEGIN; UPDATE customers SET email = 'z' WHERE id = 'A'; ROLLBACK;", /must end with COMMIT/],
      ["BEGIN; UPDATE customers SET email = 'z' WHERE id = 'A'; UPDATE customers SET nope = 1; COMMIT;", /bad-request: .*nope/],
    ] as const)
      expect(await failure(a.sql(bad))).toMatch(why);
    expect(await rows(a, "SELECT email FROM customers WHERE id = 'A'")).toEqual([{ email: "x; y" }]);
  });

  it("INSERT, UPDATE, DELETE and SELECT, embedded and over the wire alike", async () => {
    const n = await node();
    const c = await client(n.url);
    expect(await n.sql("INSERT INTO customers (id, phone, email, views) VALUES ($1, $2, $3, 0), ('B', NULL, NULL, 5)", ["A", "555-0101", "a@example.org"])).toEqual({
      kind: "write",
      count: 2,
    });
    expect(await c.sql("UPDATE customers SET views = views + 1, email = 'b@example.org' WHERE id = 'B'")).toEqual({ kind: "write", count: 1 });
    const both = {
      kind: "rows",
      columns: ["id", "phone", "email", "views"],
      rows: [
        { id: "A", phone: ["555-0101"], email: "a@example.org", views: 0 },
        { id: "B", phone: [], email: "b@example.org", views: 6 },
      ],
    };
    expect(await c.sql("SELECT * FROM customers")).toEqual(both);
    expect(await n.sql("SELECT * FROM customers")).toEqual(both);
    expect(await c.sql("DELETE FROM customers WHERE views > $1", [1])).toEqual({ kind: "write", count: 1 });
    expect(await rows(n, "SELECT id FROM customers")).toEqual([{ id: "A" }]);
    // The store API sees the same objects: SQL is field updates on the node's replica.
    expect(await c.get("customers", "A")).toMatchObject({ phone: ["555-0101"], email: "a@example.org" });
  });

  it("a statement is one durable write however many rows it writes, and watchers hear each row", async () => {
    let store: SqliteNodeStore | undefined;
    const n = await node({ sync: { mode: "always" }, openStore: (dir, o) => (store = openNodeStore(dir, o)) });
    const values = Array.from({ length: 40 }, (_, i) => `('c${i}', 'x${i}@example.org', 0)`).join(", ");
    const changed = new Set<string>();
    n.subscribe("customers", (ch) => void changed.add(ch.id));
    const before = store!.commits;
    expect(await n.sql(`INSERT INTO customers (id, email, views) VALUES ${values}`)).toEqual({ kind: "write", count: 40 });
    expect(await n.sql("UPDATE customers SET views = views + 2")).toEqual({ kind: "write", count: 40 });
    expect(store!.commits - before).toBe(2);
    expect(changed.size).toBe(40);
  });

  it("a SELECT is answered by SQLite over the read model, which holds local writes and peers' deltas alike", async () => {
    let store: SqliteNodeStore | undefined;
    const a = await node({ openStore: (dir, o) => (store = openNodeStore(dir, o)) });
    const b = await node({ peers: [a.url] });
    await a.sql("INSERT INTO customers (id, phone, email, views) VALUES ('A', '555-0100', 'a@example.org', 1)");
    await b.sql("INSERT INTO customers (id, email, views) VALUES ('B', 'b@example.org', 2)");
    await waitFor("B's row to reach node A", async () => (await rows(a, "SELECT id FROM customers")).length === 2);
    // The rows are in the read model's own table of the node's database, not only in the store's objects.
    const model = store!.db.prepare("SELECT id, email, views FROM sql_customers ORDER BY id").all();
    expect(model).toEqual([
      { id: "A", email: "a@example.org", views: 1 },
      { id: "B", email: "b@example.org", views: 2 },
    ]);
    // Proof that SQLite answers: change the model's row behind the store's back and the SELECT shows it.
    store!.db.prepare("UPDATE sql_customers SET views = 99 WHERE id = 'B'").run();
    expect(await rows(a, "SELECT id, views FROM customers WHERE views > 50")).toEqual([{ id: "B", views: 99 }]);
  });

  it("the CRM case: Alice's and Bob's phones set on two nodes apart are both there once linked, and CONFLICTED finds them", async () => {
    const a = await node();
    const b = await node();
    await a.sql("INSERT INTO customers (id, phone, email, views) VALUES ('A', '555-0100', 'a@example.org', 0)");
    const alice = await client(a.url);
    const bob = await client(b.url);
    await alice.sql("UPDATE customers SET phone = '555-0101' WHERE id = 'A'");
    // Bob's node has not seen the row: his write is an INSERT of the same key, concurrent with all of Alice's.
    await bob.sql("INSERT INTO customers (id, phone, views) VALUES ('A', '555-0199', 0)");
    const hub = await node({ peers: [a.url, b.url] });
    const query = "SELECT id, phone FROM customers WHERE CONFLICTED(phone)";
    const want = [{ id: "A", phone: ["555-0101", "555-0199"] }];
    await waitFor("both nodes to see both phones", async () => {
      const got = await Promise.all([a, b, hub].map((n) => rows(n, query)));
      return got.every((g) => JSON.stringify(g) === JSON.stringify(want));
    });
    // Anyone who has seen both settles it, and the settlement travels like any write.
    await bob.sql("UPDATE customers SET phone = $1 WHERE id = $2", ["555-0199", "A"]);
    await waitFor("a to see the settled phone", async () => JSON.stringify(await rows(a, "SELECT phone FROM customers")) === '[{"phone":["555-0199"]}]');
  });

  it("NEXTVAL takes numbers from the node's sequencer, or from the peer serving it; unavailable when none is reachable, nothing applied", async () => {
    const s = await node({ sequencer: ["invoice"] });
    const other = await node({ peers: [s.url] });
    await waitFor("the other node to connect to the sequencer", () => logs.some((l) => l.includes("serves invoice")));
    const clients = await Promise.all([client(s.url), client(other.url)]);
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = 0; i < 10; i++) await c.sql("INSERT INTO invoices (no, customer) VALUES (NEXTVAL('invoice'), $1), (NEXTVAL('invoice'), $1)", [`c${k}`]);
      }),
    );
    const local = (await rows(s, "SELECT no FROM invoices WHERE customer = 'c0'")).map((r) => r.no as number);
    expect(local).toEqual([...local].sort((x, y) => x - y));
    await waitFor("every invoice to reach the sequencer's node", async () => (await rows(s, "SELECT no FROM invoices")).length === 40);
    const all = (await rows(s, "SELECT no FROM invoices")).map((r) => r.no);
    expect(new Set(all).size).toBe(40);

    const alone = await node();
    expect(await failure(alone.sql("INSERT INTO invoices (no, customer) VALUES (NEXTVAL('invoice'), 'x')"))).toBe(
      "unavailable: NEXTVAL('invoice'): unavailable: no reachable node serves sequence invoice",
    );
    expect(await rows(alone, "SELECT * FROM invoices")).toEqual([]);
  });

  it("a bad statement is a bad-request with its one line, and applies nothing", async () => {
    const n = await node();
    const c = await client(n.url);
    await c.sql("INSERT INTO customers (id, views) VALUES ('A', 1)");
    expect(await failure(c.sql("SELECT *\nFROM customers WHERE id = = 1"))).toBe('bad-request: syntax error at line 2, column 27: unexpected "="');
    expect(await failure(c.sql("UPDATE customers SET mail = 'x'"))).toBe("bad-request: UPDATE customers: unknown column mail in customers (the columns: id, phone, email, views)");
    expect(await failure(c.sql("INSERT INTO customers (id, views) VALUES ('B', 1), ('A', 2)"))).toMatch(/^bad-request: .*A/);
    expect(await rows(c, "SELECT id, views FROM customers")).toEqual([{ id: "A", views: 1 }]);
  });

  it("a node without a SQL schema says so", async () => {
    const n = await openNode({ dir: tempDir(), log: () => {} });
    closeLater(n);
    const c = await client(n.url);
    const want = "bad-request: this node has no SQL schema (start it with --schema FILE.sql)";
    expect(await failure(c.sql("SELECT * FROM customers"))).toBe(want);
    expect(await failure(n.sql("SELECT * FROM customers"))).toBe(want);
  });

  it("a malformed sql request closes its connection and changes nothing", async () => {
    const n = await node();
    await n.sql("INSERT INTO customers (id, views) VALUES ('A', 1)");
    // The codec frames any body (it validates on decode): a client's codec, which needs no store.
    const codec = frameCodec(undefined);
    for (const body of [
      { type: "sql", text: "UPDATE customers SET views = views + 1" },
      { type: "sql", text: "", params: [] },
      { type: "sql", text: "DELETE FROM customers", params: {} },
    ]) {
      const code = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(n.url);
        const timer = setTimeout(() => reject(new Error("timed out after 10 s waiting for the node to close the connection")), 10_000);
        ws.on("open", () => ws.send(codec.encode({ type: "request", rid: 1, body: body as never })));
        ws.on("close", (c) => {
          clearTimeout(timer);
          resolve(c);
        });
        ws.on("error", () => {});
      });
      expect(code).toBe(1002);
    }
    expect(await rows(n, "SELECT id, views FROM customers")).toEqual([{ id: "A", views: 1 }]);
  });

  it("the SQL schema stays in the data directory: a restart needs none, the same tables written otherwise are accepted, other tables refused", async () => {
    const dir = tempDir();
    const first = await openNode({ dir, sqlSchema: TABLES, log: () => {} });
    await first.sql("INSERT INTO customers (id, views) VALUES ('A', 7)");
    await first.close();
    const again = await openNode({ dir, log: () => {} });
    closeLater(again);
    expect(await rows(again, "SELECT id, views FROM customers")).toEqual([{ id: "A", views: 7 }]);
    await again.close();
    const reformatted =
      "-- the same tables\nCREATE TABLE invoices (no INTEGER PRIMARY KEY, customer TEXT);\ncreate table customers (id text primary key, phone mv text, email text, views counter) with (deletes = 'add-wins')";
    const same = await openNode({ dir, sqlSchema: reformatted, log: () => {} });
    await same.close();
    await expect(openNode({ dir, sqlSchema: TABLES.replace("email TEXT", "email MV TEXT"), log: () => {} })).rejects.toThrow(
      /holds other tables: stored CREATE TABLE "customers" .*"email" TEXT.*, given CREATE TABLE "customers" .*"email" MV TEXT.*; refusing/,
    );
    await expect(openNode({ dir, sqlSchema: TABLES.replace("no INTEGER", "no TEXT"), log: () => {} })).rejects.toThrow(/stored CREATE TABLE "invoices" \("no" INTEGER/);
    await expect(openNode({ dir, sqlSchema: `${TABLES}; CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT)`, log: () => {} })).rejects.toThrow(
      /stored no "notes", given CREATE TABLE "notes"/,
    );
  });

  it("a directory made before the enable-wins flag (an add-wins table's _row an MV-register) opens, with or without its tables given, and keeps its rows' liveness as MV writes", async () => {
    const dir = tempDir();
    // What an older build stored: the same canonical SQL, a store whose add-wins `_row` fields are MV-registers.
    const tables = SqlSchema.parse(TABLES);
    const legacy: Record<string, { type: "record"; fields: Record<string, string> }> = {};
    for (const [name, c] of Object.entries(tables.storeSpec().collections)) legacy[name] = { ...c, fields: { ...c.fields, _row: "mv-register" } };
    expect(tables.storeSpec().collections.customers!.fields._row).toBe("ew-flag");
    openNodeStore(dir, { schema: { collections: legacy }, sqlSchema: tables.toSql(), nodeId: "old" }).close();
    const n = await openNode({ dir, sqlSchema: TABLES, log: () => {} });
    closeLater(n);
    await n.sql("INSERT INTO customers (id, views) VALUES ('A', 1), ('B', 2)");
    await n.sql("UPDATE customers SET views = views + 1 WHERE id = 'A'");
    await n.sql("DELETE FROM customers WHERE id = 'B'");
    expect(await rows(n, "SELECT id, views FROM customers")).toEqual([{ id: "A", views: 2 }]);
    // Written as before: "live" and "dead" in the MV-register.
    expect(((await n.get("customers", "A")) as { _row: unknown })._row).toEqual(["live"]);
    expect(((await n.get("customers", "B")) as { _row: unknown })._row).toEqual(["dead"]);
    await n.close();
    const again = await openNode({ dir, log: () => {} });
    closeLater(again);
    await again.sql("INSERT INTO customers (id, views) VALUES ('B', 5)");
    expect(await rows(again, "SELECT id, views FROM customers ORDER BY id")).toEqual([
      { id: "A", views: 2 },
      { id: "B", views: 5 },
    ]);
    await again.close();
  });

  it("a directory made without a SQL schema is not given one later", async () => {
    const dir = tempDir();
    await (await openNode({ dir, log: () => {} })).close();
    await expect(openNode({ dir, sqlSchema: TABLES, log: () => {} })).rejects.toThrow(/was made without a SQL schema/);
  });
});
