/**
 * Expressions compiled once per statement into closures over rows: names are resolved and the
 * subset is checked at compile time (an unknown column names the known ones; a construct outside
 * the subset is refused with what to use instead), values at run time (parameters are only known
 * then). NULL follows SQL's three-valued logic: a comparison with NULL is NULL, which no WHERE
 * accepts.
 *
 * A compiled expression reads a "frame": one row per source table of the statement (a join has
 * several). In a grouped SELECT (select.ts) aggregates are compiled over the group's frames.
 */
import type { Expr } from "pgsql-ast-parser";
import { SqlError } from "./errors.ts";
import { type Value, show } from "./rows.ts";
import { type Column, describeColumn, type Table } from "./schema.ts";

/** One table of a statement, under the name it is referred to by (its alias or its name). */
export type Source = { alias: string; table: Table };
export type Frame = readonly (readonly Value[])[];
export type Env = { params: readonly unknown[] };
export type Fn = (frame: Frame, env: Env) => Value;
export type Compiled = { fn: Fn; column?: Column; name: string };

const AGGREGATES = new Set(["count", "sum", "min", "max", "avg"]);

export function isAggregate(e: Expr): boolean {
  return e.type === "call" && AGGREGATES.has(e.function.name.toLowerCase()) && !e.function.schema;
}

/** Whether an expression holds an aggregate call anywhere. */
export function hasAggregate(e: unknown): boolean {
  if (e === null || typeof e !== "object") return false;
  if (isAggregate(e as Expr)) return true;
  return Object.values(e as object).some(hasAggregate);
}

/** Resolves a column reference: [source index, column index, the column (undefined for the key)]. */
export function resolveRef(sources: readonly Source[], name: string, table: string | undefined): { s: number; i: number; column: Column | undefined } {
  const candidates = table === undefined ? sources.map((_, k) => k) : sources.flatMap((src, k) => (src.alias === table ? [k] : []));
  if (table !== undefined && candidates.length === 0)
    throw new SqlError("unknown", `unknown table ${table} in ${table}.${name} (the statement's tables: ${sources.map((s) => s.alias).join(", ")})`);
  const hits = candidates.filter((k) => sources[k]!.table.columns.includes(name));
  if (hits.length === 0) {
    const known = candidates.flatMap((k) => sources[k]!.table.columns.map((c) => (sources.length > 1 ? `${sources[k]!.alias}.${c}` : c)));
    const where = table ?? (sources.length === 1 ? sources[0]!.table.name : sources.map((s) => s.alias).join(", "));
    throw new SqlError("unknown", `unknown column ${name} in ${where} (the columns: ${known.join(", ")})`);
  }
  if (hits.length > 1)
    throw new SqlError("unknown", `column ${name} is ambiguous (in ${hits.map((k) => sources[k]!.alias).join(" and ")}): qualify it, e.g. ${sources[hits[0]!]!.alias}.${name}`);
  const s = hits[0]!;
  const t = sources[s]!.table;
  return { s, i: t.columns.indexOf(name), column: t.fields.get(name) };
}

/** Whether a value counts as a JS value the SQL layer knows (what a parameter may be). */
export function checkParam(v: unknown, n: number): Value {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (Array.isArray(v)) return v.map((x) => checkParam(x, n)) as Value[];
  throw new SqlError("type", `parameter $${n} must be a string, a finite number, a boolean, NULL or an array of them, got ${show(v)}`);
}

export function paramOf(env: Env, name: string): Value {
  const n = Number(name.slice(1));
  if (!Number.isInteger(n) || n < 1) throw new SqlError("refused", `parameter ${name}: parameters are $1, $2, …`);
  if (n > env.params.length) throw new SqlError("type", `the statement uses $${n} but ${env.params.length} parameter${env.params.length === 1 ? " was" : "s were"} given`);
  return checkParam(env.params[n - 1], n);
}

/** Code-unit order (the store's order of ids and JSON keys). */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Total order on non-null values of one type; two different types are a type error. */
export function compareValues(a: Value, b: Value, what: string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return compareStrings(JSON.stringify(a), JSON.stringify(b));
  throw new SqlError("type", `${what}: cannot compare ${show(a)} with ${show(b)}`);
}

