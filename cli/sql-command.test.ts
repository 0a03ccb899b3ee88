/**
 * `memoconductor node --schema FILE.sql` and `memoconductor sql` as real processes on loopback
 * (127.0.0.1, port 0): the CRM case through SQL on two nodes, a round trip in table and JSON
 * output, statements piped to stdin, errors and exit codes, NEXTVAL across two clients, the SQL
 * schema kept across a restart, and the --help example. Every wait is bounded and names what it
 * waited for; every node is stopped and every temp dir removed after each test.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { waitFor } from "../node/_test/wait.ts";
import { nodeHarness } from "./_test/node-harness.ts";
import { startNode } from "./_test/node-process.ts";
import { HELP_EXAMPLES } from "./program.ts";
import { cli, CLI_ENTRY } from "./spawn-cli.ts";

const { tempDir } = nodeHarness("mc-sql-");

const CRM = `CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  phone MV TEXT,
  email TEXT,
  views COUNTER
);
CREATE TABLE invoices (no INTEGER PRIMARY KEY, customer TEXT);
`;

/** A temp dir holding crm.sql. */
function withSchema(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "crm.sql"), CRM);
  return dir;
}

const sqlNode = (dir: string, data: string, ...more: string[]) => startNode(["--data", data, "--schema", "crm.sql", ...more], dir);

