/**
 * SQL over the store, in memory (docs/sql.md): UPDATE statements per CPU second against the same
 * updates made through the store API (StoreReplica.update) in the same run — the ratio is the
 * share of the store's speed SQL keeps (goal ≥ 0.5) — and a SELECT with a WHERE and a GROUP BY
 * over N rows. On an add-wins table an UPDATE also enables the row's `_row` flag (docs/sql.md#deletes),
 * which the goal's baseline does not: two more rows show the store API applying the statement's
 * own two ops, and what that `_row` write alone leaves of the baseline (the goal ratio's ceiling). The comparison with a plain SQLite table belongs to the node (issue 18) and comes
 * with it.
 */
import { resolveBuiltin, StoreReplica } from "../../core/index.ts";
import { SqlDatabase, SqlSchema } from "../../sql/index.ts";
import type { BenchRow } from "../types.ts";

export const name = "sql";

const ROWS = 10_000;
const UPDATES = 50_000;
const SELECT_ROWS = 100_000;

function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const best = (n: number, f: () => number): number => Math.min(...Array.from({ length: n }, f));

/** A replica holding `rows` customers, inserted through SQL; the database over it. */
function customers(deletes: string, rows: number) {
  const schema = SqlSchema.parse(`CREATE TABLE customers (id TEXT PRIMARY KEY, phone MV TEXT, views COUNTER) WITH (deletes = '${deletes}')`);
  const replica = new StoreReplica("bench", resolveBuiltin(schema.storeSpec()), () => 1000);
  const db = new SqlDatabase(schema, replica);
  for (let i = 0; i < rows; i++) db.sql("INSERT INTO customers (id, phone, views) VALUES ($1, $2, 0)", [`c${i}`, "555-0100"]);
  return { replica, db };
}

/** UPDATEs/s through SQL and the same field updates/s through the store API, each best of 3 on a fresh replica. */
function updates(deletes: string, what: "inc" | "set"): { sql: number; store: number; storeRow?: number } {
  const ids = Array.from({ length: UPDATES }, (_, i) => `c${(i * 7919) % ROWS}`);
  const text = what === "inc" ? "UPDATE customers SET views = views + 1 WHERE id = $1" : "UPDATE customers SET phone = $2 WHERE id = $1";
  const sqlMs = best(3, () => {
    const { db } = customers(deletes, ROWS);
    return cpuMs(() => {
      for (let i = 0; i < UPDATES; i++) db.sql(text, [ids[i], "555-0199"]);
    });
  });
  const storeMs = best(3, () => {
    const { replica } = customers(deletes, ROWS);
    return cpuMs(() => {
      for (let i = 0; i < UPDATES; i++)
        replica.update(what === "inc" ? { op: "inc", args: ["customers", ids[i], "views", 1] } : { op: "set", args: ["customers", ids[i], "phone", "555-0199"] });
    });
  });
  // Add-wins: the same ops the statement applies (the field op and the `_row` write, one update)
  // through the store API — the SQL layer's own share, and what the `_row` write alone leaves of
  // the goal's baseline.
  const fieldOp = what === "inc" ? { op: "inc", args: ["views", 1] } : { op: "set", args: ["phone", "555-0199"] };
  // The `_row` op the statement applies: the enable-wins flag's enable (an older store's MV-register: set "live").
  const rowOp = { op: "enable", args: ["_row"] };
  const rowMs =
    deletes === "add-wins"
      ? best(3, () => {
          const { replica } = customers(deletes, ROWS);
          return cpuMs(() => {
            for (let i = 0; i < UPDATES; i++) replica.updateObject("customers", ids[i]!, [fieldOp, rowOp]);
          });
        })
      : undefined;
  return { sql: (UPDATES / sqlMs) * 1000, store: (UPDATES / storeMs) * 1000, ...(rowMs === undefined ? {} : { storeRow: (UPDATES / rowMs) * 1000 }) };
}