const truthy = (v: Value, what: string): boolean | null => {
  if (v === null) return null;
  if (typeof v !== "boolean") throw new SqlError("type", `${what}: expected a boolean, got ${show(v)}`);
  return v;
};

const num = (v: Value, what: string): number => {
  if (typeof v !== "number") throw new SqlError("type", `${what}: expected a number, got ${show(v)}`);
  return v;
};

/** The SQL text of a small expression, for messages and result column names. */
export function nameOf(e: Expr): string {
  switch (e.type) {
    case "ref":
      return e.name;
    case "call":
      return e.function.name.toLowerCase();
    default:
      return "?column?";
  }
}

/** Constructs outside the subset, with what to use instead. */
function refuse(e: Expr): never {
  const t = e.type as string;
  const hint: Record<string, string> = {
    select: "subqueries are not supported; use a join on equality, or two statements",
    union: "UNION is not supported; run the SELECTs one by one",
    "union all": "UNION ALL is not supported; run the SELECTs one by one",
    with: "WITH (common table expressions) is not supported; use a join on equality, or two statements",
    case: "CASE is not supported; compute it in the application",
    cast: "casts (::, CAST) are not supported; a value takes its column's type",
    extract: "EXTRACT is not supported (there are no date types); store the parts as columns",
    member: "JSON operators are not supported (there is no JSON type)",
    arrayIndex: "array indexing is not supported; test membership with 'x' = ANY(tags)",
    default: "DEFAULT is not supported; give the value",
    keyword: "CURRENT_TIMESTAMP and the like are not supported: nodes have no common clock; pass the value as a parameter",
    overlay: "OVERLAY is not supported",
    substring: "SUBSTRING is not supported",
    constant: "typed constants are not supported; write the literal alone",
    "array select": "ARRAY(SELECT …) is not supported",
  };
  throw new SqlError("refused", hint[t] ?? `${t} expressions are not supported`);
}

export type CompileOptions = {
  sources: readonly Source[];
  /** In a grouped SELECT: compiles an aggregate or a group key, else undefined (the expression is not grouped). */
  grouped?: (e: Expr) => Compiled | undefined;
  /** Where the expression is, for messages ("WHERE", "SET views"). */
  what: string;
};

export function compile(e: Expr, o: CompileOptions): Compiled {
  if (o.grouped) {
    const g = o.grouped(e);
    if (g) return g;
  }
  const sub = (x: Expr) => compile(x, o);
  const what = o.what;
  switch (e.type) {
    case "null":
      return { fn: () => null, name: "?column?" };
    case "string":
    case "integer":
    case "numeric":
    case "boolean": {
      const v = e.value as Value;
      return { fn: () => v, name: "?column?" };
    }
    case "parameter": {
      const name = e.name;
      return { fn: (_f, env) => paramOf(env, name), name: "?column?" };
    }
    case "ref": {
      if (e.name === "*") throw new SqlError("refused", `${what}: * is only a SELECT list of every column, or COUNT(*)`);
      if (o.grouped) throw new SqlError("refused", `column ${e.name} must appear in GROUP BY or be used in an aggregate (COUNT, SUM, MIN, MAX, AVG)`);
      const { s, i, column } = resolveRef(o.sources, e.name, e.table?.name);
      const r: Compiled = { fn: (f) => f[s]![i]!, name: e.name };
      if (column) r.column = column;
      return r;
    }
    case "list":
    case "array": {
      const items = e.expressions.map(sub);
      return { fn: (f, env) => items.map((x) => x.fn(f, env)), name: "array" };
    }
    case "unary":
      return unary(e.op, sub(e.operand), what);
    case "ternary": {
      const [v, lo, hi] = [sub(e.value), sub(e.lo), sub(e.hi)];
      const not = e.op === "NOT BETWEEN";
      return {
        fn: (f, env) => {
          const x = v.fn(f, env);
          const a = lo.fn(f, env);
          const b = hi.fn(f, env);
          if (x === null || a === null || b === null) return null;
          const inside = compareValues(x, a, what) >= 0 && compareValues(x, b, what) <= 0;
          return not ? !inside : inside;
        },
        name: "?column?",
      };
    }
    case "binary":
      return binary(e, o);
    case "call":
      return call(e, o);
    default:
      return refuse(e);
  }
}

