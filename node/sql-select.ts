/**
 * Where a node's SELECTs run — the one seam between the `sql` request and the read side.
 *
 * On a SQLite store: the read model (node/sql-read, docs/sql.md "Reads on a node") — the tables'
 * current values materialized in SQLite, kept in step inside every write's transaction, and the
 * SELECT translated to SQLite SQL, so SQLite does the query work (with the in-memory engine as
 * its fallback where SQLite could answer differently). On any other NodeStore (none ships; tests
 * may pass one): the in-memory SqlDatabase over the replica.
 *
 * Either way the SELECT runs through `store.read`, after the open group-commit batch has
 * committed or rolled back: like `get` and `list`, it never shows a write a crash could take
 * back (the read model's rows of an open batch are visible on the same SQLite connection).
 */
import { SqlDatabase, type SelectResult, type SqlSchema } from "../sql/index.ts";
import type { ReplicaHost } from "./replica-host.ts";
import { attachSqlReadModel } from "./sql-read/index.ts";
import { SqliteNodeStore } from "./storage/index.ts";

/** Runs one SELECT over durable state; rejects with SqlError (one line) on anything wrong with it. */
export type SqlSelect = (text: string, params: readonly unknown[]) => Promise<SelectResult>;

export function openSqlSelect(schema: SqlSchema, host: ReplicaHost): SqlSelect {
  const store = host.store;
  if (store instanceof SqliteNodeStore) {
    const model = attachSqlReadModel(store, schema, host.replica);
    return (text, params) => store.read(() => model.select(text, params));
  }
  const db = new SqlDatabase(schema, host.replica);
  return (text, params) =>
    store.read(() => {
      const r = db.sql(text, params);
      if (r.kind !== "rows") throw new Error(`openSqlSelect: given a write (${text.slice(0, 40)}…): the caller sends SELECTs only`);
      return { columns: r.columns, rows: r.rows };
    });
}
