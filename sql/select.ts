/**
 * SELECT: FROM one table or inner joins on equality (hash joins), WHERE, GROUP BY with COUNT /
 * SUM / MIN / MAX / AVG and HAVING, DISTINCT, ORDER BY, LIMIT / OFFSET. Reads go through the
 * SqlStore's `ids` and `object`; a WHERE that fixes the primary key (`id = $1`) reads that one
 * object instead of scanning. Rows come in primary-key order unless ORDER BY says otherwise.
 */
import type { Expr, From, SelectFromStatement } from "pgsql-ast-parser";
import { SqlError } from "./errors.ts";
import { type Compiled, compareValues, compile, type Env, type Fn, type Frame, hasAggregate, isAggregate, nameOf, resolveRef, type Source } from "./expr.ts";
import { idOf, rowOf, scan, type SqlStore, type Value, show } from "./rows.ts";
import type { SqlSchema } from "./schema.ts";

export type Row = Record<string, Value>;
export type SelectResult = { columns: string[]; rows: Row[] };
export type SelectPlan = (store: SqlStore, env: Env) => SelectResult;

/** An expression's AST without source positions: two spellings of one expression compare equal. */
const shape = (e: unknown): string => JSON.stringify(e, (k, v) => (k === "_location" ? undefined : v));

/** The sources of FROM, and how to produce the joined frames. */
export function sourcesOf(from: readonly From[] | null | undefined, schema: SqlSchema): { sources: Source[]; joins: (Expr | null)[] } {
  if (!from || from.length === 0) throw new SqlError("refused", "SELECT needs FROM a table (there are no table-less SELECTs)");
  const sources: Source[] = [];
  const joins: (Expr | null)[] = [];
  for (const f of from) {
    if (f.type !== "table") throw new SqlError("refused", `FROM ${f.type === "statement" ? "(SELECT …)" : "a function"} is not supported; FROM takes tables, joined on equality`);
    if (f.name.schema) throw new SqlError("refused", `FROM ${f.name.schema}.${f.name.name}: schemas are not supported`);
    const table = schema.table(f.name.name);
    const alias = f.name.alias ?? f.name.name;
    if (sources.some((s) => s.alias === alias)) throw new SqlError("refused", `FROM: ${alias} appears twice; give one an alias (FROM t a JOIN t b ON …)`);
    if (f.lateral) throw new SqlError("refused", "LATERAL is not supported");
    let on: Expr | null = null;
    if (f.join) {
      if (f.join.type !== "INNER JOIN" && f.join.type !== "CROSS JOIN")
        throw new SqlError("refused", `${f.join.type} is not supported: joins are inner joins on equality (JOIN orders o ON o.customer = c.id)`);
      if (f.join.using) throw new SqlError("refused", "JOIN … USING is not supported; write JOIN … ON a.x = b.x");
      on = f.join.on ?? null;
    }
    sources.push({ alias, table });
    joins.push(on);
  }
  return { sources, joins };
}

/** The source indexes an expression refers to. */
function refsOf(e: unknown, sources: readonly Source[], out = new Set<number>()): Set<number> {
  if (e === null || typeof e !== "object") return out;
  const x = e as Expr;
  if (x.type === "ref" && x.name !== "*") out.add(resolveRef(sources, x.name, x.table?.name).s);
  else for (const v of Object.values(x)) refsOf(v, sources, out);
  return out;
}

const conjuncts = (e: Expr | null | undefined): Expr[] => (!e ? [] : e.type === "binary" && e.op === "AND" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]);

/** The value a WHERE fixes the primary key of a single table to (`id = $1`, `'A' = id`): that one object is read instead of a scan. */
export function keyLookup(sources: readonly Source[], where: Expr | null | undefined): Expr | null {
  const first = sources[0];
  if (sources.length !== 1 || !first) return null;
  for (const c of conjuncts(where)) {
    if (c.type !== "binary" || c.op !== "=") continue;
    for (const [k, v] of [
      [c.left, c.right],
      [c.right, c.left],
    ] as const) {
      if (
        k.type === "ref" &&
        k.name === first.table.key.name &&
        (!k.table || k.table.name === first.alias) &&
        (v.type === "parameter" || v.type === "string" || v.type === "integer")
      )
        return v;
    }
  }
  return null;
}

