/**
 * The language: what the subset accepts, what it refuses (one line naming the construct and what
 * to use instead), and bad input — syntax errors with line and column, unknown names listing the
 * known ones, type mismatches naming the column and its CRDT, nothing applied from a failing
 * statement.
 */
import { describe, expect, it } from "vitest";
import { SqlError, SqlSchema, TRANSACTION_REFUSAL } from "./index.ts";
import { nodes, rows, run } from "./_test/replicas.ts";

const CUSTOMERS = "CREATE TABLE customers (id TEXT PRIMARY KEY, phone MV TEXT, email TEXT, views COUNTER, tags SET OF TEXT, notes RGA TEXT) WITH (deletes = 'add-wins')";
const ORDERS = "CREATE TABLE orders (no INTEGER PRIMARY KEY, customer TEXT, total REAL, paid BOOLEAN)";

function db() {
  const [n] = nodes([CUSTOMERS, ORDERS], ["alice"]);
  run(n!, "INSERT INTO customers (id, phone, email, views, tags, notes) VALUES ('A', '111', 'a@x.org', 3, ARRAY['gold'], 'hi'), ('B', NULL, 'b@x.org', 0, NULL, '')");
  run(n!, "INSERT INTO orders VALUES (1, 'A', 10.5, true), (2, 'A', 4.5, false), (3, 'B', 7, true), (10, 'C', 1, true)");
  return n!;
}

