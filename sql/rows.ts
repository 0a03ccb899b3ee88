/**
 * Rows over store objects, and whether a row exists.
 *
 * The store has no object delete (an object is an identity: its fields only merge), so a row's
 * existence is one more CRDT, the hidden field `_row`, and the table's policy decides, `WITH
 * (deletes = …)`, what a DELETE concurrent with an INSERT or UPDATE does:
 *
 * - add-wins: `_row` is an enable-wins flag (core/crdt/ew-flag.ts; AntidoteDB's AQL keeps row
 *   visibility in one). INSERT and UPDATE enable it, DELETE disables it, and a disable clears
 *   only the enables it has seen: an update concurrent with a delete keeps the row, even when
 *   the delete saw that replica's earlier updates (each enable is a new one). An enable costs a
 *   counter increment. A store made before the flag (a node directory, a stored store spec)
 *   keeps `_row` as an MV-register of "live" and "dead": INSERT and UPDATE write "live", DELETE
 *   "dead", and the row exists while "live" is among the values — the same rule (a write
 *   supersedes exactly the writes it has seen); the table's `row` says which (schema.ts).
 * - remove-wins: `_row` is an MV-register whose values are "live" (written by INSERT) and
 *   "dead" (written by DELETE); the row exists when it holds values and none is "dead". An
 *   UPDATE leaves `_row` alone, so a concurrent delete wins over it and over a concurrent insert.
 *
 * Either way a field update that arrives before the row's INSERT does not show a half row
 * (`_row` is still empty). A deleted row keeps its field states (they cannot be undone); an
 * INSERT of the same key resets the columns it does not name (write.ts).
 */
import type { Op } from "../core/index.ts";
import { SqlError } from "./errors.ts";
import { type Column, ROW_FIELD, type Table } from "./schema.ts";

/** A JSON-like SQL value: MV and SET columns are arrays. */
export type Value = null | string | number | boolean | Value[];

/** What the SQL layer needs of a store; a StoreReplica is one (its `update` returns the delta to send). */
export interface SqlStore<E = unknown> {
  /** The object's value (a record: field → value), or undefined when there is no such object. */
  object(collection: string, id: string): unknown;
  /**
   * Optional: some fields of a record object (field → value), or undefined when there is no such
   * object — what `object` holds for them, without computing the other fields' values.
   */
  objectFields?(collection: string, id: string, fields: readonly string[]): Record<string, unknown> | undefined;
  /** The ids of a collection's objects, ascending. */
  ids(collection: string): readonly string[];
  /** Applies a local update (`set ["customers", "A", "phone", "555"]`). */
  update(op: Op): E;
  /**
   * Optional: applies several field ops of one object as one update (`inc ["views", 1]`, `set
   * ["_row", "live"]`), all or nothing, with one effect (a StoreReplica's: one delta message).
   * Without it each op is an `update` of its own (the simulator's SQL steps: one op each).
   */
  updateObject?(collection: string, id: string, ops: Op[]): E;
}

export const LIVE = "live";
export const DEAD = "dead";

/** Whether a row exists, from its `_row` value: the flag's boolean, or the MV-register's sorted values. */
export function exists(table: Table, row: unknown): boolean {
  if (table.row === "ew-flag") return row === true;
  const values = row as readonly unknown[];
  if (table.deletes === "add-wins") return values.includes(LIVE);
  return values.length > 0 && !values.includes(DEAD);
}

/** The `_row` update that makes a row live (INSERT; UPDATE of an add-wins table): [op, …args]. */
export function liveOp(table: Table): [string, ...string[]] {
  return table.row === "ew-flag" ? ["enable"] : ["set", LIVE];
}

/** The `_row` update of a DELETE. */
export function deadOp(table: Table): [string, ...string[]] {
  return table.row === "ew-flag" ? ["disable"] : ["set", DEAD];
}

/** The object id of a key value, after checking its type. */
export function idOf(table: Table, key: unknown): string {
  const k = table.key;
  if (key === null || key === undefined) throw new SqlError("type", `${table.name}.${k.name} is the primary key: it cannot be NULL`);
  if (k.scalar === "text") {
    if (typeof key !== "string" || key === "") throw new SqlError("type", `${table.name}.${k.name} is the primary key (TEXT): expected a non-empty string, got ${show(key)}`);
    return key;
  }
  if (!Number.isSafeInteger(key)) throw new SqlError("type", `${table.name}.${k.name} is the primary key (INTEGER): expected an integer, got ${show(key)}`);
  return String(key);
}

/** The key value of an object id (ids of INTEGER keys are their decimal strings). */
export function keyOf(table: Table, id: string): string | number {
  return table.key.scalar === "text" ? id : Number(id);
}

/** A column's SQL value from its field's CRDT value. */
export function columnValue(c: Column, v: unknown): Value {
  // An MV column shows its concurrent values; a NULL written to it clears it, so NULL is not one of them.
  if (c.kind === "mv") return (v as Value[]).filter((x) => x !== null);
  if (c.kind === "text") return v as string;
  return v as Value;
}

/** A record's row, in `table.columns` order, or null when the row does not exist. */
export function rowOf(table: Table, id: string, record: unknown): Value[] | null {
  if (record === undefined) return null;
  const r = record as Record<string, unknown>;
  if (!exists(table, r[ROW_FIELD])) return null;
  // A field the record leaves out (objectFields: a column the statement does not read) is NULL.
  return table.columns.map((name) => (name === table.key.name ? keyOf(table, id) : r[name] === undefined ? null : columnValue(table.fields.get(name)!, r[name])));
}

/**
 * The columns an UPDATE or DELETE reads (its WHERE, its SET expressions, the columns it sets),
 * and the hidden `_row`: every column reference in those expressions. Undefined (read them all)
 * when one is `*`.
 */
export function columnsRead(table: Table, exprs: readonly unknown[], set: readonly string[] = []): string[] | undefined {
  const names = new Set<string>([ROW_FIELD, ...set]);
  let all = false;
  const walk = (x: unknown): void => {
    if (all || x === null || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(walk);
    const node = x as { type?: unknown; name?: unknown };
    if (node.type === "ref" && typeof node.name === "string") {
      if (node.name === "*") all = true;
      else names.add(node.name);
    }
    for (const v of Object.values(x)) walk(v);
  };
  exprs.forEach(walk);
  return all ? undefined : [...names].filter((n) => n === ROW_FIELD || table.fields.has(n));
}

/** The rows of a table that exist, in key order (numeric for INTEGER keys), as [id, row]. */
export function scan(store: SqlStore, table: Table): [string, Value[]][] {
  const out: [string, Value[]][] = [];
  for (const id of store.ids(table.name)) {
    const row = rowOf(table, id, store.object(table.name, id));
    if (row) out.push([id, row]);
  }
  if (table.key.scalar === "integer") out.sort((a, b) => Number(a[0]) - Number(b[0]));
  return out;
}

export function show(v: unknown): string {
  if (typeof v === "string") return `'${v.replace(/'/g, "''")}'`;
  if (v === undefined) return "nothing";
  return JSON.stringify(v) ?? String(v);
}

/** An update op on a row's field: `set ["customers", "A", "phone", v]`. */
export function fieldOp(table: Table, id: string, op: string, field: string, ...args: unknown[]): Op {
  return { op, args: [table.name, id, field, ...args] };
}
