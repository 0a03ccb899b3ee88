/**
 * `createSqlReadModel(db, schema, store)`: the current values of a node's SQL tables as plain
 * SQLite tables in the node's own database (store-tables.ts), and SELECTs answered by SQLite
 * over them (translate.ts) with the in-memory engine's exact columns, rows and order.
 *
 * A statement runs in memory instead (over `store`, sql/select.ts) when the translation cannot
 * promise the same answer: a construct translate.ts refuses, parameters whose values it cannot
 * bind faithfully, a key lookup or LIMIT the in-memory engine would reject, or a model holding a
 * value SQLite cannot order as JavaScript does (encode.ts). Errors are the in-memory engine's:
 * every statement is compiled by it first.
 */
import type Database from "better-sqlite3";
import type { Expr, SelectFromStatement } from "pgsql-ast-parser";
import { compile, type Env, idOf, parseSql, show } from "../../sql/engine.ts";
import { type Row, type SelectResult, SqlDatabase, SqlError, type SqlSchema, type SqlStore, type Value } from "../../sql/index.ts";
import { bind, type Bound, regularText } from "./encode.ts";
import { registerFunctions } from "./functions.ts";
import { ReadModelTables } from "./store-tables.ts";
import { Fallback, type ParamType } from "./translate-expr.ts";
import { type SelectSql, translateSelect } from "./translate.ts";

/** How a statement was answered: by SQLite (with its SQL), or in memory (with the reason). */
export type SqlReadPlan = { engine: "sqlite"; sql: string } | { engine: "memory"; reason: string };

export interface SqlReadModel {
  /** Runs one SELECT; throws SqlError exactly where the in-memory engine would. */
  select(text: string, params?: readonly unknown[]): SelectResult;
  /** How `select(text, params)` would run (for tests and for explaining a slow query). */
  plan(text: string, params?: readonly unknown[]): SqlReadPlan;
  /** Brings one row in step with its record's new value; call inside the write's transaction. */
  apply(collection: string, id: string, record: unknown): void;
  /** Rebuilds every table from the store (in the caller's transaction, or in one of its own). */
  rebuild(): void;
  /** Whether every row is held exactly (else every SELECT runs in memory). */
  readonly exact: boolean;
}

type Prepared = { select: SelectSql; statement: Database.Statement } | { fallback: string };

const CACHE_SIZE = 512;

function paramType(v: unknown): ParamType | undefined {
  if (v === null) return "null";
  if (typeof v === "string") return regularText(v) ? "text" : undefined;
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0)) return Number.isInteger(v) ? "int" : "real";
  return undefined;
}

/** A non-negative integer for LIMIT / OFFSET as select.ts computes it, or Fallback where it would throw. */
function countOf(e: Expr | null, env: Env): number | null {
  if (!e) return null;
  let v: Value;
  try {
    v = compile(e, { sources: [], what: "LIMIT" }).fn([], env);
  } catch {
    throw new Fallback("LIMIT / OFFSET the in-memory engine rejects");
  }
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new Fallback(`LIMIT / OFFSET ${show(v)}`);
  return v;
}

const decode = (type: string, v: unknown): Value => {
  if (v === null) return null;
  if (type === "bool") return v !== 0;
  if (type === "mv" || type === "set") return JSON.parse(v as string) as Value;
  return v as Value;
};

export function createSqlReadModel(db: Database.Database, schema: SqlSchema, store: SqlStore): SqlReadModel {
  registerFunctions(db);
  const tables = new ReadModelTables(db, schema);
  const memory = new SqlDatabase(schema, store);
  const cache = new Map<string, Prepared>();
  const rebuild = () => (db.inTransaction ? tables.rebuild(store) : db.transaction(() => tables.rebuild(store))());
  if (!tables.current()) rebuild();

  /** The statement's AST, after the in-memory engine compiled it (so its errors are the ones thrown). */
  const statementOf = (text: string): SelectFromStatement => {
    const plan = memory.prepare(text);
    if (plan.kind !== "select") throw new SqlError("refused", "the read model answers SELECTs; a write goes through the store (SqlDatabase.sql)");
    const st = parseSql(text).statements[0]!;
    if (st.type !== "select") throw new SqlError("refused", "a SELECT");
    return st;
  };

  const prepare = (text: string, types: readonly ParamType[], key: string): Prepared => {
    const hit = cache.get(key);
    if (hit) return hit;
    let p: Prepared;
    try {
      const select = translateSelect(statementOf(text), schema, tables.layout, types);
      p = { select, statement: db.prepare(select.sql).raw(true) };
    } catch (e) {
      if (!(e instanceof Fallback)) throw e;
      p = { fallback: e.message };
    }
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, p);
    return p;
  };

  /** The SQL and its bound values for one call, or the reason it runs in memory. */
  const resolve = (text: string, params: readonly unknown[]): { p: Extract<Prepared, { select: SelectSql }>; bound: Record<string, Bound> } | { fallback: string } => {
    if (!Array.isArray(params)) return { fallback: "parameters that are not an array" };
    if (memory.prepare(text).kind !== "select") return { fallback: "a write" };
    if (!tables.exact) return { fallback: "the tables hold a value SQLite cannot order as the in-memory engine does" };
    const types = params.map(paramType);
    if (types.some((t) => t === undefined)) return { fallback: "a parameter SQLite cannot hold exactly (not a finite number, text, boolean or NULL; or text above U+FFFF)" };
    const p = prepare(text, types as ParamType[], `${types.join(",")}|${text}`);
    if ("fallback" in p) return p;
    const env: Env = { params };
    try {
      const { select } = p;
      if (select.divisors.some((n) => params[n - 1] === 0)) return { fallback: "a divisor parameter of 0" };
      // select.ts reads the one row of a WHERE that fixes the key, and rejects a key of the wrong type there.
      if (select.lookup) idOf(select.lookup.table.table, compile(select.lookup.value, { sources: [], what: "WHERE" }).fn([], env));
      const bound: Record<string, Bound> = { limit: BigInt(countOf(select.limit, env) ?? -1), offset: BigInt(countOf(select.offset, env) ?? 0) };
      for (const [i, a] of select.args.entries()) bound[`a${i + 1}`] = bind("param" in a ? (params[a.param - 1] as Value) : a.value);
      return { p, bound };
    } catch (e) {
      if (e instanceof Fallback) return { fallback: e.message };
      if (e instanceof SqlError) return { fallback: `the in-memory engine rejects this call (${e.message})` };
      throw e;
    }
  };

  return {
    select(text, params = []) {
      const r = resolve(text, params);
      if ("fallback" in r) {
        const out = memory.sql(text, params);
        if (out.kind !== "rows") throw new SqlError("refused", "the read model answers SELECTs");
        return { columns: out.columns, rows: out.rows };
      }
      const { columns } = r.p.select;
      const raw = r.p.statement.all(r.bound) as unknown[][];
      const rows = raw.map((values): Row => Object.fromEntries(columns.map((c, i) => [c.name, decode(c.type, values[i])])));
      return { columns: columns.map((c) => c.name), rows };
    },
    plan(text, params = []) {
      const r = resolve(text, params);
      return "fallback" in r ? { engine: "memory", reason: r.fallback } : { engine: "sqlite", sql: r.p.select.sql };
    },
    apply: (collection, id, record) => tables.apply(collection, id, record),
    rebuild,
    get exact() {
      return tables.exact;
    },
  };
}
