/**
 * The gallery's SQL scenarios end to end through `run` (the article's cases: the CRM customer
 * whose two concurrent phone numbers are both kept, the balance as a view over the journal, the
 * delete policies), and the loader's contract for SQL: a bad statement is exit 2 with one line
 * naming the file, the field path and the reason.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliInProcess, ROOT } from "./spawn-cli.ts";

const out = mkdtempSync(join(tmpdir(), "mc-sql-"));
const gallery = (name: string) => join(ROOT, "scenarios", `${name}.json`);
const json = (name: string) => JSON.parse(readFileSync(gallery(name), "utf8")) as Record<string, any>;
const write = (name: string, value: unknown) => {
  const f = join(out, `${name}.json`);
  writeFileSync(f, JSON.stringify(value));
  return f;
};

describe("SQL scenarios through `run`", () => {
  it.each(["sql-crm-both-phones", "sql-account-balance", "sql-delete-policies", "sql-invoice-numbers"])("%s passes, its expected rows held on every replica", async (name) => {
    const r = await cliInProcess(["run", gallery(name), "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const ev = summary.checks.find((c: { name: string }) => c.name === "expected-value");
    expect(ev).toMatchObject({ ok: true, expected: true });
    expect(ev.detail).toMatch(/^every replica answers SELECT /);
  });

  it("the CRM customer keeps both phone numbers, on every replica", async () => {
    const summary = JSON.parse((await cliInProcess(["run", gallery("sql-crm-both-phones"), "--json", "--out", out])).stdout);
    for (const v of Object.values(summary.final) as { customers: { A: { phone: string[]; views: number } } }[]) {
      expect(v.customers.A.phone).toEqual(["555-0199", "555-0242"]);
      expect(v.customers.A.views).toBe(2);
    }
  });

  it("invoice numbers: NEXTVAL waits for the sequencer; cut off from it, the INSERT is refused and applies nothing", async () => {
    const r = await cliInProcess(["run", gallery("sql-invoice-numbers"), "--json", "--out", out]);
    expect(r.code).toBe(0);
    const trace = readFileSync(join(out, "sql-invoice-numbers/6/trace.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; node?: string; reason?: string; t: number });
    const errors = trace.filter((e) => e.type === "sql-error");
    expect(errors).toEqual([
      { t: 810, type: "sql-error", node: "carol", step: 4, reason: "NEXTVAL('invoice'): the sequencer did not answer before the timeout (unreachable); nothing was applied" },
    ]);
  });

  it("NEXTVAL in a scenario without a sequencer: the statement is refused at run time, naming why", async () => {
    const s = json("sql-invoice-numbers");
    s.name = "no-sequencer";
    delete s.services;
    s.steps = [{ at: 0, node: "alice", sql: "INSERT INTO invoices VALUES (NEXTVAL('invoice'), 'a1', 1)" }];
    s.expect = { value: { select: "SELECT COUNT(*) AS n FROM invoices", rows: [{ n: 0 }] } };
    const r = await cliInProcess(["run", write("no-sequencer", s), "--json", "--out", out]);
    expect(r.code).toBe(0);
    const trace = readFileSync(join(out, "no-sequencer/6/trace.jsonl"), "utf8");
    expect(trace).toContain(
      '"type":"sql-error","node":"alice","step":0,"reason":"NEXTVAL(\'invoice\'): the scenario runs no sequencer (declare services.sequencer); nothing was applied"',
    );
  });

  it("delete policies, in the simulator: an UPDATE concurrent with a DELETE that saw the updater's earlier UPDATE keeps the add-wins row and loses the remove-wins one", async () => {
    // Bob edits both rows and Alice sees it; cut off from each other, Alice deletes them and Bob
    // edits them again. Bob's first "live" is one Alice's delete has seen: only his second
    // UPDATE's own `_row` write (docs/sql.md, "Deletes") keeps the add-wins row. Alice's DELETEs
    // pick the rows by Bob's first email, so the lead is gone only if she had seen his edit.
    const s = json("sql-delete-policies");
    s.name = "delete-after-seen-update";
    s.steps = [
      { at: 0, node: "alice", sql: "INSERT INTO contacts VALUES ('c1', 'old@example.org')" },
      { at: 0, node: "alice", sql: "INSERT INTO leads VALUES ('l1', 'old@example.org')" },
      { at: 300, node: "bob", sql: "UPDATE contacts SET email = 'first@example.org' WHERE id = 'c1'" },
      { at: 300, node: "bob", sql: "UPDATE leads SET email = 'first@example.org' WHERE id = 'l1'" },
      { at: 1000, partition: [["alice"], ["bob"]] },
      { at: 1100, node: "alice", sql: "DELETE FROM contacts WHERE email = 'first@example.org'" },
      { at: 1100, node: "alice", sql: "DELETE FROM leads WHERE email = 'first@example.org'" },
      { at: 1200, node: "bob", sql: "UPDATE contacts SET email = 'second@example.org' WHERE id = 'c1'" },
      { at: 1200, node: "bob", sql: "UPDATE leads SET email = 'second@example.org' WHERE id = 'l1'" },
      { at: 2000, heal: true },
    ];
    s.expect = {
      value: [
        { select: "SELECT * FROM contacts", rows: [{ id: "c1", email: "second@example.org" }] },
        { select: "SELECT COUNT(*) AS n FROM leads", rows: [{ n: 0 }] },
      ],
    };
    const r = await cliInProcess(["run", write("delete-after-seen-update", s), "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.checks.find((c: { name: string }) => c.name === "expected-value")).toMatchObject({ ok: true, expected: true });
  });

  it("rows that do not match are a failed check naming the query and each replica's answer (exit 1)", async () => {
    const s = json("sql-account-balance");
    s.name = "wrong-balance";
    s.expect.value[0].rows = [{ account: "acme", balance: 100, entries: 3 }];
    const r = await cliInProcess(["run", write("wrong-balance", s), "--json", "--out", out]);
    expect(r.code).toBe(1);
    const ev = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === "expected-value");
    expect(ev.ok).toBe(false);
    expect(ev.detail).toContain(
      'branch-a: SELECT account, SUM(amount) AS balance, COUNT(*) AS entries FROM journal GROUP BY account → [{"account":"acme","balance":120,"entries":3}]',
    );
  });

  it.each([
    [
      (s: any) => (s.steps[0].sql = "UPDATE customers SET phon = '1'"),
      "steps[0].sql: UPDATE customers: unknown column phon in customers (the columns: id, phone, email, views, tags)",
    ],
    [(s: any) => (s.steps[0].sql = "UPDATE customers\nSET = '1'"), 'steps[0].sql: syntax error at line 2, column 5: unexpected "="'],
    [(s: any) => (s.steps[0].sql = "SELECT * FROM customers"), "steps[0].sql: a sql step writes (INSERT, UPDATE, DELETE); put a SELECT in expect.value"],
    [
      (s: any) => (s.schema = ["CREATE TABLE customers (id TEXT PRIMARY KEY, phone MV TEXT NOT NULL)"]),
      "schema[0]: CREATE TABLE customers: column phone: NOT NULL is not enforced",
    ],
    [(s: any) => (s.expect.value[1].select = "SELECT id FROM customers WHERE CONFLICTED(email)"), "expect.value[1].select: WHERE: CONFLICTED(email) asks about an MV column"],
    [(s: any) => (s.expect.value = { customers: {} }), 'expect.value: in a scenario with a schema, expect.value is {"select": "SELECT …", "rows": [...]} (or a list of them)'],
    [(s: any) => (s.crdt = "or-set"), "crdt: the scenario has a schema: leave crdt out (it is the store of the schema's tables)"],
    [(s: any) => delete s.schema, 'steps[0].sql: a sql step needs the scenario\'s "schema"'],
    [(s: any) => (s.steps[0] = { at: 0, node: "mallory", sql: "DELETE FROM customers" }), 'steps[0].node: node "mallory" is not declared (nodes: alice, bob, server)'],
  ])("a bad SQL scenario: exit 2, one line with the file, the path and the reason (%#)", async (edit, reason) => {
    const s = json("sql-crm-both-phones");
    edit(s);
    const f = write("bad", s);
    const r = await cliInProcess(["run", f, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")[0]).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
    expect(r.stderr).toContain(`${f}: ${reason}`);
  });

  it("a scenario with neither crdt nor schema names both ways to fix it", async () => {
    const s = json("sql-crm-both-phones");
    delete s.schema;
    s.steps = [];
    delete s.expect;
    const r = await cliInProcess(["run", write("none", s), "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'none.json: crdt: required field is missing (a builtin name ("or-set"), {"type": …}, {"module": "./my-crdt.ts"}, or give "schema": ["CREATE TABLE …"] instead)',
    );
  });
});
