/**
 * A SELECT of the subset → one SQLite SELECT over the read-model tables that gives the same
 * columns and the same rows in the same order as the in-memory engine (sql/select.ts):
 *
 * - Order. In memory, rows come in "frame order" (the first table's key order, then each joined
 *   table's, lexicographically), a stable sort keeps that order among ties, groups come in the
 *   order of their first row and DISTINCT keeps each value's first row. So the SQL ends with the
 *   ORDER BY the statement asks for, NULLs placed as in memory (last ascending, first
 *   descending), then the frame order: the keys, or for groups the smallest frame position in
 *   the group — MIN(key) over one table, a row_number() over the joined keys for a join.
 * - DISTINCT is a GROUP BY of the result columns (that is how it keeps first rows).
 * - LIMIT / OFFSET are computed as in memory and bound.
 *
 * Falls back (Fallback: the statement runs in memory) where SQL cannot say the same thing:
 * DISTINCT with grouping, DISTINCT ordered by something not in the result, HAVING / ON / WHERE
 * conditions that are not booleans, and every expression translate-expr.ts refuses.
 */
import type { Expr, SelectFromStatement } from "pgsql-ast-parser";
import { hasAggregate, nameOf } from "../../sql/engine.ts";
import type { SqlSchema } from "../../sql/index.ts";
import { keyLookup, sourcesOf } from "../../sql/engine.ts";
import { quote, type TableLayout } from "./layout.ts";
import { type Arg, type ExprContext, Fallback, type ParamType, type SqlType, translate, type Tx } from "./translate-expr.ts";

export type SelectSql = {
  sql: string;
  args: Arg[];
  /** The result columns' names and types (booleans and arrays are decoded from SQLite's 0/1 and JSON text). */
  columns: { name: string; type: SqlType }[];
  /** The key this statement reads alone, as the in-memory engine does (its value is checked before running). */
  lookup: { table: TableLayout; value: Expr } | null;
  /** LIMIT and OFFSET, computed per call as select.ts computes them. */
  limit: Expr | null;
  offset: Expr | null;
  /** Parameters that divide: a call with one of them 0 runs in memory. */
  divisors: number[];
};

const shape = (e: unknown): string => JSON.stringify(e, (k, v) => (k === "_location" ? undefined : v));

const condition = (t: Tx, what: string): string => {
  if (t.type !== "bool" && t.type !== "null") throw new Fallback(`${what}: a condition that is not a boolean`);
  return t.sql;
};

