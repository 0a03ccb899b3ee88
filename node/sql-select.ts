/**
 * Where a node's SELECTs run — the one seam between the `sql` request and the read side, so the
 * read side can change without touching the request path.
 *
 * Today: the in-memory SqlDatabase SELECT over the node's replica (it reads the objects through
 * the replica's backing: the store's cache, else its rows). A SQLite read model (the tables'
 * current values materialized in SQLite, kept up to date as deltas apply, the SELECT's AST
 * translated to SQLite SQL) replaces the body of `openSqlSelect`, and nothing else.
 */
import { SqlDatabase, type SelectResult, type SqlSchema } from "../sql/index.ts";
import type { ReplicaHost } from "./replica-host.ts";

/** Runs one SELECT; throws SqlError (one line) on anything wrong with it. */
export type SqlSelect = (text: string, params: readonly unknown[]) => SelectResult;

export function openSqlSelect(schema: SqlSchema, host: ReplicaHost): SqlSelect {
  const db = new SqlDatabase(schema, host.replica);
  return (text, params) => {
    const r = db.sql(text, params);
    if (r.kind !== "rows") throw new Error(`openSqlSelect: given a write (${text.slice(0, 40)}…): the caller sends SELECTs only`);
    return { columns: r.columns, rows: r.rows };
  };
}