function groupBy(): { ms: number; rowsPerSec: number } {
  const schema = SqlSchema.parse("CREATE TABLE journal (id INTEGER PRIMARY KEY, account TEXT, amount INTEGER)");
  const replica = new StoreReplica("bench", resolveBuiltin(schema.storeSpec()), () => 1000);
  const db = new SqlDatabase(schema, replica);
  for (let i = 0; i < SELECT_ROWS; i++) db.sql("INSERT INTO journal VALUES ($1, $2, $3)", [i, `acct-${i % 100}`, (i % 21) - 10]);
  const q = "SELECT account, SUM(amount) AS balance, COUNT(*) AS n FROM journal WHERE amount > 0 GROUP BY account";
  let groups = 0;
  const ms = best(3, () =>
    cpuMs(() => {
      const r = db.sql(q);
      groups = r.kind === "rows" ? r.rows.length : 0;
    }),
  );
  if (groups !== 100) throw new Error(`bench sql: expected 100 groups, got ${groups}`);
  return { ms, rowsPerSec: (SELECT_ROWS / ms) * 1000 };
}

export function run(): BenchRow[] {
  const out: BenchRow[] = [];
  for (const [deletes, what, label] of [
    ["add-wins", "inc", "views = views + 1"],
    ["remove-wins", "inc", "views = views + 1"],
    ["add-wins", "set", "phone = $2"],
  ] as const) {
    const r = updates(deletes, what);
    const note = `UPDATE customers SET ${label} WHERE id = $1, ${deletes} table, ${ROWS.toLocaleString("en-US")} rows`;
    const opWord = what === "inc" ? "inc views" : "set phone";
    out.push(
      { suite: name, name: `UPDATE ${label} (${deletes})`, value: r.sql, unit: "statements/s", note },
      { suite: name, name: `store API, same updates (${deletes})`, value: r.store, unit: "updates/s", note: `StoreReplica.update, ${what} on the same field` },
      {
        suite: name,
        name: `UPDATE ${label} (${deletes}) / store API`,
        value: r.sql / r.store,
        unit: "ratio",
        note:
          deletes === "add-wins"
            ? `goal ≥ 0.5; against StoreReplica.update with the ${opWord} alone, while the statement also enables the row's _row flag (an enable-wins flag: one counter step, which an add-wins UPDATE needs every time: docs/sql.md#deletes) — so it is at most the "${opWord} + _row / ${opWord}" row`
            : "goal ≥ 0.5; a remove-wins UPDATE writes only its field",
      },
    );
    if (r.storeRow !== undefined)
      out.push(
        {
          suite: name,
          name: `store API, ${opWord} + _row as one update (${deletes})`,
          value: r.storeRow,
          unit: "updates/s",
          note: `StoreReplica.updateObject with the statement's own two ops (${opWord}, enable _row)`,
        },
        {
          suite: name,
          name: `UPDATE ${label} (${deletes}) / store API ${opWord} + _row`,
          value: r.sql / r.storeRow,
          unit: "ratio",
          note: "the SQL layer's share: against the store API applying the same two ops",
        },
        {
          suite: name,
          name: `store API ${opWord} + _row / ${opWord} (${deletes})`,
          value: r.storeRow / r.store,
          unit: "ratio",
          note: "what the _row write leaves of the goal's baseline before any SQL: the ceiling of the goal ratio above",
        },
      );
  }
  const g = groupBy();
  out.push(
    {
      suite: name,
      name: `SELECT … WHERE … GROUP BY over ${SELECT_ROWS.toLocaleString("en-US")} rows`,
      value: g.ms,
      unit: "ms",
      note: "100 groups, in memory (StoreReplica over MemoryBacking)",
    },
    { suite: name, name: "SELECT … WHERE … GROUP BY, rows scanned", value: g.rowsPerSec, unit: "rows/s" },
  );
  return out;
}