/** Produces the frames of FROM … JOIN … ON, filtered by the ON conditions (hash joins on their equalities). */
function framesPlan(sources: Source[], joins: (Expr | null)[], where: Expr | null | undefined, what: string, needed?: readonly string[]): (store: SqlStore, env: Env) => Frame[] {
  const first = sources[0]!;
  // A WHERE that fixes the primary key of a single table reads one object.
  const key = keyLookup(sources, where);
  const lookup: Fn | null = key ? compile(key, { sources, what }).fn : null;
  const steps = sources.slice(1).map((src, k) => {
    const index = k + 1;
    const prior = sources.slice(0, index + 1);
    const eqs: [Fn, Fn][] = [];
    const rest: Fn[] = [];
    for (const c of conjuncts(joins[index])) {
      const sides = c.type === "binary" && c.op === "=" ? [refsOf(c.left, prior), refsOf(c.right, prior)] : null;
      if (c.type === "binary" && sides && sides[0]!.size > 0 && sides[1]!.size > 0) {
        const newLeft = [...sides[0]!].every((s) => s === index) && !sides[1]!.has(index);
        const newRight = [...sides[1]!].every((s) => s === index) && !sides[0]!.has(index);
        if (newLeft || newRight) {
          const outer = compile(newLeft ? c.right : c.left, { sources: prior, what: "JOIN … ON" }).fn;
          const inner = compile(newLeft ? c.left : c.right, { sources: prior, what: "JOIN … ON" }).fn;
          eqs.push([outer, inner]);
          continue;
        }
      }
      rest.push(compile(c, { sources: prior, what: "JOIN … ON" }).fn);
    }
    if (joins[index] && eqs.length === 0)
      throw new SqlError("refused", `JOIN ${src.alias} ON …: joins are on equality between the joined tables (ON ${src.alias}.x = ${sources[0]!.alias}.y)`);
    return { src, eqs, rest, at: index };
  });
  return (store, env) => {
    let frames: Frame[];
    if (lookup) {
      const id = idOf(first.table, lookup([], env));
      // A write that reads few columns asks the store for those fields only (and the row's existence).
      const record = needed && store.objectFields ? store.objectFields(first.table.name, id, needed) : store.object(first.table.name, id);
      const row = rowOf(first.table, id, record);
      frames = row ? [[row]] : [];
    } else frames = scan(store, first.table).map(([, row]) => [row]);
    for (const { src, eqs, rest, at } of steps) {
      const rows = scan(store, src.table).map(([, row]) => row);
      const next: Frame[] = [];
      if (eqs.length > 0) {
        const index = new Map<string, Value[][]>();
        for (const row of rows) {
          // The inner side reads only the joined table's row, at its place in the frame.
          const probe: Value[][] = [];
          probe[at] = row;
          const key = eqs.map(([, inner]) => inner(probe, env));
          if (key.includes(null)) continue;
          const k = JSON.stringify(key);
          const list = index.get(k);
          if (list) list.push(row);
          else index.set(k, [row]);
        }
        for (const f of frames) {
          const key = eqs.map(([outer]) => outer(f, env));
          if (key.includes(null)) continue;
          for (const row of index.get(JSON.stringify(key)) ?? []) next.push([...f, row]);
        }
      } else for (const f of frames) for (const row of rows) next.push([...f, row]);
      frames = next.filter((f) => rest.every((fn) => fn(f, env) === true));
    }
    return frames;
  };
}

/**
 * Compiles the rows a statement works on: FROM, joins, WHERE. Used by UPDATE and DELETE too,
 * which name the columns they read (`needed`): a row found by its key then holds only those
 * (the others are NULL, and nothing reads them).
 */
