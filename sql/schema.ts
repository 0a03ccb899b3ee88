/**
 * Tables: CREATE TABLE statements → the store collections they live in. A table is a store
 * collection of records (one object per row, keyed by the primary key); each non-key column is a
 * record field of the CRDT its type maps to (docs/sql.md, "Column types"), and one hidden field,
 * `_row`, says whether the row exists (rows.ts: the store has no object delete).
 */
import type { CreateTableStatement, DataTypeDef, Statement } from "pgsql-ast-parser";
import type { DeletePolicyClause } from "./dialect.ts";
import { SqlError } from "./errors.ts";
import { parseSql } from "./parse.ts";

export type DeletePolicy = "add-wins" | "remove-wins";
/** What a value of a plain column is. */
export type Scalar = "text" | "integer" | "real" | "boolean";
/** lww: LWW register on the HLC; mv: MV-register; counter: PN-counter; set: OR-set; text: RGA or LSEQ. */
export type ColumnKind = "lww" | "mv" | "counter" | "set" | "text";

export type Column = {
  name: string;
  kind: ColumnKind;
  /** The value type (of each element for a set, of each concurrent value for an MV column). */
  scalar: Scalar;
  /** The CRDT it is stored as (a builtin's registry name). */
  crdt: string;
  /** The type as declared, for messages: "MV TEXT", "COUNTER". */
  sqlType: string;
};

export type Table = {
  name: string;
  key: { name: string; scalar: "text" | "integer" };
  /** Every column, the key included, in declaration order (what `SELECT *` shows). */
  columns: readonly string[];
  /** The non-key columns by name. */
  fields: ReadonlyMap<string, Column>;
  deletes: DeletePolicy;
  /**
   * The CRDT of the hidden `_row` field (rows.ts): an "ew-flag" for an add-wins table, an
   * "mv-register" for a remove-wins one — and for an add-wins table whose store was made before
   * the flag (its stored spec says so: {@link SqlSchema.over}).
   */
  row: RowCrdt;
};

/** What a table's `_row` field is stored as. */
export type RowCrdt = "mv-register" | "ew-flag";

/** The `_row` CRDT a new table of this policy gets. */
export const rowCrdtOf = (deletes: DeletePolicy): RowCrdt => (deletes === "add-wins" ? "ew-flag" : "mv-register");

/** The hidden per-row field that says whether the row exists (rows.ts). */
export const ROW_FIELD = "_row";

const SCALARS: Record<string, Scalar> = {
  text: "text",
  varchar: "text",
  "character varying": "text",
  integer: "integer",
  int: "integer",
  int4: "integer",
  int8: "integer",
  bigint: "integer",
  real: "real",
  float: "real",
  numeric: "real",
  "double precision": "real",
  boolean: "boolean",
  bool: "boolean",
};

const TYPES_HELP = "plain types (TEXT, INTEGER, REAL, BOOLEAN), MV <type>, COUNTER, SET OF <type>, RGA TEXT, LSEQ TEXT";

function columnType(table: string, name: string, dt: DataTypeDef): Omit<Column, "name"> {
  const where = `CREATE TABLE ${table}: column ${name}`;
  if (dt.kind === "array") throw new SqlError("refused", `${where}: array types are not supported; use SET OF <type> (an OR-set)`);
  const raw = dt.name.toLowerCase().replace(/_/g, " ");
  const upper = raw.toUpperCase();
  const plain = SCALARS[raw];
  if (plain) return { kind: "lww", scalar: plain, crdt: "lww-register", sqlType: upper };
  if (raw === "counter") return { kind: "counter", scalar: "integer", crdt: "pn-counter", sqlType: "COUNTER" };
  const m = /^(mv|set of|rga|lseq) (.+)$/.exec(raw);
  const inner = m ? SCALARS[m[2]!] : undefined;
  if (m && inner) {
    const kind = m[1]!;
    if (kind === "mv") return { kind: "mv", scalar: inner, crdt: "mv-register", sqlType: upper };
    if (kind === "set of") return { kind: "set", scalar: inner, crdt: "or-set", sqlType: upper };
    if (inner !== "text") throw new SqlError("type", `${where}: ${upper} is not a type; a sequence holds text: ${kind.toUpperCase()} TEXT`);
    return { kind: "text", scalar: "text", crdt: kind, sqlType: upper };
  }
  throw new SqlError("type", `${where}: unknown type ${upper} (the types: ${TYPES_HELP})`);
}