export function translateSelect(st: SelectFromStatement, schema: SqlSchema, layout: ReadonlyMap<string, TableLayout>, params: readonly ParamType[]): SelectSql {
  const { sources, joins } = sourcesOf(st.from, schema);
  const layouts = sources.map((s) => layout.get(s.table.name)!);
  const args: Arg[] = [];
  // select.ts reads the one row of a WHERE that fixes the key (and rejects a key of the wrong type there).
  const lookupValue = keyLookup(sources, st.where);
  const direct = (s: number, c: { sql: string; count?: string }, count: boolean) => `"_s${s}".${quote(count ? c.count! : c.sql)}`;
  const base: ExprContext = { sources, layouts, params, args, ref: direct, grouped: false, divisors: [] };

  // FROM, JOIN … ON, WHERE: always over the tables themselves.
  const from = sources
    .map((s, i) => {
      const t = `${quote(layouts[i]!.sql)} AS "_s${i}"`;
      if (i === 0) return t;
      const on = joins[i];
      return on ? `JOIN ${t} ON ${condition(translate(on, base), "JOIN … ON")}` : `CROSS JOIN ${t}`;
    })
    .join(" ");
  const where = st.where ? ` WHERE ${condition(translate(st.where, base), "WHERE")}` : "";
  const frameKeys = layouts.map((t, i) => direct(i, t.key, false));

  // The result columns, * expanded, named as select.ts names them.
  const exprs: { expr: Expr; name: string }[] = [];
  for (const c of st.columns ?? []) {
    if (c.expr.type === "ref" && c.expr.name === "*") {
      const t = c.expr.table?.name;
      for (const s of t === undefined ? sources : sources.filter((x) => x.alias === t))
        for (const col of s.table.columns) exprs.push({ expr: { type: "ref", name: col, table: { name: s.alias } }, name: col });
    } else exprs.push({ expr: c.expr, name: c.alias?.name ?? nameOf(c.expr) });
  }
  const aliasExpr = (e: Expr): Expr => {
    if (e.type === "integer") return exprs[e.value - 1]!.expr;
    if (e.type === "ref" && !e.table) {
      const item = exprs.find((x) => x.name === e.name);
      if (item && !sources.some((s) => s.table.columns.includes(e.name))) return item.expr;
    }
    return e;
  };
  const groupBy = (st.groupBy ?? []).map(aliasExpr);
  const grouped = groupBy.length > 0 || exprs.some((x) => hasAggregate(x.expr)) || !!st.having;
  const distinct = st.distinct === "distinct";
  if (distinct && grouped) throw new Fallback("DISTINCT with GROUP BY or aggregates");
  const orderBy = (st.orderBy ?? []).map((o) => ({ expr: aliasExpr(o.by), desc: o.order === "DESC", nullsFirst: o.nulls ? o.nulls === "FIRST" : o.order === "DESC" }));
  if (distinct && orderBy.some((o) => !exprs.some((x) => shape(x.expr) === shape(o.expr)))) throw new Fallback("DISTINCT ordered by something not in the result");

  // Groups (and DISTINCT's groups) over a join are ordered by their first frame: a row_number()
  // over the joined keys, computed below the grouping in a subquery whose columns stand for the tables'.
  const collapses = (grouped && groupBy.length > 0) || distinct;
  const wrapped = collapses && sources.length > 1;
  const inner: string[] = [];
  const outerRef = (s: number, c: { sql: string; count?: string }, count: boolean): string => {
    const alias = `_s${s}_${layouts[s]!.columns.findIndex((x) => x.sql === c.sql)}${count ? "n" : ""}`;
    if (!inner.some((x) => x.endsWith(` AS ${quote(alias)}`))) inner.push(`${direct(s, c, count)} AS ${quote(alias)}`);
    return `"_f".${quote(alias)}`;
  };
  const ctx: ExprContext = { ...base, ref: wrapped ? outerRef : direct, grouped };

  const outs = exprs.map((x) => ({ name: x.name, tx: translate(x.expr, ctx) }));
  const keys = distinct ? outs.map((o) => o.tx.sql) : groupBy.map((g) => translate(g, { ...ctx, grouped: false }).sql);
  const having = st.having ? ` HAVING ${condition(translate(st.having, ctx), "HAVING")}` : "";
  const order = orderBy.map((o) => `${translate(o.expr, ctx).sql} ${o.desc ? "DESC" : "ASC"} NULLS ${o.nullsFirst ? "FIRST" : "LAST"}`);
  if (collapses) order.push(wrapped ? 'min("_f"."_pos")' : `min(${frameKeys[0]})`);
  else if (!grouped) order.push(...frameKeys);

  const body = wrapped
    ? `FROM (SELECT row_number() OVER (ORDER BY ${frameKeys.join(", ")}) AS "_pos"${inner.map((x) => `, ${x}`).join("")} FROM ${from}${where}) AS "_f"`
    : `FROM ${from}${where}`;
  const sql =
    `SELECT ${outs.map((o) => o.tx.sql).join(", ")} ${body}` +
    (keys.length > 0 ? ` GROUP BY ${keys.join(", ")}` : "") +
    having +
    (order.length > 0 ? ` ORDER BY ${order.join(", ")}` : "") +
    " LIMIT @limit OFFSET @offset";
  return {
    sql,
    args,
    columns: outs.map((o) => ({ name: o.name, type: o.tx.type })),
    lookup: lookupValue ? { table: layouts[0]!, value: lookupValue } : null,
    limit: st.limit?.limit ?? null,
    offset: st.limit?.offset ?? null,
    divisors: base.divisors,
  };
}
