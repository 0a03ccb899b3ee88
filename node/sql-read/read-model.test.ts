/**
 * The read model on a real node store (NodeStore over SQLite, writes through a StoreReplica on its
 * backing): what each column type looks like in SQLite, that rolled-back writes leave no row,
 * that it survives reopen and kill -9 in step with the store, and that it is rebuilt when missing
 * or of another layout. (differential.prop.test.ts checks the answers at random.)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SqlError } from "../../sql/index.ts";
import { tempDirs } from "../storage/_test/workload.ts";
import { openSqlNode } from "./_test/node-sql.ts";

const dirs = tempDirs();
const open: { store: { close(): Promise<void> } }[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const n of open.splice(0)) await n.store.close();
  dirs.cleanup();
});

function node(dir: string) {
  const n = openSqlNode(dir);
  open.push(n);
  return n;
}

/** Every row of every table through the read model and through the in-memory engine. */
function both(n: ReturnType<typeof openSqlNode>, text: string, params: unknown[] = []) {
  const mem = n.db.sql(text, params);
  if (mem.kind !== "rows") throw new Error("not a SELECT");
  return { model: n.model.select(text, params), memory: { columns: mem.columns, rows: mem.rows } };
}

const ALL = ["SELECT * FROM customers", "SELECT * FROM orders"];

