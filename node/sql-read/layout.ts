/**
 * Where each SQL table lives in the node's SQLite database: one plain table per SQL table, one
 * column per SQL column, plus one hidden count column per MV column (what CONFLICTED reads).
 *
 * Names: `sql_<table>` and the column's own name, quoted. SQLite folds identifier case and the
 * SQL layer does not ("A" and "a" may be two columns), so a name that would clash with another
 * when case is folded gets a positional one instead (`sqlread_t<n>`, `_c<n>`). Hidden columns
 * start with "_", which SQL column names never do (schema.ts reserves it), and the read model's
 * own bookkeeping (`sqlread_meta`, `sqlread_t<n>`) never starts with `sql_`: nothing the store or
 * another table uses can clash.
 */
import type { Column, SqlSchema, Table } from "../../sql/index.ts";

/** How one SQL column is held: the SQLite column, and the MV count column (MV columns only). */
export type ColumnLayout = { name: string; sql: string; column: Column | undefined; count?: string };
export type TableLayout = { table: Table; sql: string; columns: ColumnLayout[]; key: ColumnLayout };

export const META_TABLE = "sqlread_meta";
/** Bumped whenever the tables' layout or encodings change: a model of another version is rebuilt. */
export const READ_MODEL_VERSION = 1;

export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const folded = (names: readonly string[]): Set<string> => {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n.toLowerCase(), (seen.get(n.toLowerCase()) ?? 0) + 1);
  return new Set([...seen].filter(([, k]) => k > 1).map(([n]) => n));
};

export function layoutOf(schema: SqlSchema): Map<string, TableLayout> {
  const tables = [...schema.tables.values()];
  const clashes = folded(tables.map((t) => t.name));
  const out = new Map<string, TableLayout>();
  tables.forEach((table, ti) => {
    const sql = clashes.has(table.name.toLowerCase()) ? `sqlread_t${ti}` : `sql_${table.name}`;
    const colClashes = folded(table.columns);
    const columns = table.columns.map((name, i): ColumnLayout => {
      const column = table.fields.get(name);
      const c: ColumnLayout = { name, sql: colClashes.has(name.toLowerCase()) ? `_c${i}` : name, column };
      if (column?.kind === "mv") c.count = `_n${i}`;
      return c;
    });
    const key = columns.find((c) => c.name === table.key.name)!;
    out.set(table.name, { table, sql, columns, key });
  });
  return out;
}

/** The SQLite type of a column: its affinity keeps integers INTEGER and reals REAL. */
function sqliteType(c: ColumnLayout): string {
  const col = c.column;
  if (!col) return "";
  if (col.kind === "counter") return "INTEGER";
  if (col.kind === "lww") return col.scalar === "text" ? "TEXT" : col.scalar === "real" ? "REAL" : "INTEGER";
  return "TEXT"; // MV and SET: JSON array text; RGA / LSEQ: the text
}

export function createTableSql(t: TableLayout): string {
  const cols = t.columns.map((c) => {
    if (c === t.key) return t.table.key.scalar === "integer" ? `${quote(c.sql)} INTEGER PRIMARY KEY` : `${quote(c.sql)} TEXT PRIMARY KEY`;
    const count = c.count ? `, ${quote(c.count)} INTEGER NOT NULL` : "";
    return `${quote(c.sql)} ${sqliteType(c)}${count}`;
  });
  // A TEXT key is the row's identity: clustered on it (no rowid), as the store's objects table is.
  return `CREATE TABLE ${quote(t.sql)} (${cols.join(", ")})${t.table.key.scalar === "text" ? " WITHOUT ROWID" : ""}`;
}

/** What identifies a layout: a stored model with another stamp is rebuilt. */
export function stampOf(layout: Map<string, TableLayout>): string {
  const tables = [...layout.values()].map((t) => ({
    sql: t.sql,
    deletes: t.table.deletes,
    key: t.table.key,
    columns: t.columns.map((c) => [c.name, c.sql, c.column?.sqlType ?? "KEY", c.count ?? null]),
  }));
  return JSON.stringify({ version: READ_MODEL_VERSION, tables });
}