function unary(op: string, x: Compiled, what: string): Compiled {
  const name = "?column?";
  switch (op) {
    case "NOT":
      return {
        fn: (f, env) => {
          const v = truthy(x.fn(f, env), what);
          return v === null ? null : !v;
        },
        name,
      };
    case "-":
      return { fn: (f, env) => (x.fn(f, env) === null ? null : -num(x.fn(f, env), what)), name };
    case "+":
      return x;
    case "IS NULL":
    case "IS NOT NULL": {
      const want = op === "IS NULL";
      return { fn: (f, env) => (x.fn(f, env) === null) === want, name };
    }
    case "IS TRUE":
    case "IS NOT TRUE":
    case "IS FALSE":
    case "IS NOT FALSE": {
      const target = op.endsWith("TRUE");
      const negate = op.includes("NOT");
      return { fn: (f, env) => (x.fn(f, env) === target) !== negate, name };
    }
    default:
      throw new SqlError("refused", `the operator ${op} is not supported`);
  }
}

/** A comparison of an MV or SET column (an array) with a scalar: refused with the way to ask. */
function arrayCompare(c: Compiled, other: Compiled): void {
  const col = c.column;
  if (!col || (col.kind !== "mv" && col.kind !== "set")) return;
  if (other.column && other.column.kind === col.kind) return;
  const ask = col.kind === "mv" ? `'555' = ANY(${col.name}) (one of its concurrent values), or CONFLICTED(${col.name})` : `'vip' = ANY(${col.name})`;
  throw new SqlError("type", `${describeColumn(col)} holds ${col.kind === "mv" ? "its concurrent values" : "a set"} (an array): compare with ${ask}`);
}