describe("the SQL read model on a node store", () => {
  it("holds each column type as a plain SQLite value, and answers as the in-memory engine", async () => {
    const n = node(dirs.make());
    await n.write("INSERT INTO customers (id, phone, email, views, vip, score, age) VALUES ('A', '555-0100', 'a@example.org', 2, true, 1.5, 40)");
    await n.write("UPDATE customers SET tags = tags + 'vip', notes = notes || 'hello' WHERE id = 'A'");
    await n.write("INSERT INTO orders VALUES (1, 'A', 10), (2, 'A', 5)");
    const raw = n.store.db.prepare("SELECT * FROM sql_customers").all();
    expect(raw).toEqual([{ id: "A", phone: '["555-0100"]', _n1: 1, email: "a@example.org", views: 2, tags: '["vip"]', notes: "hello", vip: 1, score: 1.5, age: 40 }]);
    expect(n.store.db.prepare("SELECT no, customer, amount, typeof(amount) AS t FROM sql_orders").all()).toEqual([
      { no: 1, customer: "A", amount: 10, t: "integer" },
      { no: 2, customer: "A", amount: 5, t: "integer" },
    ]);
    for (const q of [
      ...ALL,
      "SELECT id, vip, tags FROM customers WHERE vip AND 'vip' = ANY(tags) AND NOT CONFLICTED(phone)",
      "SELECT c.id, SUM(o.amount) AS total, AVG(o.amount) AS mean FROM customers c JOIN orders o ON o.customer = c.id GROUP BY c.id",
    ]) {
      expect(n.model.plan(q).engine, q).toBe("sqlite");
      const { model, memory } = both(n, q);
      expect(model, q).toEqual(memory);
    }
  });

  it("deletes a row by its table's policy, and a write that is rolled back leaves the model as it was", async () => {
    const n = node(dirs.make());
    await n.write("INSERT INTO orders VALUES (1, 'A', 10), (2, 'B', 5)");
    await n.write("DELETE FROM orders WHERE no = 1");
    await expect(
      n.store.write(() => {
        n.db.sql("INSERT INTO orders VALUES (3, 'C', 1)");
        throw new Error("the client went away");
      }),
    ).rejects.toThrow("the client went away");
    expect(n.model.select("SELECT no FROM orders").rows).toEqual([{ no: 2 }]);
    expect(n.store.db.prepare("SELECT no FROM sql_orders").pluck().all()).toEqual([2]);
  });

  it("gives the in-memory engine's errors, and answers in memory what SQLite cannot order as JavaScript does", async () => {
    const n = node(dirs.make());
    await n.write("INSERT INTO customers (id, email) VALUES ('A', 'a@example.org')");
    expect(() => n.model.select("SELECT mail FROM customers")).toThrow(
      new SqlError("unknown", "unknown column mail in customers (the columns: id, phone, email, views, tags, notes, vip, score, age)"),
    );
    expect(() => n.model.select("SELECT * FROM customers WHERE phone = '555'")).toThrow(/compare with '555' = ANY\(phone\)/);
    // A comparison of text with a number is a type error in memory for the rows it reaches; SQLite would convert.
    expect(n.model.plan("SELECT id FROM customers WHERE email > 5")).toEqual({ engine: "memory", reason: "a comparison of values of different types" });
    expect(() => n.model.select("SELECT id FROM customers WHERE email > 5")).toThrow(/cannot compare 'a@example.org' with 5/);
    expect(n.model.exact).toBe(true);
    await n.write("INSERT INTO customers (id, email) VALUES ('B', 'smile \u{1F600}'), ('C', 'z\uFFFD')");
    expect(n.model.exact).toBe(false);
    expect(n.model.plan("SELECT email FROM customers ORDER BY email").engine).toBe("memory");
    const { model, memory } = both(n, "SELECT email FROM customers ORDER BY email");
    expect(model).toEqual(memory);
  });

  it("is still in step after a reopen, and is rebuilt when it is missing or of another layout", async () => {
    const dir = dirs.make();
    const first = openSqlNode(dir);
    await first.write("INSERT INTO customers (id, phone, views) VALUES ('A', '1', 1), ('B', '2', 2)");
    await first.write("INSERT INTO orders VALUES (1, 'A', 10), (2, 'B', 5)");
    await first.write("DELETE FROM customers WHERE id = 'B'");
    await first.store.close();
    const reopened = node(dir);
    const expected = ALL.map((q) => both(reopened, q).memory);
    await open.pop()!.store.close();
    const marks = (d: string) => {
      const n = node(d);
      const rows = ALL.map((q) => n.model.select(q));
      const stamp = n.store.db.prepare("SELECT value FROM sqlread_meta WHERE key = 'stamp'").pluck().get();
      return { n, rows, stamp };
    };
    let m = marks(dir);
    expect(m.rows).toEqual(expected);
    // Missing: dropped by hand (or a directory made before the read model existed).
    m.n.store.db.exec("DROP TABLE sql_customers; DROP TABLE sql_orders; DROP TABLE sqlread_meta");
    await open.pop()!.store.close();
    m = marks(dir);
    expect(m.rows).toEqual(expected);
    // Another layout: the stamp differs, the tables are made again from the store.
    m.n.store.db.exec("UPDATE sqlread_meta SET value = 'an older layout' WHERE key = 'stamp'; DELETE FROM sql_orders");
    await open.pop()!.store.close();
    m = marks(dir);
    expect(m.rows).toEqual(expected);
    expect(m.stamp).not.toBe("an older layout");
  });

  it("after kill -9 during a burst of writes, the model holds exactly the store's rows", async () => {
    const dir = dirs.make();
    const acks = await burstThenKill(dir, 300, 20_000);
    expect(acks.length).toBeGreaterThanOrEqual(300);
    const n = node(dir);
    const fresh = ALL.map((q) => n.model.select(q));
    expect(fresh).toEqual(ALL.map((q) => both(n, q).memory));
    // And the tables themselves are what a rebuild from the store makes of it.
    const dump = () => ["sql_customers", "sql_orders"].map((t) => n.store.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
    const before = dump();
    n.store.db.transaction(() => n.model.rebuild())();
    expect(dump()).toEqual(before);
  });
});

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const child = fileURLToPath(new URL("./_test/crash-child.ts", import.meta.url));

/** Runs the writing child until it has printed `acks` acknowledgements (or `deadlineMs` passed), then SIGKILLs it. */
function burstThenKill(dir: string, acks: number, deadlineMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", tsxLoader, child, dir], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(p);
    const acked: number[] = [];
    let buffer = "";
    let stderr = "";
    const timer = setTimeout(() => p.kill("SIGKILL"), deadlineMs);
    p.stdout!.on("data", (chunk: Buffer) => {
      const lines = (buffer + chunk.toString()).split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (m) acked.push(Number(m[1]));
      }
      if (acked.length >= acks) p.kill("SIGKILL");
    });
    p.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    p.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`the child exited by itself (code ${code}): ${stderr}`));
    });
  });
}