export function planRows(sources: Source[], joins: (Expr | null)[], where: Expr | null | undefined, needed?: readonly string[]): (store: SqlStore, env: Env) => Frame[] {
  const frames = framesPlan(sources, joins, where, "WHERE", needed);
  if (where && hasAggregate(where)) throw new SqlError("refused", "WHERE: aggregates are not allowed in WHERE; use HAVING after GROUP BY");
  const filter = where ? compile(where, { sources, what: "WHERE" }).fn : null;
  return (store, env) => {
    const all = frames(store, env);
    if (!filter) return all;
    return all.filter((f) => {
      const v = filter(f, env);
      if (v !== null && typeof v !== "boolean") throw new SqlError("type", `WHERE: expected a boolean condition, got ${show(v)}`);
      return v === true;
    });
  };
}

function aggregate(e: Extract<Expr, { type: "call" }>, sources: Source[]): Compiled {
  const fname = e.function.name.toLowerCase();
  const what = `${fname.toUpperCase()}(…)`;
  if (e.filter || e.over || e.orderBy) throw new SqlError("refused", `${what}: FILTER, OVER and ORDER BY in aggregates are not supported`);
  const star = e.args.length === 1 && e.args[0]!.type === "ref" && e.args[0]!.name === "*";
  if (star && fname !== "count") throw new SqlError("refused", `${fname.toUpperCase()}(*) is not a thing; only COUNT(*)`);
  if (star) return { fn: (g) => (g as unknown as Frame[]).length, name: "count" };
  if (e.args.length !== 1) throw new SqlError("refused", `${what} takes one argument`);
  if (hasAggregate(e.args[0])) throw new SqlError("refused", `${what}: aggregates cannot be nested`);
  const x = compile(e.args[0]!, { sources, what });
  const distinct = e.distinct === "distinct";
  const fn: Fn = (g, env) => {
    let values = (g as unknown as Frame[]).map((f) => x.fn(f, env)).filter((v) => v !== null);
    if (distinct) values = [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];
    if (fname === "count") return values.length;
    if (values.length === 0) return null;
    if (fname === "min" || fname === "max") return values.reduce((a, b) => (compareValues(a, b, what) <= 0 === (fname === "min") ? a : b));
    let sum = 0;
    for (const v of values) {
      if (typeof v !== "number") throw new SqlError("type", `${what}: adds numbers, got ${show(v)}${x.column ? ` (${x.column.name} is ${x.column.sqlType})` : ""}`);
      sum += v;
    }
    return fname === "sum" ? sum : sum / values.length;
  };
  return { fn, name: fname };
}