describe("memoconductor sql, with nodes as processes", () => {
  it("the CRM case: Alice and Bob set the phone on two nodes apart; once linked, CONFLICTED(phone) shows both numbers on both", async () => {
    const dir = withSchema();
    const a = await sqlNode(dir, "a");
    const b = await sqlNode(dir, "b");
    const sql = (n: { url: string }, text: string) => cli(["sql", n.url, text], dir);
    // Both know the customer (two concurrent INSERTs of a key merge column by column) …
    const inserted = await Promise.all([a, b].map((n) => sql(n, "INSERT INTO customers (id, phone, views) VALUES ('A', '555-0100', 0)")));
    expect(inserted.map((r) => [r.code, r.stdout])).toEqual([
      [0, "INSERT 1\n"],
      [0, "INSERT 1\n"],
    ]);
    // … and set the phone, neither having seen the other's.
    const [alice, bob] = await Promise.all([sql(a, "UPDATE customers SET phone = '555-0101' WHERE id = 'A'"), sql(b, "UPDATE customers SET phone = '555-0199' WHERE id = 'A'")]);
    expect([alice.stdout, bob.stdout]).toEqual(["UPDATE 1\n", "UPDATE 1\n"]);
    await sqlNode(dir, "hub", "--peer", a.url, "--peer", b.url);
    await waitFor("both nodes to show both phones through `sql`", async () => {
      const got = await Promise.all([a, b].map((n) => cli(["sql", n.url, "SELECT id, phone FROM customers WHERE CONFLICTED(phone)", "--json"], dir)));
      return got.every((g) => g.code === 0 && g.stdout === '{"id":"A","phone":["555-0101","555-0199"]}\n');
    });
  });

  it("INSERT, UPDATE, DELETE and SELECT: a table, JSON lines with --json, the verb and count of each write", async () => {
    const dir = withSchema();
    const n = await sqlNode(dir, "n");
    const sql = (...args: string[]) => cli(["sql", n.url, ...args], dir);
    expect(
      await sql("INSERT INTO customers (id, phone, email, views) VALUES ($1, $2, $3, 0), ('B', NULL, NULL, 12)", "--param", "A", "--param", "555-0101", "--param", "a@example.org"),
    ).toEqual({
      code: 0,
      stdout: "INSERT 2\n",
      stderr: "",
    });
    expect((await sql("UPDATE customers SET views = views + $1 WHERE id = $2", "--param", "3", "--param", "A")).stdout).toBe("UPDATE 1\n");
    expect((await sql("SELECT * FROM customers ORDER BY id")).stdout).toBe(
      [
        " id |    phone     |     email     | views",
        "----+--------------+---------------+-------",
        ' A  | ["555-0101"] | a@example.org |     3',
        " B  | []           | NULL          |    12",
        "(2 rows)",
        "",
        "",
      ].join("\n"),
    );
    expect((await sql("SELECT id, email, views FROM customers", "--json")).stdout).toBe('{"id":"A","email":"a@example.org","views":3}\n{"id":"B","email":null,"views":12}\n');
    expect(await sql("DELETE FROM customers WHERE views > 10", "--json")).toEqual({ code: 0, stdout: '{"count":1}\n', stderr: "" });
    expect((await sql("DELETE FROM customers WHERE id = 'nobody'")).stdout).toBe("DELETE 0\n");
    expect((await sql("SELECT id FROM customers")).stdout).toBe(" id\n----\n A\n(1 row)\n\n");
  });

  it("statements piped to stdin run in order, across lines; the first that fails stops the script (exit 2, its line)", async () => {
    const dir = withSchema();
    const n = await sqlNode(dir, "n");
    const script =
      "INSERT INTO customers (id, views)\n  VALUES ('A', 1), ('B', 2);\n-- a comment; not a statement\nUPDATE customers SET views = views + 1;\nSELECT id, views FROM customers WHERE views > 2";
    expect(await cli(["sql", n.url, "--json"], dir, script)).toEqual({ code: 0, stdout: '{"count":2}\n{"count":2}\n{"id":"B","views":3}\n', stderr: "" });
    const failing = "UPDATE customers SET views = views + 1;\n\nSELECT mail\n  FROM customers;\nDELETE FROM customers;\n";
    expect(await cli(["sql", n.url], dir, failing)).toEqual({
      code: 2,
      stdout: "UPDATE 2\n",
      stderr: "memoconductor sql: line 3: unknown column mail in customers (the columns: id, phone, email, views)\n",
    });
    expect((await cli(["sql", n.url, "SELECT count(*) AS n FROM customers", "--json"], dir)).stdout).toBe('{"n":2}\n');
  });

  it("bad input is one line and exit 2: a bad statement, a node without a SQL schema, --param without a statement; an unreachable node exit 1", async () => {
    const dir = withSchema();
    const n = await sqlNode(dir, "n");
    expect(await cli(["sql", n.url, "SELECT *\nFROM customers WHERE id = = 1"], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: 'memoconductor sql: syntax error at line 2, column 27: unexpected "="\n',
    });
    expect((await cli(["sql", n.url, "--param", "1"], dir, "SELECT id FROM customers;")).stderr).toBe(
      "memoconductor sql: --param goes with a statement given as an argument ($1 is the first --param)\n",
    );
    const plain = await startNode(["--data", "plain"], dir);
    expect(await cli(["sql", plain.url, "SELECT * FROM customers"], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: "memoconductor sql: this node has no SQL schema (start it with --schema FILE.sql)\n",
    });
    const port = plain.port;
    expect(await plain.stop()).toBe(0);
    const gone = await cli(["sql", `ws://127.0.0.1:${port}`, "SELECT * FROM customers"], dir);
    expect([gone.code, gone.stderr]).toEqual([1, `memoconductor sql: cannot reach ws://127.0.0.1:${port}: ECONNREFUSED\n`]);
    writeFileSync(join(dir, "bad.sql"), "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL);");
    expect(await cli(["node", "--data", "bad", "--schema", "bad.sql"], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: "memoconductor node: bad.sql: CREATE TABLE t: column n: NOT NULL is not enforced by CRDT fields (a concurrent write cannot be refused); drop it\n",
    });
  });

  it("NEXTVAL on a node started with --sequencer invoice: unique numbers, increasing for each of two clients", async () => {
    const dir = withSchema();
    const n = await sqlNode(dir, "n", "--sequencer", "invoice");
    // Each client's statements run one after the other, numbered in its customer column.
    const script = (who: string) => Array.from({ length: 10 }, (_, i) => `INSERT INTO invoices (no, customer) VALUES (NEXTVAL('invoice'), '${who}:${i}');`).join("\n");
    const runs = await Promise.all(["alice", "bob"].map((who) => cli(["sql", n.url], dir, script(who))));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([
      [0, ""],
      [0, ""],
    ]);
    const rows = (await cli(["sql", n.url, "SELECT no, customer FROM invoices ORDER BY no", "--json"], dir)).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { no: number; customer: string });
    expect(new Set(rows.map((r) => r.no)).size).toBe(20);
    for (const who of ["alice", "bob"]) {
      const order = rows.filter((r) => r.customer.startsWith(`${who}:`)).map((r) => Number(r.customer.split(":")[1]));
      expect(order, `${who}'s statements in the order of their numbers`).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    const plain = await sqlNode(dir, "other");
    const r = await cli(["sql", plain.url, "INSERT INTO invoices (no, customer) VALUES (NEXTVAL('invoice'), 'x')"], dir);
    expect([r.code, r.stderr]).toEqual([1, "memoconductor sql: NEXTVAL('invoice'): unavailable: no reachable node serves sequence invoice\n"]);
  });

  it("a restart needs no --schema: the tables are in the data directory; other tables are refused (exit 2)", async () => {
    const dir = withSchema();
    const n = await sqlNode(dir, "n");
    expect((await cli(["sql", n.url, "INSERT INTO customers (id, views) VALUES ('A', 5)"], dir)).code).toBe(0);
    expect(await n.stop()).toBe(0);
    const again = await startNode(["--data", "n"], dir);
    expect((await cli(["sql", again.url, "SELECT id, views FROM customers", "--json"], dir)).stdout).toBe('{"id":"A","views":5}\n');
    expect(await again.stop()).toBe(0);
    writeFileSync(join(dir, "other.sql"), CRM.replace("email TEXT", "email MV TEXT"));
    const refused = await cli(["node", "--data", "n", "--schema", "other.sql"], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `memoconductor node: ${join("n", "memoconductor.db")} holds other tables: stored CREATE TABLE "customers" ("id" TEXT PRIMARY KEY, "phone" MV TEXT, "email" TEXT, "views" COUNTER) WITH (deletes = 'add-wins'), given CREATE TABLE "customers" ("id" TEXT PRIMARY KEY, "phone" MV TEXT, "email" MV TEXT, "views" COUNTER) WITH (deletes = 'add-wins'); refusing to open it (omit --schema to use the stored ones)\n`,
    );
  });

  it("the --help example answers a node started with a SQL schema", async () => {
    const dir = withSchema();
    const n = await sqlNode(dir, "n");
    const example = HELP_EXAMPLES.sql.replace(/^npx memoconductor /, `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI_ENTRY)} `).replace(":7401", `:${n.port}`);
    const child = spawn("bash", ["-c", example], { cwd: dir });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => void (out += t));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect([code, out]).toEqual([0, " id | phone\n----+-------\n(0 rows)\n\n"]);
  });
});
