/**
 * One SQL expression of the subset → SQLite text, with its static type. Every value is a named
 * parameter (`@a3`: literals too), never text spliced into the statement.
 *
 * The types are what make the translation faithful: the in-memory engine compares values of one
 * type and raises a type error on two (sql/expr.ts `compareValues`), but only for the rows it
 * reaches, while SQLite converts between types by affinity. So every construct is translated
 * only when its operands' types are known to agree (columns by their declared types, which the
 * model holds exactly: encode.ts; parameters by the values of the call); anything else throws
 * Fallback, and the statement runs in memory.
 */
import type { Expr } from "pgsql-ast-parser";
import { isAggregate, resolveRef, type Source } from "../../sql/engine.ts";
import type { Value } from "../../sql/index.ts";
import { regularText } from "./encode.ts";
import type { ColumnLayout, TableLayout } from "./layout.ts";

/** Static types: `null` is the type of NULL (every operation on it gives NULL); mv and set columns are JSON array text. */
export type SqlType = "text" | "int" | "real" | "bool" | "null" | "mv" | "set";
/** A translated expression: its SQL, its type, and whether it can never be NULL. */
export type Tx = { sql: string; type: SqlType; nonNull: boolean };

/** A construct whose in-memory meaning this translation cannot give exactly: the statement runs in memory. */
export class Fallback extends Error {
  override name = "Fallback";
}

/** What a bound name stands for: a literal's value, or parameter $n (checked against the call's values by the caller). */
export type Arg = { value: Value } | { param: number };
/** A parameter's type in one call: a translation is made for one combination of them. */
export type ParamType = "null" | "text" | "int" | "real" | "bool";

export type ExprContext = {
  sources: readonly Source[];
  layouts: readonly TableLayout[];
  params: readonly ParamType[];
  args: Arg[];
  /** A column's SQL where it is read (`"_s0"."phone"`, or a wrapped subquery's alias). */
  ref: (s: number, c: ColumnLayout, count: boolean) => string;
  /** Whether aggregates are allowed (a grouped SELECT list, HAVING, ORDER BY). */
  grouped: boolean;
  /** Parameters used as divisors: a call with one of them 0 runs in memory (where it is an error for the rows it reaches). */
  divisors: number[];
};

const COMPARE: Record<string, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

const classOf = (t: SqlType): string => (t === "int" || t === "real" ? "num" : t === "mv" || t === "set" ? "array" : t);

/** Whether values of two types compare without a type error (NULL compares with anything). */
function comparable(a: SqlType, b: SqlType): boolean {
  return a === "null" || b === "null" || classOf(a) === classOf(b);
}

function need(ok: boolean, why: string): void {
  if (!ok) throw new Fallback(why);
}

function bindArg(ctx: ExprContext, arg: Arg): string {
  ctx.args.push(arg);
  return `@a${ctx.args.length}`;
}

const isNum = (t: SqlType): boolean => t === "int" || t === "real" || t === "null";
const isText = (t: SqlType): boolean => t === "text" || t === "null";
const isBool = (t: SqlType): boolean => t === "bool" || t === "null";

function columnType(c: ColumnLayout, t: TableLayout): SqlType {
  const col = c.column;
  if (!col) return t.table.key.scalar === "integer" ? "int" : "text";
  if (col.kind === "mv" || col.kind === "set") return col.kind;
  if (col.kind === "counter") return "int";
  if (col.kind === "text") return "text";
  return col.scalar === "integer" ? "int" : col.scalar === "real" ? "real" : col.scalar === "boolean" ? "bool" : "text";
}

/** A column reference: its layout, source and type. */
export function columnOf(e: Extract<Expr, { type: "ref" }>, ctx: ExprContext): { s: number; c: ColumnLayout; type: SqlType } {
  const { s, i } = resolveRef(ctx.sources, e.name, e.table?.name);
  const t = ctx.layouts[s]!;
  const c = t.columns[i]!;
  return { s, c, type: columnType(c, t) };
}

/** `CASE WHEN any operand IS NULL THEN NULL ELSE body END`, as the in-memory engine does where SQL would not. */
function nullIfAny(parts: readonly Tx[], body: string): string {
  const nullable = parts.filter((p) => !p.nonNull);
  if (nullable.length === 0) return body;
  return `(CASE WHEN ${nullable.map((p) => `${p.sql} IS NULL`).join(" OR ")} THEN NULL ELSE ${body} END)`;
}