const REFUSED_CONSTRAINT: Record<string, string> = {
  "not null": "NOT NULL is not enforced by CRDT fields (a concurrent write cannot be refused); drop it",
  null: "drop NULL (every column may hold NULL)",
  unique: "UNIQUE needs coordination across replicas; use the PRIMARY KEY (the row's identity) or NEXTVAL for unique numbers",
  default: "DEFAULT is not supported; give the value in the INSERT",
  check: "CHECK cannot hold under concurrent writes; validate in the application",
  reference: "REFERENCES (foreign keys) cannot hold under concurrent deletes; join on equality instead",
  "add generated": "generated columns are not supported; use NEXTVAL('name') in the INSERT for serial numbers",
};

function tableOf(st: CreateTableStatement, policy: DeletePolicyClause | undefined): Table {
  const name = st.name.name;
  if (st.name.schema) throw new SqlError("refused", `CREATE TABLE ${st.name.schema}.${name}: schemas are not supported; name the table alone`);
  if (st.inherits?.length) throw new SqlError("refused", `CREATE TABLE ${name}: INHERITS is not supported`);
  const fields = new Map<string, Column>();
  const columns: string[] = [];
  let key: Table["key"] | undefined;
  const keyNames: string[] = [];
  for (const c of st.columns) {
    if (c.kind !== "column") throw new SqlError("refused", `CREATE TABLE ${name}: LIKE is not supported; list the columns`);
    const col = c.name.name;
    if (columns.includes(col)) throw new SqlError("refused", `CREATE TABLE ${name}: column ${col} is declared twice`);
    if (col.startsWith("_")) throw new SqlError("refused", `CREATE TABLE ${name}: column ${col}: names starting with "_" are reserved (the hidden ${ROW_FIELD} field)`);
    columns.push(col);
    for (const k of c.constraints ?? []) {
      if (k.type === "primary key") keyNames.push(col);
      else throw new SqlError("refused", `CREATE TABLE ${name}: column ${col}: ${REFUSED_CONSTRAINT[k.type] ?? `the ${k.type.toUpperCase()} constraint is not supported`}`);
    }
    if (c.collate) throw new SqlError("refused", `CREATE TABLE ${name}: column ${col}: COLLATE is not supported`);
    fields.set(col, { name: col, ...columnType(name, col, c.dataType) });
  }
  for (const k of st.constraints ?? []) {
    if (k.type === "primary key") keyNames.push(...k.columns.map((x) => x.name));
    else throw new SqlError("refused", `CREATE TABLE ${name}: ${REFUSED_CONSTRAINT[k.type] ?? `the ${k.type.toUpperCase()} constraint is not supported`}`);
  }
  if (keyNames.length !== 1)
    throw new SqlError(
      "refused",
      keyNames.length === 0
        ? `CREATE TABLE ${name}: a table needs one PRIMARY KEY column (each row is a store object keyed by it), e.g. id TEXT PRIMARY KEY`
        : `CREATE TABLE ${name}: composite primary keys (${keyNames.join(", ")}) are not supported; use one TEXT key, e.g. the parts joined`,
    );
  const keyCol = fields.get(keyNames[0]!);
  if (!keyCol) throw new SqlError("unknown", `CREATE TABLE ${name}: PRIMARY KEY (${keyNames[0]}) names no column (the columns: ${columns.join(", ")})`);
  if (keyCol.kind !== "lww" || (keyCol.scalar !== "text" && keyCol.scalar !== "integer"))
    throw new SqlError("type", `CREATE TABLE ${name}: the primary key ${keyCol.name} must be TEXT or INTEGER, not ${keyCol.sqlType}`);
  key = { name: keyCol.name, scalar: keyCol.scalar };
  fields.delete(keyCol.name);
  if (fields.size === 0) throw new SqlError("refused", `CREATE TABLE ${name}: a table needs at least one column besides its primary key`);
  const deletes = policyOf(name, policy);
  return { name, key, columns, fields, deletes, row: rowCrdtOf(deletes) };
}

function policyOf(table: string, clause: DeletePolicyClause | undefined): DeletePolicy {
  if (!clause) return "add-wins";
  const m = /^\s*deletes\s*=\s*'(add-wins|remove-wins)'\s*$/i.exec(clause.policy);
  if (!m) throw new SqlError("refused", `CREATE TABLE ${table}: ${clause.text}: the one table option is WITH (deletes = 'add-wins') or WITH (deletes = 'remove-wins')`);
  return m[1]!.toLowerCase() as DeletePolicy;
}

/** The schema of a database: its tables, and the store type that holds them. */
export class SqlSchema {
  readonly tables: ReadonlyMap<string, Table>;

  constructor(tables: readonly Table[]) {
    const map = new Map<string, Table>();
    for (const t of tables) {
      if (map.has(t.name)) throw new SqlError("refused", `CREATE TABLE ${t.name}: the table is declared twice`);
      map.set(t.name, t);
    }
    if (map.size === 0) throw new SqlError("refused", "a schema needs at least one CREATE TABLE statement");
    this.tables = map;
  }

