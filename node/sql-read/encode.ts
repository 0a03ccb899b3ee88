/**
 * A SQL row → the values of its read-model row, with the same liveness rule and column values
 * as the in-memory engine (sql/rows.ts `rowOf`, reused, not copied).
 *
 * Some values SQLite cannot hold or order the way the in-memory engine does; a row holding one
 * is written anyway but marks the model inexact, and an inexact model answers every SELECT in
 * memory (read-model.ts). The cases:
 * - text with a surrogate code unit (a character above U+FFFF, or a lone half): SQLite orders
 *   TEXT by UTF-8 bytes, JavaScript by UTF-16 code units, and the two disagree there; a lone
 *   half does not survive the UTF-8 round trip at all. Text with U+0000: SQLite's LIKE/GLOB and
 *   text functions stop at it.
 * - a value not of its column's declared type (a raw store op can write anything into a field):
 *   SQLite's type affinity would convert it, the in-memory engine compares it as it is.
 * - -0 (SQLite keeps no sign on a zero it stores), and an INTEGER key whose id is not the
 *   decimal form of its number ("007": the in-memory engine orders it as 7).
 */
import type { Value } from "../../sql/index.ts";
import { rowOf } from "../../sql/engine.ts";
import type { ColumnLayout, TableLayout } from "./layout.ts";

export type Bound = null | string | number | bigint;

const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether SQLite holds and orders this text exactly as the in-memory engine does. */
export const regularText = (s: string): boolean => !SURROGATE.test(s) && !s.includes("\0");

function regularScalar(v: Value, scalar: string): boolean {
  switch (scalar) {
    case "text":
      return typeof v === "string" && regularText(v);
    case "integer":
      return Number.isSafeInteger(v) && !Object.is(v, -0);
    case "real":
      return typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0);
    default:
      return typeof v === "boolean";
  }
}

/** A scalar as bound to SQLite: integers as BigInt (so INTEGER arithmetic stays integer), booleans as 1/0. */
export function bind(v: Value): Bound {
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (typeof v === "number" && Number.isSafeInteger(v) && !Object.is(v, -0)) return BigInt(v);
  return v as Bound;
}

/** The bound values of one column (two for an MV column: the JSON array and its count), and whether they are exact. */
function encodeColumn(c: ColumnLayout, v: Value, out: Bound[]): boolean {
  const col = c.column;
  if (!col) {
    out.push(bind(v));
    return typeof v === "string" ? regularText(v) : true;
  }
  switch (col.kind) {
    case "lww":
      out.push(v === null || typeof v !== "object" ? bind(v) : null);
      return v === null || regularScalar(v, col.scalar);
    case "counter":
      out.push(typeof v === "number" ? bind(v) : null);
      return Number.isSafeInteger(v) && !Object.is(v, -0);
    case "text":
      out.push(typeof v === "string" ? v : null);
      return typeof v === "string" && regularText(v);
    case "mv":
    case "set": {
      const arr = Array.isArray(v) ? v : [];
      out.push(JSON.stringify(arr));
      if (col.kind === "mv") out.push(BigInt(arr.length));
      return Array.isArray(v) && arr.every((x) => x !== null && regularScalar(x, col.scalar));
    }
  }
}

/** Whether an object id can be a row's key in SQLite (an INTEGER key's id is its number's decimal form). */
export const regularId = (t: TableLayout, id: string): boolean =>
  t.table.key.scalar === "integer" ? Number.isSafeInteger(Number(id)) && String(Number(id)) === id : regularText(id);

/**
 * The read-model row of a record (columns in layout order), or null when the SQL row does not
 * exist. `values` is null for a row that cannot be keyed in SQLite (not written; inexact).
 */
export function encodeRow(t: TableLayout, id: string, record: unknown): { values: Bound[] | null; exact: boolean } | null {
  const row = rowOf(t.table, id, record);
  if (!row) return null;
  if (t.table.key.scalar === "integer" && !regularId(t, id)) return { values: null, exact: false };
  const values: Bound[] = [];
  let exact = regularId(t, id);
  t.columns.forEach((c, i) => {
    if (!encodeColumn(c, row[i]!, values)) exact = false;
  });
  return { values, exact };
}