export function translate(e: Expr, ctx: ExprContext): Tx {
  const sub = (x: Expr) => translate(x, ctx);
  switch (e.type) {
    case "null":
      return { sql: "NULL", type: "null", nonNull: false };
    case "string":
      need(regularText(e.value), "a text literal with a character SQLite orders differently (above U+FFFF, or U+0000)");
      return { sql: bindArg(ctx, { value: e.value }), type: "text", nonNull: true };
    case "integer":
      return { sql: bindArg(ctx, { value: e.value }), type: "int", nonNull: true };
    case "numeric":
      return { sql: bindArg(ctx, { value: e.value }), type: "real", nonNull: true };
    case "boolean":
      return { sql: bindArg(ctx, { value: e.value }), type: "bool", nonNull: true };
    case "parameter": {
      const n = Number(e.name.slice(1));
      const type = ctx.params[n - 1];
      need(type !== undefined, `${e.name}: no usable value given`);
      return { sql: bindArg(ctx, { param: n }), type: type!, nonNull: type !== "null" };
    }
    case "ref": {
      const { s, c, type } = columnOf(e, ctx);
      return { sql: ctx.ref(s, c, false), type, nonNull: c.column === undefined || (c.column.kind !== "lww" && type !== "null") };
    }
    case "unary":
      return unary(e.op, sub(e.operand));
    case "ternary": {
      const [x, lo, hi] = [sub(e.value), sub(e.lo), sub(e.hi)];
      need(comparable(x.type, lo.type) && comparable(x.type, hi.type) && comparable(lo.type, hi.type), "BETWEEN over values of different types");
      const body = `(${e.op === "NOT BETWEEN" ? "NOT " : ""}(${x.sql} BETWEEN ${lo.sql} AND ${hi.sql}))`;
      return { sql: nullIfAny([x, lo, hi], body), type: "bool", nonNull: x.nonNull && lo.nonNull && hi.nonNull };
    }
    case "binary":
      return binary(e, ctx);
    case "call":
      return call(e, ctx);
    default:
      throw new Fallback(`${e.type} expressions`);
  }
}

function unary(op: string, x: Tx): Tx {
  switch (op) {
    case "NOT":
      need(isBool(x.type), "NOT of a value that is not a boolean");
      return { sql: `(NOT ${x.sql})`, type: x.type, nonNull: x.nonNull };
    case "-":
      need(isNum(x.type), "minus of a value that is not a number");
      return { sql: `(-${x.sql})`, type: x.type, nonNull: x.nonNull };
    case "+":
      return x;
    case "IS NULL":
    case "IS NOT NULL":
      return { sql: `(${x.sql} ${op})`, type: "bool", nonNull: true };
    case "IS TRUE":
    case "IS NOT TRUE":
    case "IS FALSE":
    case "IS NOT FALSE":
      // In memory these ask "is it the boolean true", which no number or text is; SQLite would say 1 IS TRUE.
      need(isBool(x.type), `${op} of a value that is not a boolean`);
      return { sql: `(${x.sql} ${op})`, type: "bool", nonNull: true };
    default:
      throw new Fallback(`the operator ${op}`);
  }
}

/** A divisor known not to be zero when the statement runs: a literal, or a parameter (the caller checks its value). */
function safeDivisor(e: Expr, t: Tx, ctx: ExprContext): void {
  if (t.type === "null") return;
  if (e.type === "parameter") ctx.divisors.push(Number(e.name.slice(1)));
  const constant = e.type === "integer" || e.type === "numeric" || e.type === "parameter";
  need(constant && !((e.type === "integer" || e.type === "numeric") && e.value === 0), "division by something that may be zero (in memory: an error for the rows it reaches)");
}