export function planSelect(st: SelectFromStatement, schema: SqlSchema): SelectPlan {
  if (st.for || st.skip) throw new SqlError("refused", "SELECT … FOR UPDATE/SHARE is not supported: there are no locks (writes merge)");
  if (Array.isArray(st.distinct)) throw new SqlError("refused", "DISTINCT ON is not supported; use DISTINCT or GROUP BY");
  const { sources, joins } = sourcesOf(st.from, schema);
  const rowsOf = planRows(sources, joins, st.where);
  const items = st.columns ?? [];
  // Expand * and t.* into the columns, in declaration order.
  const exprs: { expr: Expr; name: string }[] = [];
  for (const c of items) {
    if (c.expr.type === "ref" && c.expr.name === "*") {
      const t = c.expr.table?.name;
      const picked = t === undefined ? sources : sources.filter((s) => s.alias === t);
      if (picked.length === 0) throw new SqlError("unknown", `unknown table ${t} in ${t}.* (the statement's tables: ${sources.map((s) => s.alias).join(", ")})`);
      for (const s of picked) for (const col of s.table.columns) exprs.push({ expr: { type: "ref", name: col, table: { name: s.alias } }, name: col });
    } else exprs.push({ expr: c.expr, name: c.alias?.name ?? nameOf(c.expr) });
  }
  const names = exprs.map((x) => x.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new SqlError("refused", `two result columns are named ${dup}: give one an alias (… AS ${dup}2) or list the columns`);

  const aliasExpr = (e: Expr): Expr => {
    if (e.type === "integer") {
      const item = exprs[e.value - 1];
      if (!item) throw new SqlError("refused", `position ${e.value} is not in the SELECT list (1 to ${exprs.length})`);
      return item.expr;
    }
    if (e.type === "ref" && !e.table) {
      const item = exprs.find((x) => x.name === e.name);
      const isColumn = sources.some((s) => s.table.columns.includes(e.name));
      if (item && !isColumn) return item.expr;
    }
    return e;
  };
  const groupBy = (st.groupBy ?? []).map(aliasExpr);
  const grouped = groupBy.length > 0 || exprs.some((x) => hasAggregate(x.expr)) || !!st.having;
  const keyFns = groupBy.map((g) => {
    if (hasAggregate(g)) throw new SqlError("refused", "GROUP BY: aggregates cannot be grouped by");
    return compile(g, { sources, what: "GROUP BY" }).fn;
  });
  const keyShapes = groupBy.map(shape);
  const groupedCompile = (e: Expr): Compiled | undefined => {
    if (isAggregate(e)) return aggregate(e as Extract<Expr, { type: "call" }>, sources);
    const k = keyShapes.indexOf(shape(e));
    if (k >= 0) {
      const key = keyFns[k]!;
      return { fn: (g, env) => key((g as unknown as Frame[])[0]!, env), name: nameOf(e) };
    }
    return undefined;
  };
  const opts = grouped ? { sources, what: "SELECT", grouped: groupedCompile } : { sources, what: "SELECT" };
  const outFns = exprs.map((x) => compile(x.expr, opts).fn);
  const having = st.having ? compile(st.having, { sources, what: "HAVING", grouped: groupedCompile }).fn : null;
  if (st.having && !grouped) throw new SqlError("refused", "HAVING needs GROUP BY");

  const order = (st.orderBy ?? []).map((o) => {
    const e = aliasExpr(o.by);
    const at = exprs.findIndex((x) => shape(x.expr) === shape(e));
    const fn = at >= 0 ? null : compile(e, { ...opts, what: "ORDER BY" }).fn;
    const desc = o.order === "DESC";
    const nullsFirst = o.nulls ? o.nulls === "FIRST" : desc;
    return { at, fn, desc, nullsFirst };
  });
  const limit = st.limit?.limit ? compile(st.limit.limit, { sources: [], what: "LIMIT" }).fn : null;
  const offset = st.limit?.offset ? compile(st.limit.offset, { sources: [], what: "OFFSET" }).fn : null;
  const count = (fn: Fn | null, what: string, env: Env): number | null => {
    if (!fn) return null;
    const v = fn([], env);
    if (v === null) return null;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new SqlError("type", `${what} takes a non-negative integer, got ${show(v)}`);
    return v;
  };

  return (store, env) => {
    const frames = rowsOf(store, env);
    let units: Frame[];
    if (grouped) {
      const groups = new Map<string, Frame[]>();
      for (const f of frames) {
        const k = JSON.stringify(keyFns.map((fn) => fn(f, env)));
        const g = groups.get(k);
        if (g) g.push(f);
        else groups.set(k, [f]);
      }
      // No GROUP BY: one group, even of no rows (COUNT(*) of an empty table is 0).
      const list = groupBy.length === 0 ? [frames] : [...groups.values()];
      units = list.map((g) => g as unknown as Frame);
      if (having) units = units.filter((g) => having(g, env) === true);
    } else units = frames;
    let out = units.map((u) => ({ values: outFns.map((fn) => fn(u, env)), keys: order.map((o) => (o.fn ? o.fn(u, env) : null)) }));
    if (st.distinct === "distinct") out = [...new Map(out.map((r) => [JSON.stringify(r.values), r])).values()];
    if (order.length > 0) {
      out.sort((a, b) => {
        for (let i = 0; i < order.length; i++) {
          const o = order[i]!;
          const x = o.at >= 0 ? a.values[o.at]! : a.keys[i]!;
          const y = o.at >= 0 ? b.values[o.at]! : b.keys[i]!;
          if (x === null || y === null) {
            if (x === y) continue;
            return (x === null) === o.nullsFirst ? -1 : 1;
          }
          const c = compareValues(x, y, "ORDER BY");
          if (c !== 0) return o.desc ? -c : c;
        }
        return 0;
      });
    }
    const from = count(offset, "OFFSET", env) ?? 0;
    const n = count(limit, "LIMIT", env);
    const page = out.slice(from, n === null ? undefined : from + n);
    return { columns: names, rows: page.map((r) => Object.fromEntries(names.map((name, i) => [name, r.values[i]!]))) };
  };
}