  /** Parses CREATE TABLE statements (one string holding several, or a list of them). */
  static parse(sql: string | readonly string[]): SqlSchema {
    const texts = typeof sql === "string" ? [sql] : sql;
    const tables: Table[] = [];
    for (const text of texts) {
      const { statements, policies } = parseSql(text);
      tables.push(...statements.map((st, i) => createTable(st, policies, statements[i + 1])));
    }
    return new SqlSchema(tables);
  }

  table(name: string): Table {
    const t = this.tables.get(name);
    if (!t) throw new SqlError("unknown", `unknown table ${name} (the tables: ${[...this.tables.keys()].join(", ")})`);
    return t;
  }

  /**
   * The schema as canonical SQL: one CREATE TABLE per table, sorted by name, names quoted, the
   * delete policy spelled out. Two texts that declare the same tables give the same string
   * (whatever their layout, comments or the order of the tables), and it parses back to this
   * schema: a node stores it and compares a restart's `--schema` with it.
   */
  toSql(): string {
    const tables = [...this.tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return tables.map(createTableSql).join("\n");
  }

  /**
   * These tables over a store that exists already: each table's `_row` CRDT is the one the
   * store's spec gives it (`collections`: a store spec's, as a node directory or a scenario keeps
   * it). A store made before the enable-wins flag keeps an add-wins table's `_row` in an
   * MV-register; its rows are read and written that way, never reset. A collection the spec
   * lacks, or a `_row` of another type, leaves the table as parsed (opening that store is
   * refused elsewhere, by the spec's comparison).
   */
  over(collections: Readonly<Record<string, unknown>>): SqlSchema {
    let changed = false;
    const tables = [...this.tables.values()].map((t) => {
      const c = Object.prototype.hasOwnProperty.call(collections, t.name) ? collections[t.name] : undefined;
      const fields = c !== null && typeof c === "object" ? (c as { fields?: unknown }).fields : undefined;
      const spec =
        fields !== null && typeof fields === "object" && Object.prototype.hasOwnProperty.call(fields, ROW_FIELD) ? (fields as Record<string, unknown>)[ROW_FIELD] : undefined;
      const row = typeof spec === "object" && spec !== null ? (spec as { type?: unknown }).type : spec;
      // Only the old add-wins form is taken: a remove-wins table's `_row` is an MV-register in both.
      if (row !== "mv-register" || t.row === row || t.deletes !== "add-wins") return t;
      changed = true;
      return { ...t, row: row as RowCrdt };
    });
    return changed ? new SqlSchema(tables) : this;
  }

  /** The store type spec the tables live in: `resolveBuiltin(schema.storeSpec())`. */
  storeSpec(): { type: "store"; collections: Record<string, { type: "record"; fields: Record<string, string> }> } {
    const collections: Record<string, { type: "record"; fields: Record<string, string> }> = {};
    for (const t of this.tables.values()) {
      const fields: Record<string, string> = { [ROW_FIELD]: t.row };
      for (const c of t.fields.values()) fields[c.name] = c.crdt;
      collections[t.name] = { type: "record", fields };
    }
    return { type: "store", collections };
  }
}

function createTable(st: Statement, policies: readonly DeletePolicyClause[], next: Statement | undefined): Table {
  if (st.type !== "create table") throw new SqlError("refused", `a schema holds CREATE TABLE statements only, got ${st.type.toUpperCase()}`);
  // A WITH clause belongs to the CREATE TABLE it follows: after this statement's start, before the next one's.
  const from = st._location?.start ?? 0;
  const to = next?._location?.start ?? Infinity;
  return tableOf(
    st,
    policies.find((p) => p.at >= from && p.at < to),
  );
}

// pgsql-ast-parser keeps a quoted name as written between its quotes (a doubled quote stays doubled), so quoting it again gives it back.
const quoteName = (name: string) => `"${name}"`;

function createTableSql(t: Table): string {
  const columns = t.columns.map((c) => {
    const field = t.fields.get(c);
    return `${quoteName(c)} ${field ? field.sqlType : `${t.key.scalar.toUpperCase()} PRIMARY KEY`}`;
  });
  return `CREATE TABLE ${quoteName(t.name)} (${columns.join(", ")}) WITH (deletes = '${t.deletes}');`;
}

/** A column's description for messages: `phone (MV TEXT, an mv-register)`. */
export function describeColumn(c: Column): string {
  return `${c.name} (${c.sqlType}, ${c.crdt === "pn-counter" ? "a" : "an"} ${c.crdt})`;
}