function binary(e: Extract<Expr, { type: "binary" }>, ctx: ExprContext): Tx {
  if (e.right.type === "call" && e.right.function.name.toLowerCase() === "any") {
    const arg = e.right.args[0];
    need(arg?.type === "ref", "ANY over something that is not a column");
    const { s, c, type } = columnOf(arg as Extract<Expr, { type: "ref" }>, ctx);
    need(type === "mv" || type === "set", "ANY over a column that is not an array");
    const x = translate(e.left, ctx);
    const scalar = c.column!.scalar;
    need(x.type === "null" || classOf(x.type) === (scalar === "integer" || scalar === "real" ? "num" : scalar === "boolean" ? "bool" : "text"), "ANY over values of another type");
    if (x.type === "null") return { sql: "NULL", type: "null", nonNull: false };
    const body = `EXISTS (SELECT 1 FROM json_each(${ctx.ref(s, c, false)}) WHERE value = ${x.sql})`;
    return { sql: nullIfAny([x], body), type: "bool", nonNull: x.nonNull };
  }
  const op = e.op;
  if (op === "IN" || op === "NOT IN") {
    const x = translate(e.left, ctx);
    const items = e.right.type === "list" ? e.right.expressions.map((i) => translate(i, ctx)) : [translate(e.right, ctx)];
    need(
      items.every((i) => comparable(x.type, i.type) && i.type !== "mv" && i.type !== "set"),
      "IN over values of different types",
    );
    // In memory a NULL in the list never matches and never makes the answer NULL (SQL's IN would).
    const hit = `coalesce(${x.sql} IN (${items.map((i) => i.sql).join(", ")}), 0)`;
    return { sql: nullIfAny([x], op === "IN" ? `(${hit})` : `(NOT ${hit})`), type: "bool", nonNull: x.nonNull };
  }
  const l = translate(e.left, ctx);
  const r = translate(e.right, ctx);
  const both = [l, r];
  const nonNull = l.nonNull && r.nonNull;
  switch (op) {
    case "AND":
    case "OR":
      need(isBool(l.type) && isBool(r.type), `${op} of a value that is not a boolean`);
      return { sql: `(${l.sql} ${op} ${r.sql})`, type: "bool", nonNull };
    case "=":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      need(comparable(l.type, r.type), "a comparison of values of different types");
      return { sql: `(${l.sql} ${COMPARE[op]} ${r.sql})`, type: "bool", nonNull };
    case "LIKE":
    case "NOT LIKE":
      need(isText(l.type) && isText(r.type), "LIKE over a value that is not text");
      return { sql: `(${op === "NOT LIKE" ? "NOT " : ""}(${l.sql} GLOB mc_glob(${r.sql})))`, type: "bool", nonNull };
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      need(isNum(l.type) && isNum(r.type), `${op} of a value that is not a number`);
      const type: SqlType = l.type === "null" || r.type === "null" ? "null" : l.type === "int" && r.type === "int" ? "int" : "real";
      if (op === "/" || op === "%") {
        safeDivisor(e.right, r, ctx);
        return { sql: `${op === "/" ? "mc_div" : "mc_mod"}(${l.sql}, ${r.sql})`, type, nonNull };
      }
      return { sql: `(${l.sql} ${op} ${r.sql})`, type, nonNull };
    }
    case "||":
      need(isText(l.type) && isText(r.type), "|| of a value that is not text");
      return { sql: `(${both.map((x) => x.sql).join(" || ")})`, type: l.type === "null" || r.type === "null" ? "null" : "text", nonNull };
    default:
      throw new Fallback(`the operator ${op}`);
  }
}

function call(e: Extract<Expr, { type: "call" }>, ctx: ExprContext): Tx {
  const fname = e.function.name.toLowerCase();
  if (isAggregate(e)) return aggregate(e, fname, ctx);
  if (fname === "conflicted") {
    const { s, c } = columnOf(e.args[0] as Extract<Expr, { type: "ref" }>, ctx);
    need(c.count !== undefined, "CONFLICTED of a column that is not MV");
    return { sql: `(${ctx.ref(s, c, true)} > 1)`, type: "bool", nonNull: true };
  }
  if (fname === "lower" || fname === "upper" || fname === "length") {
    const x = translate(e.args[0]!, ctx);
    need(isText(x.type), `${fname.toUpperCase()} of a value that is not text`);
    return { sql: `mc_${fname}(${x.sql})`, type: x.type === "null" ? "null" : fname === "length" ? "int" : "text", nonNull: x.nonNull };
  }
  throw new Fallback(`the function ${fname.toUpperCase()}`);
}

function aggregate(e: Extract<Expr, { type: "call" }>, fname: string, ctx: ExprContext): Tx {
  need(ctx.grouped, "an aggregate outside a grouped SELECT");
  const arg = e.args[0]!;
  if (arg.type === "ref" && arg.name === "*") return { sql: "count(*)", type: "int", nonNull: true };
  const x = translate(arg, { ...ctx, grouped: false });
  const distinct = e.distinct === "distinct" ? "DISTINCT " : "";
  const sql = `${fname}(${distinct}${x.sql})`;
  switch (fname) {
    case "count":
      return { sql, type: "int", nonNull: true };
    case "sum":
    case "avg":
      // Integers add exactly in both engines; reals do not: SQLite sums them with compensation,
      // in its own order, the in-memory engine plainly in row order, and the last bits differ.
      need(x.type === "int" || x.type === "null", `${fname.toUpperCase()} over a value that is not an integer`);
      return { sql, type: x.type === "null" ? "null" : fname === "sum" ? "int" : "real", nonNull: false };
    default:
      return { sql, type: x.type, nonNull: false };
  }
}