function fails(f: () => unknown): SqlError {
  try {
    f();
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error("expected an SqlError");
}

describe("CREATE TABLE", () => {
  it("maps every column type to its CRDT, with a hidden _row field and the delete policy", () => {
    const s = SqlSchema.parse([CUSTOMERS, ORDERS, "CREATE TABLE t (k TEXT PRIMARY KEY, s LSEQ TEXT, m MV INTEGER, b SET OF INTEGER) WITH (deletes = 'remove-wins')"]);
    expect(s.storeSpec().collections.customers).toEqual({
      type: "record",
      fields: { _row: "ew-flag", phone: "mv-register", email: "lww-register", views: "pn-counter", tags: "or-set", notes: "rga" },
    });
    expect(s.storeSpec().collections.t!.fields).toEqual({ _row: "mv-register", s: "lseq", m: "mv-register", b: "or-set" });
    expect(s.table("customers").deletes).toBe("add-wins");
    expect(s.table("orders").deletes).toBe("add-wins");
    expect(s.table("t").deletes).toBe("remove-wins");
    // Row liveness: an enable-wins flag under add-wins, an MV-register of "live"/"dead" under remove-wins.
    expect(s.table("customers").row).toBe("ew-flag");
    expect(s.table("t").row).toBe("mv-register");
    expect(s.table("orders").key).toEqual({ name: "no", scalar: "integer" });
  });

  it.each([
    ["CREATE TABLE t (id TEXT, x TEXT)", "CREATE TABLE t: a table needs one PRIMARY KEY column (each row is a store object keyed by it), e.g. id TEXT PRIMARY KEY"],
    ["CREATE TABLE t (id TEXT PRIMARY KEY, x TEXT NOT NULL)", "CREATE TABLE t: column x: NOT NULL is not enforced by CRDT fields (a concurrent write cannot be refused); drop it"],
    ["CREATE TABLE t (id TEXT PRIMARY KEY, x TEXT UNIQUE)", "UNIQUE needs coordination across replicas"],
    ["CREATE TABLE t (id TEXT PRIMARY KEY, x TEXT[])", "CREATE TABLE t: column x: array types are not supported; use SET OF <type> (an OR-set)"],
    [
      "CREATE TABLE t (id TEXT PRIMARY KEY, x JSONB)",
      "CREATE TABLE t: column x: unknown type JSONB (the types: plain types (TEXT, INTEGER, REAL, BOOLEAN), MV <type>, COUNTER, SET OF <type>, RGA TEXT, LSEQ TEXT)",
    ],
    ["CREATE TABLE t (id TEXT PRIMARY KEY, x RGA INTEGER)", "CREATE TABLE t: column x: RGA INTEGER is not a type; a sequence holds text: RGA TEXT"],
    [
      "CREATE TABLE t (id TEXT PRIMARY KEY, x TEXT) WITH (fillfactor = 70)",
      "CREATE TABLE t: WITH (fillfactor = 70): the one table option is WITH (deletes = 'add-wins') or WITH (deletes = 'remove-wins')",
    ],
    ["CREATE TABLE t (id MV TEXT PRIMARY KEY, x TEXT)", "CREATE TABLE t: the primary key id must be TEXT or INTEGER, not MV TEXT"],
    ["CREATE TABLE t (id TEXT PRIMARY KEY, _row TEXT)", 'names starting with "_" are reserved'],
    ["CREATE TABLE t (a TEXT, b TEXT, PRIMARY KEY (a, b))", "composite primary keys (a, b) are not supported"],
    ["SELECT 1", "a schema holds CREATE TABLE statements only, got SELECT"],
  ])("%s → refused", (sql, message) => {
    expect(fails(() => SqlSchema.parse(sql)).message).toContain(message);
  });

  it("a WITH clause belongs to the table it follows", () => {
    const s = SqlSchema.parse("CREATE TABLE a (id TEXT PRIMARY KEY, x TEXT); CREATE TABLE b (id TEXT PRIMARY KEY, x TEXT) WITH (deletes = 'remove-wins')");
    expect([s.table("a").deletes, s.table("b").deletes]).toEqual(["add-wins", "remove-wins"]);
  });

  it("toSql: canonical SQL that parses back to the same tables, whatever the layout, comments and table order", () => {
    const s = SqlSchema.parse([CUSTOMERS, ORDERS, `CREATE TABLE "Odd ""name""" (k INTEGER PRIMARY KEY, "x y" MV DOUBLE PRECISION) WITH (deletes = 'remove-wins')`]);
    const text = s.toSql();
    expect(text.split("\n")).toEqual([
      `CREATE TABLE "Odd ""name""" ("k" INTEGER PRIMARY KEY, "x y" MV DOUBLE PRECISION) WITH (deletes = 'remove-wins');`,
      `CREATE TABLE "customers" ("id" TEXT PRIMARY KEY, "phone" MV TEXT, "email" TEXT, "views" COUNTER, "tags" SET OF TEXT, "notes" RGA TEXT) WITH (deletes = 'add-wins');`,
      `CREATE TABLE "orders" ("no" INTEGER PRIMARY KEY, "customer" TEXT, "total" REAL, "paid" BOOLEAN) WITH (deletes = 'add-wins');`,
    ]);
    expect(SqlSchema.parse(text).toSql()).toBe(text);
    expect(SqlSchema.parse(text).storeSpec()).toEqual(s.storeSpec());
    expect(SqlSchema.parse(`-- reordered\n${ORDERS.toLowerCase()};\n${CUSTOMERS}`).toSql()).toBe(SqlSchema.parse([CUSTOMERS, ORDERS]).toSql());
  });

  it("the dialect rewrite leaves string literals alone", () => {
    const n = nodes("CREATE TABLE t (id TEXT PRIMARY KEY, x TEXT)", ["a"])[0]!;
    run(n, "INSERT INTO t VALUES ('MV TEXT', 'SET OF TEXT) WITH (deletes = ''x'')')");
    expect(rows(n, "SELECT * FROM t")).toEqual([{ id: "MV TEXT", x: "SET OF TEXT) WITH (deletes = 'x')" }]);
  });
});

describe("SELECT", () => {
  it("WHERE, ORDER BY, LIMIT, OFFSET, DISTINCT and expressions", () => {
    const n = db();
    expect(rows(n, "SELECT no, total FROM orders WHERE paid AND total > $1 ORDER BY total DESC LIMIT 2", [1])).toEqual([
      { no: 1, total: 10.5 },
      { no: 3, total: 7 },
    ]);
    expect(rows(n, "SELECT no FROM orders ORDER BY no LIMIT 2 OFFSET 1")).toEqual([{ no: 2 }, { no: 3 }]);
    // INTEGER keys come in numeric order.
    expect(rows(n, "SELECT no FROM orders").map((r) => r.no)).toEqual([1, 2, 3, 10]);
    expect(rows(n, "SELECT DISTINCT customer FROM orders ORDER BY 1")).toEqual([{ customer: "A" }, { customer: "B" }, { customer: "C" }]);
    expect(rows(n, "SELECT upper(email) AS e FROM customers WHERE email LIKE 'a%' OR id IN ('Z')")).toEqual([{ e: "A@X.ORG" }]);
    expect(rows(n, "SELECT id FROM customers WHERE phone IS NOT NULL AND NOT (views BETWEEN 1 AND 2)")).toEqual([{ id: "A" }, { id: "B" }]);
  });

  it("GROUP BY with COUNT, SUM, MIN, MAX, AVG and HAVING", () => {
    const n = db();
    expect(
      rows(
        n,
        "SELECT customer, COUNT(*) AS n, SUM(total) AS s, MIN(total) AS lo, MAX(total) AS hi, AVG(total) AS mean FROM orders GROUP BY customer HAVING COUNT(*) >= 1 ORDER BY s DESC",
      ),
    ).toEqual([
      { customer: "A", n: 2, s: 15, lo: 4.5, hi: 10.5, mean: 7.5 },
      { customer: "B", n: 1, s: 7, lo: 7, hi: 7, mean: 7 },
      { customer: "C", n: 1, s: 1, lo: 1, hi: 1, mean: 1 },
    ]);
    expect(rows(n, "SELECT COUNT(*) AS n, SUM(total) AS s FROM orders WHERE no > 100")).toEqual([{ n: 0, s: null }]);
    expect(rows(n, "SELECT paid, COUNT(DISTINCT customer) AS c FROM orders GROUP BY paid ORDER BY paid")).toEqual([
      { paid: false, c: 1 },
      { paid: true, c: 3 },
    ]);
  });

  it("joins on equality", () => {
    const n = db();
    expect(rows(n, "SELECT c.id, o.no, o.total FROM customers c JOIN orders o ON o.customer = c.id WHERE o.paid ORDER BY o.no")).toEqual([
      { id: "A", no: 1, total: 10.5 },
      { id: "B", no: 3, total: 7 },
    ]);
    expect(rows(n, "SELECT c.id, SUM(o.total) AS spent FROM customers c INNER JOIN orders o ON c.id = o.customer GROUP BY c.id")).toEqual([
      { id: "A", spent: 15 },
      { id: "B", spent: 7 },
    ]);
  });

  it("MV and SET columns are sorted arrays; ANY and CONFLICTED ask about them", () => {
    const n = db();
    expect(rows(n, "SELECT id, phone, tags FROM customers")).toEqual([
      { id: "A", phone: ["111"], tags: ["gold"] },
      { id: "B", phone: [], tags: [] },
    ]);
    expect(rows(n, "SELECT id FROM customers WHERE 'gold' = ANY(tags) AND '111' = ANY(phone)")).toEqual([{ id: "A" }]);
    expect(rows(n, "SELECT id FROM customers WHERE CONFLICTED(phone)")).toEqual([]);
  });
});

describe("refused constructs name themselves and what to use instead", () => {
  it.each([
    ["BEGIN; UPDATE customers SET email = 'x' WHERE id = 'A'; COMMIT;", TRANSACTION_REFUSAL],
    ["UPDATE customers SET views = 5 WHERE id = 'A'", "UPDATE customers SET views: views (COUNTER, a pn-counter) takes increments: SET views = views + n (or - n)"],
    ["SELECT * FROM customers WHERE phone = '111'", "phone (MV TEXT, an mv-register) holds its concurrent values (an array): compare with '555' = ANY(phone)"],
    ["SELECT * FROM customers WHERE CONFLICTED(email)", "CONFLICTED(email) asks about an MV column; email (TEXT, an lww-register) never holds concurrent values"],
    ["SELECT * FROM customers c LEFT JOIN orders o ON o.customer = c.id", "LEFT JOIN is not supported: joins are inner joins on equality"],
    ["SELECT * FROM customers c JOIN orders o ON o.total > 1", "joins are on equality between the joined tables"],
    ["SELECT * FROM orders WHERE customer IN (SELECT id FROM customers)", "subqueries are not supported"],
    ["SELECT * FROM orders WHERE total = (SELECT 1)", "subqueries are not supported; use a join on equality, or two statements"],
    ["SELECT CASE WHEN paid THEN 1 ELSE 0 END FROM orders", "CASE is not supported"],
    ["SELECT 1", "SELECT needs FROM a table"],
    ["INSERT INTO orders VALUES (5, 'A', 1, true) ON CONFLICT DO NOTHING", "ON CONFLICT is not supported"],
    ["INSERT INTO orders SELECT * FROM orders", "INSERT … SELECT is not supported; insert VALUES (…)"],
    ["UPDATE orders SET no = 4 WHERE no = 1", "the primary key cannot change"],
    ["DROP TABLE orders", "DROP TABLE is not supported"],
    ["CREATE TABLE x (id TEXT PRIMARY KEY, y TEXT)", "CREATE TABLE: tables are fixed when the store is made"],
    ["SELECT id FROM customers; SELECT no FROM orders", "one statement at a time (got 2)"],
    ["SELECT no FROM orders UNION SELECT 1", "UNION is not supported"],
    ["SELECT now() FROM orders", "the function NOW is not supported"],
    ["SELECT * FROM orders WHERE total > NEXTVAL('x')", "NEXTVAL('name') is a whole value of an INSERT"],
    ["SELECT customer FROM orders GROUP BY paid", "column customer must appear in GROUP BY or be used in an aggregate"],
    ["SELECT * FROM orders FOR UPDATE", "there are no locks"],
  ])("%s", (sql, message) => {
    const e = fails(() => db().db.sql(sql));
    expect(e.message).toContain(message);
    expect(e.message).not.toContain("\n");
  });
});

describe("bad input", () => {
  it("a syntax error points at the line and column", () => {
    const n = db();
    expect(fails(() => n.db.sql("SELEC * FROM orders")).message).toBe('syntax error at line 1, column 7: unexpected "*"');
    expect(fails(() => n.db.sql("SELECT *\nFROM orders WHERE no = = 1")).message).toBe('syntax error at line 2, column 24: unexpected "="');
    expect(fails(() => n.db.sql("SELECT * FROM orders WHERE")).message).toMatch(/^syntax error at line 1, column \d+/);
    expect(fails(() => n.db.sql("SELECT * FROM orders WHERE")).kind).toBe("syntax");
  });

  it("unknown tables and columns name the known ones", () => {
    const n = db();
    expect(fails(() => n.db.sql("SELECT * FROM customer")).message).toBe("unknown table customer (the tables: customers, orders)");
    expect(fails(() => n.db.sql("SELECT mail FROM customers")).message).toBe("unknown column mail in customers (the columns: id, phone, email, views, tags, notes)");
    expect(fails(() => n.db.sql("UPDATE customers SET mail = 'x'")).message).toBe(
      "UPDATE customers: unknown column mail in customers (the columns: id, phone, email, views, tags, notes)",
    );
    expect(fails(() => n.db.sql("SELECT x.id FROM customers c")).message).toBe("unknown table x in x.id (the statement's tables: c)");
  });

  it("a type mismatch names the column and its CRDT", () => {
    const n = db();
    expect(fails(() => n.db.sql("UPDATE customers SET email = 5 WHERE id = 'A'")).message).toBe("type mismatch: customers.email (TEXT, an lww-register): expected a string, got 5");
    expect(fails(() => n.db.sql("UPDATE customers SET views = views + 'x' WHERE id = 'A'")).message).toBe(
      "type mismatch: customers.views (COUNTER, a pn-counter): expected an integer, got 'x'",
    );
    expect(fails(() => n.db.sql("UPDATE customers SET tags = tags + 3 WHERE id = 'A'")).message).toBe(
      "type mismatch: customers.tags (SET OF TEXT, an or-set): expected an element that is a string, got 3",
    );
    expect(fails(() => n.db.sql("INSERT INTO orders VALUES ('x', 'A', 1, true)")).message).toBe("orders.no is the primary key (INTEGER): expected an integer, got 'x'");
    expect(fails(() => n.db.sql("INSERT INTO orders (no, paid) VALUES (7, 'yes')")).message).toBe(
      "type mismatch: orders.paid (BOOLEAN, an lww-register): expected a boolean, got 'yes'",
    );
    expect(fails(() => n.db.sql("SELECT * FROM orders WHERE no = $2", [1])).message).toBe("the statement uses $2 but 1 parameter was given");
  });

  it("nothing is applied from a failing statement", () => {
    const n = db();
    const before = JSON.stringify(n.replica.value());
    // The second row fails its type check: the first row's ops must not have been applied.
    fails(() => n.db.sql("INSERT INTO orders VALUES (20, 'Z', 1, true), (21, 'Z', 'one', true)"));
    // One row of three divides by zero.
    fails(() => n.db.sql("UPDATE orders SET total = 10 / (no - 2)"));
    fails(() => n.db.sql("INSERT INTO customers (id, email) VALUES ('Q', 'q'), ('Q', 'q2')"));
    fails(() => n.db.sql("INSERT INTO customers (id) VALUES ('A')"));
    fails(() => n.db.sql("UPDATE customers SET email = 'x', views = views + 'y'"));
    expect(JSON.stringify(n.replica.value())).toBe(before);
  });

  it("NEXTVAL draws from the injected sequencer, and says so when there is none", () => {
    const none = db();
    const e = fails(() => none.db.sql("INSERT INTO orders (no, customer) VALUES (NEXTVAL('invoice'), 'A')"));
    expect(e.kind).toBe("unavailable");
    expect(e.message).toBe("NEXTVAL('invoice'): no sequencer is reachable from here; serial numbers need the sequencer service (services.sequencer, docs/services.md)");
    let next = 100;
    const [n] = nodes(ORDERS, ["a"], { sequencer: { next: () => next++ } });
    run(n!, "INSERT INTO orders (no, customer) VALUES (NEXTVAL('invoice'), 'A'), (NEXTVAL('invoice'), 'B')");
    // A failing statement draws nothing.
    fails(() => n!.db.sql("INSERT INTO orders (no, customer) VALUES (NEXTVAL('invoice'), 'A'), (NEXTVAL('invoice'), 7)"));
    run(n!, "INSERT INTO orders (no, customer) VALUES (NEXTVAL('invoice'), 'C')");
    expect(rows(n!, "SELECT no, customer FROM orders")).toEqual([
      { no: 100, customer: "A" },
      { no: 101, customer: "B" },
      { no: 102, customer: "C" },
    ]);
  });

  it("parameters are values, never SQL", () => {
    const n = db();
    run(n, "UPDATE customers SET email = $1 WHERE id = $2", ["x'; DELETE FROM customers; --", "A"]);
    expect(rows(n, "SELECT email FROM customers WHERE id = $1", ["A"])).toEqual([{ email: "x'; DELETE FROM customers; --" }]);
    expect(rows(n, "SELECT COUNT(*) AS n FROM customers")).toEqual([{ n: 2 }]);
    expect(fails(() => n.db.sql("SELECT * FROM customers WHERE id = $1", [{ a: 1 }])).message).toBe(
      'parameter $1 must be a string, a finite number, a boolean, NULL or an array of them, got {"a":1}',
    );
  });
});