function like(pattern: string): RegExp {
  let re = "";
  for (const ch of pattern) re += ch === "%" ? "[\\s\\S]*" : ch === "_" ? "[\\s\\S]" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${re}$`, "u");
}

function binary(e: Extract<Expr, { type: "binary" }>, o: CompileOptions): Compiled {
  const what = o.what;
  const name = "?column?";
  // x = ANY(array column): membership in an MV's concurrent values or a set's elements.
  if (e.right.type === "call" && e.right.function.name.toLowerCase() === "any") {
    if (e.op !== "=") throw new SqlError("refused", `${what}: only = ANY(…) is supported`);
    if (e.right.args.length !== 1) throw new SqlError("refused", `${what}: ANY takes one array (a column)`);
    const x = compile(e.left, o);
    const arr = compile(e.right.args[0]!, o);
    return {
      fn: (f, env) => {
        const v = x.fn(f, env);
        const a = arr.fn(f, env);
        if (v === null || a === null) return null;
        if (!Array.isArray(a)) throw new SqlError("type", `${what}: ANY needs an array (an MV or SET column), got ${show(a)}`);
        return a.some((y) => y !== null && !Array.isArray(y) && compareValues(v, y, what) === 0);
      },
      name,
    };
  }
  const l = compile(e.left, o);
  const r = compile(e.right, o);
  switch (e.op) {
    case "AND":
      return {
        fn: (f, env) => {
          const a = truthy(l.fn(f, env), what);
          if (a === false) return false;
          const b = truthy(r.fn(f, env), what);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        },
        name,
      };
    case "OR":
      return {
        fn: (f, env) => {
          const a = truthy(l.fn(f, env), what);
          if (a === true) return true;
          const b = truthy(r.fn(f, env), what);
          if (b === true) return true;
          return a === null || b === null ? null : false;
        },
        name,
      };
    case "=":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=": {
      arrayCompare(l, r);
      arrayCompare(r, l);
      const test = {
        "=": (c: number) => c === 0,
        "!=": (c: number) => c !== 0,
        "<": (c: number) => c < 0,
        "<=": (c: number) => c <= 0,
        ">": (c: number) => c > 0,
        ">=": (c: number) => c >= 0,
      }[e.op];
      return {
        fn: (f, env) => {
          const a = l.fn(f, env);
          const b = r.fn(f, env);
          return a === null || b === null ? null : test(compareValues(a, b, what));
        },
        name,
      };
    }
    case "IN":
    case "NOT IN": {
      // IN ('a') is parsed as the value alone; IN ('a', 'b') as a list.
      const list: Fn = e.right.type === "list" ? r.fn : (f, env) => [r.fn(f, env)];
      const not = e.op === "NOT IN";
      return {
        fn: (f, env) => {
          const a = l.fn(f, env);
          if (a === null) return null;
          const hit = (list(f, env) as Value[]).some((b) => b !== null && compareValues(a, b, what) === 0);
          return hit !== not;
        },
        name,
      };
    }
    case "LIKE":
    case "NOT LIKE": {
      const not = e.op === "NOT LIKE";
      return {
        fn: (f, env) => {
          const a = l.fn(f, env);
          const p = r.fn(f, env);
          if (a === null || p === null) return null;
          if (typeof a !== "string" || typeof p !== "string") throw new SqlError("type", `${what}: LIKE compares text, got ${show(a)} LIKE ${show(p)}`);
          return like(p).test(a) !== not;
        },
        name,
      };
    }
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      const op = e.op;
      return {
        fn: (f, env) => {
          const a = l.fn(f, env);
          const b = r.fn(f, env);
          if (a === null || b === null) return null;
          const x = num(a, what);
          const y = num(b, what);
          if ((op === "/" || op === "%") && y === 0) throw new SqlError("type", `${what}: division by zero`);
          const out = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : op === "%" ? x % y : Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
          return out;
        },
        name,
      };
    }
    case "||":
      return {
        fn: (f, env) => {
          const a = l.fn(f, env);
          const b = r.fn(f, env);
          if (a === null || b === null) return null;
          if (typeof a !== "string" || typeof b !== "string") throw new SqlError("type", `${what}: || joins text, got ${show(a)} || ${show(b)}`);
          return a + b;
        },
        name,
      };
    default:
      throw new SqlError("refused", `${what}: the operator ${e.op} is not supported`);
  }
}

function call(e: Extract<Expr, { type: "call" }>, o: CompileOptions): Compiled {
  const fname = e.function.name.toLowerCase();
  const what = o.what;
  if (fname === "conflicted") {
    const arg = e.args[0];
    if (e.args.length !== 1 || arg?.type !== "ref") throw new SqlError("refused", `${what}: CONFLICTED takes one MV column, e.g. CONFLICTED(phone)`);
    const c = compile(arg, o);
    if (c.column?.kind !== "mv")
      throw new SqlError(
        "type",
        `${what}: CONFLICTED(${arg.name}) asks about an MV column; ${c.column ? describeColumn(c.column) : `${arg.name} (the primary key)`} never holds concurrent values`,
      );
    return { fn: (f, env) => (c.fn(f, env) as Value[]).length > 1, name: "conflicted" };
  }
  if (fname === "nextval")
    throw new SqlError("refused", `${what}: NEXTVAL('name') is a whole value of an INSERT or of UPDATE … SET col = NEXTVAL('name'), not part of an expression`);
  if (AGGREGATES.has(fname)) throw new SqlError("refused", `${what}: ${fname.toUpperCase()}(…) is an aggregate: only in a SELECT list or ORDER BY`);
  if (fname === "lower" || fname === "upper" || fname === "length") {
    if (e.args.length !== 1) throw new SqlError("refused", `${what}: ${fname.toUpperCase()} takes one argument`);
    const x = compile(e.args[0]!, o);
    return {
      fn: (f, env) => {
        const v = x.fn(f, env);
        if (v === null) return null;
        if (typeof v !== "string") throw new SqlError("type", `${what}: ${fname.toUpperCase()} takes text, got ${show(v)}`);
        return fname === "lower" ? v.toLowerCase() : fname === "upper" ? v.toUpperCase() : v.length;
      },
      name: fname,
    };
  }
  throw new SqlError(
    "refused",
    `${what}: the function ${fname.toUpperCase()} is not supported (the functions: COUNT, SUM, MIN, MAX, AVG, CONFLICTED, NEXTVAL, ANY, LOWER, UPPER, LENGTH)`,
  );
}
