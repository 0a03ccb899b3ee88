/**
 * INSERT, UPDATE and DELETE → store updates, one field op each. Everything is computed and
 * checked first — names, types, the rows a WHERE picks, duplicate keys — and only then are the
 * numbers NEXTVAL asks for drawn and the ops applied: a statement that fails applies nothing.
 *
 * A column's SQL update becomes its CRDT's own op: `views = views + 1` an increment (never a
 * read-modify-write), `tags = tags + 'vip'` / `- 'vip'` an OR-set add / remove, `notes = notes
 * || '…'` an insert at the end of the text; a plain assignment a register write, or for a set or
 * a text the ops that turn the value this replica sees into the new one. The row's existence is
 * the hidden `_row` field (rows.ts).
 */
import type { DeleteStatement, Expr, InsertStatement, UpdateStatement } from "pgsql-ast-parser";
import { SqlError } from "./errors.ts";
import { compile, type Env, type Frame, hasAggregate, type Source } from "./expr.ts";
import { columnsRead, deadOp, fieldOp, idOf, liveOp, rowOf, show, type SqlStore, type Value } from "./rows.ts";
import { planRows } from "./select.ts";
import { type Column, describeColumn, ROW_FIELD, type SqlSchema, type Table } from "./schema.ts";

/** A number to draw from the sequencer once the statement is known to be valid. */
export class Deferred {
  constructor(readonly counter: string) {}
}
type Arg = Value | Deferred;
/** One field update of a row: [field, op, …args]. */
type FieldUpdate = [string, string, ...Arg[]];
export type PendingRow = { id: string | Deferred; updates: FieldUpdate[] };
export type WritePlan = (store: SqlStore, env: Env) => PendingRow[];

const SCALAR_WORD = { text: "a string", integer: "an integer", real: "a number", boolean: "a boolean" } as const;

function checkScalar(t: Table, c: Column, v: Value, what = "expected"): void {
  const ok = c.scalar === "text" ? typeof v === "string" : c.scalar === "integer" ? Number.isSafeInteger(v) : c.scalar === "real" ? typeof v === "number" : typeof v === "boolean";
  if (!ok) throw new SqlError("type", `type mismatch: ${t.name}.${describeColumn(c)}: ${what} ${SCALAR_WORD[c.scalar]}, got ${show(v)}`);
}

/** An element list for a SET OF column: an array, or NULL for the empty set. */
function elements(t: Table, c: Column, v: Value): Value[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new SqlError("type", `type mismatch: ${t.name}.${describeColumn(c)}: expected an array of elements (ARRAY['a', 'b']), got ${show(v)}`);
  for (const x of v) checkScalar(t, c, x, "expected elements that are each");
  return v;
}

const same = (a: Value, b: Value): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The field ops that make column `c` hold `v`, given what this replica shows now (`current`;
 * undefined for a row never seen). Counters only take this in an INSERT (write.ts refuses a
 * plain assignment in UPDATE).
 */
function assign(t: Table, c: Column, v: Arg, current: Value | undefined): FieldUpdate[] {
  if (v instanceof Deferred) {
    if ((c.kind !== "lww" && c.kind !== "mv") || (c.scalar !== "integer" && c.scalar !== "real"))
      throw new SqlError("type", `type mismatch: ${t.name}.${describeColumn(c)}: NEXTVAL gives an integer; use an INTEGER column`);
    return [[c.name, "set", v]];
  }
  switch (c.kind) {
    case "lww":
    case "mv":
      if (v !== null) checkScalar(t, c, v);
      return [[c.name, "set", v]];
    case "counter": {
      const target = v === null ? 0 : v;
      checkScalar(t, c, target);
      return increment(c, (target as number) - ((current as number | undefined) ?? 0));
    }
    case "set": {
      const want = elements(t, c, v);
      const have = (current as Value[] | undefined) ?? [];
      const out: FieldUpdate[] = have.filter((x) => !want.some((y) => same(x, y))).map((x) => [c.name, "remove", x]);
      for (const x of want) if (!have.some((y) => same(x, y)) && !out.some((u) => u[1] === "add" && same(u[2] as Value, x))) out.push([c.name, "add", x]);
      return out;
    }
    case "text": {
      const s = v === null ? "" : v;
      if (typeof s !== "string") throw new SqlError("type", `type mismatch: ${t.name}.${describeColumn(c)}: expected a string, got ${show(v)}`);
      const len = ((current as string | undefined) ?? "").length;
      const out: FieldUpdate[] = [];
      if (len > 0) out.push([c.name, "delete", 0, len]);
      if (s !== "") out.push([c.name, "insert", 0, s]);
      return out;
    }
  }
}

function increment(c: Column, by: number): FieldUpdate[] {
  if (by === 0) return [];
  return [[c.name, by > 0 ? "inc" : "dec", Math.abs(by)]];
}

/** A value expression of an INSERT or SET: NEXTVAL('name') alone is deferred, anything else compiled. */
function valueFn(e: Expr, sources: readonly Source[], what: string): (f: Frame, env: Env) => Arg {
  if (e.type === "call" && e.function.name.toLowerCase() === "nextval" && !e.function.schema) {
    const arg = e.args[0];
    if (e.args.length !== 1 || arg?.type !== "string") throw new SqlError("refused", `${what}: NEXTVAL takes the counter's name as a literal, e.g. NEXTVAL('invoice')`);
    const d = new Deferred(arg.value);
    return () => d;
  }
  if (hasAggregate(e)) throw new SqlError("refused", `${what}: aggregates are only for SELECT`);
  return compile(e, { sources, what }).fn;
}

function column(t: Table, name: string, what: string): Column | undefined {
  if (name === t.key.name) return undefined;
  const c = t.fields.get(name);
  if (!c) throw new SqlError("unknown", `${what}: unknown column ${name} in ${t.name} (the columns: ${t.columns.join(", ")})`);
  return c;
}

export function planInsert(st: InsertStatement, schema: SqlSchema): WritePlan {
  const t = schema.table(st.into.name);
  const what = `INSERT INTO ${t.name}`;
  if (st.onConflict) throw new SqlError("refused", `${what}: ON CONFLICT is not supported; concurrent inserts of one key merge field by field — UPDATE an existing row`);
  if (st.returning) throw new SqlError("refused", `${what}: RETURNING is not supported; SELECT the row afterwards`);
  if (st.overriding) throw new SqlError("refused", `${what}: OVERRIDING is not supported`);
  if (st.insert.type !== "values") throw new SqlError("refused", `${what}: INSERT … SELECT is not supported; insert VALUES (…)`);
  const names = st.columns ? st.columns.map((n) => n.name) : [...t.columns];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new SqlError("refused", `${what}: column ${dup} is named twice`);
  const cols = names.map((n) => column(t, n, what));
  const keyAt = names.indexOf(t.key.name);
  if (keyAt < 0) throw new SqlError("refused", `${what}: the primary key ${t.key.name} must be given (each row is a store object keyed by it)`);
  const rows = st.insert.values.map((vals, r) => {
    if (vals.length !== names.length) throw new SqlError("refused", `${what}: row ${r + 1} has ${vals.length} values for ${names.length} columns (${names.join(", ")})`);
    return vals.map((e, i) => valueFn(e, [], `${what} (${names[i]})`));
  });
  const unnamed = [...t.fields.values()].filter((c) => !names.includes(c.name));
  const live = liveOp(t);
  return (store, env) => {
    const ids = new Set<string>();
    return rows.map((fns) => {
      const vals = fns.map((fn) => fn([], env));
      const key = vals[keyAt]!;
      const id = key instanceof Deferred ? (t.key.scalar === "integer" ? key : typeMismatchKey(t)) : idOf(t, key);
      const record = id instanceof Deferred ? undefined : (store.object(t.name, id) as Record<string, unknown> | undefined);
      const existing = id instanceof Deferred ? null : rowOf(t, id, record);
      if (existing) throw new SqlError("conflict", `${what}: a row with ${t.key.name} ${show(key)} exists; use UPDATE (or DELETE it first)`);
      if (typeof id === "string") {
        if (ids.has(id)) throw new SqlError("conflict", `${what}: ${t.key.name} ${show(key)} is given twice`);
        ids.add(id);
      }
      // A key seen before (a deleted row, or a concurrent insert's fields): the columns not named are reset.
      const current = (c: Column): Value | undefined => (record === undefined ? undefined : hiddenValue(c, record[c.name]));
      const updates: FieldUpdate[] = [];
      cols.forEach((c, i) => c && updates.push(...assign(t, c, vals[i]!, current(c))));
      if (record !== undefined) for (const c of unnamed) updates.push(...assign(t, c, null, current(c)));
      updates.push([ROW_FIELD, ...live]);
      return { id, updates };
    });
  };
}

function typeMismatchKey(t: Table): never {
  throw new SqlError("type", `type mismatch: the primary key ${t.name}.${t.key.name} is TEXT; NEXTVAL gives an integer (use an INTEGER key)`);
}

/** A field's SQL value as assign() compares it (MV and LWW are overwritten whatever they hold). */
function hiddenValue(c: Column, v: unknown): Value {
  return (c.kind === "mv" ? [] : v) as Value;
}

/** SET col = col + x / x + col / col - x / col || x / x || col: the other operand, or null when it is not that shape. */
function selfOp(c: Column, e: Expr, ops: readonly string[]): { op: string; other: Expr; selfFirst: boolean } | null {
  if (e.type !== "binary" || !ops.includes(e.op)) return null;
  const isSelf = (x: Expr) => x.type === "ref" && x.name === c.name;
  if (isSelf(e.left)) return { op: e.op, other: e.right, selfFirst: true };
  if (isSelf(e.right) && e.op !== "-") return { op: e.op, other: e.left, selfFirst: false };
  return null;
}

export function planUpdate(st: UpdateStatement, schema: SqlSchema): WritePlan {
  const t = schema.table(st.table.name);
  const what = `UPDATE ${t.name}`;
  if (st.from) throw new SqlError("refused", `${what}: UPDATE … FROM is not supported; update by key (WHERE ${t.key.name} = …)`);
  if (st.returning) throw new SqlError("refused", `${what}: RETURNING is not supported; SELECT the row afterwards`);
  const sources: Source[] = [{ alias: st.table.alias ?? t.name, table: t }];
  // What the statement reads: its WHERE, its SET expressions and the columns it sets — except
  // a counter or set column it only adds to or takes from (`views = views + 1`), whose current
  // value the op does not need.
  const setExprs: unknown[] = [];
  const setRead: string[] = [];
  for (const s of st.sets) {
    const c = t.fields.get(s.column.name);
    const inc = c && (c.kind === "counter" || c.kind === "set") ? selfOp(c, s.value, ["+", "-"]) : null;
    setExprs.push(inc ? inc.other : s.value);
    if (!inc) setRead.push(s.column.name);
  }
  const read = columnsRead(t, [st.where, ...setExprs], setRead);
  const rowsOf = planRows(sources, [null], st.where, read);
  const seen = new Set<string>();
  const sets = st.sets.map((s) => {
    const name = s.column.name;
    const w = `${what} SET ${name}`;
    if (seen.has(name)) throw new SqlError("refused", `${w}: the column is set twice`);
    seen.add(name);
    const c = column(t, name, what);
    if (!c) throw new SqlError("refused", `${w}: the primary key cannot change (a row is a store object keyed by it); DELETE and INSERT instead`);
    const at = t.columns.indexOf(name);
    return { c, at, make: setPlan(t, c, s.value, sources, w) };
  });
  // Add-wins: an update keeps the row alive against a concurrent DELETE (rows.ts): the flag's enable.
  const live = t.deletes === "add-wins" ? liveOp(t) : null;
  const keyAt = t.columns.indexOf(t.key.name);
  return (store, env) =>
    rowsOf(store, env).map((f) => {
      const row = f[0]!;
      const updates: FieldUpdate[] = [];
      for (const s of sets) updates.push(...s.make(f, env, row[s.at]!));
      if (live) updates.push([ROW_FIELD, ...live]);
      return { id: idOf(t, row[keyAt]!), updates };
    });
}

function setPlan(t: Table, c: Column, e: Expr, sources: Source[], w: string): (f: Frame, env: Env, current: Value) => FieldUpdate[] {
  if (c.kind === "counter") {
    const s = selfOp(c, e, ["+", "-"]);
    if (!s)
      throw new SqlError(
        "refused",
        `${w}: ${describeColumn(c)} takes increments: SET ${c.name} = ${c.name} + n (or - n); assigning a value would be a read-modify-write that loses concurrent increments`,
      );
    const by = compile(s.other, { sources, what: w }).fn;
    return (f, env) => {
      const n = by(f, env);
      if (n === null) return [];
      checkScalar(t, c, n);
      return increment(c, s.op === "+" ? (n as number) : -(n as number));
    };
  }
  if (c.kind === "set") {
    const s = selfOp(c, e, ["+", "-"]);
    if (s) {
      const x = compile(s.other, { sources, what: w }).fn;
      const op = s.op === "+" ? "add" : "remove";
      return (f, env) => {
        const v = x(f, env);
        const els = Array.isArray(v) ? elements(t, c, v) : v === null ? [] : (checkScalar(t, c, v, "expected an element that is"), [v]);
        return els.map((el) => [c.name, op, el] as FieldUpdate);
      };
    }
  }
  if (c.kind === "text") {
    const s = selfOp(c, e, ["||"]);
    if (s) {
      const x = compile(s.other, { sources, what: w }).fn;
      return (f, env, current) => {
        const v = x(f, env);
        if (v === null || v === "") return [];
        if (typeof v !== "string") throw new SqlError("type", `type mismatch: ${t.name}.${describeColumn(c)}: || appends a string, got ${show(v)}`);
        return [[c.name, "insert", s.selfFirst ? (current as string).length : 0, v]];
      };
    }
  }
  const value = valueFn(e, sources, w);
  return (f, env, current) => assign(t, c, value(f, env), c.kind === "mv" ? [] : current);
}

export function planDelete(st: DeleteStatement, schema: SqlSchema): WritePlan {
  const t = schema.table(st.from.name);
  if (st.returning) throw new SqlError("refused", `DELETE FROM ${t.name}: RETURNING is not supported; SELECT the rows first`);
  const sources: Source[] = [{ alias: st.from.alias ?? t.name, table: t }];
  const rowsOf = planRows(sources, [null], st.where, columnsRead(t, [st.where]));
  const keyAt = t.columns.indexOf(t.key.name);
  const dead = deadOp(t);
  return (store, env) => rowsOf(store, env).map((f) => ({ id: idOf(t, f[0]![keyAt]!), updates: [[ROW_FIELD, ...dead]] }));
}

/** The counters of the numbers applyRows would draw, in its order. */
export function deferredCounters(rows: readonly PendingRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.id instanceof Deferred) out.push(r.id.counter);
    for (const [, , ...args] of r.updates) for (const a of args) if (a instanceof Deferred) out.push(a.counter);
  }
  return out;
}

/** Draws the deferred numbers (row by row, in order), then applies every op. */
export function applyRows<E>(store: SqlStore<E>, t: Table, rows: PendingRow[], draw: (counter: string) => number): E[] {
  const resolve = (a: Arg): Value => (a instanceof Deferred ? draw(a.counter) : a);
  // Rows without a NEXTVAL (nearly all) are ready as they are.
  const deferred = rows.some((r) => r.id instanceof Deferred || r.updates.some((u) => u.some((a) => a instanceof Deferred)));
  const ready = !deferred
    ? (rows as { id: string; updates: (readonly [string, string, ...Value[]])[] }[])
    : rows.map((r) => ({
        id: r.id instanceof Deferred ? idOf(t, draw(r.id.counter)) : r.id,
        updates: r.updates.map(([field, op, ...args]) => [field, op, ...args.map(resolve)] as const),
      }));
  const out: E[] = [];
  for (const r of ready) {
    // A row's field updates are one store update where the store takes them together (one delta per row).
    if (store.updateObject && r.updates.length > 1)
      out.push(
        store.updateObject(
          t.name,
          r.id,
          r.updates.map(([field, op, ...args]) => ({ op, args: [field, ...args] })),
        ),
      );
    else for (const [field, op, ...args] of r.updates) out.push(store.update(fieldOp(t, r.id, op, field, ...args)));
  }
  return out;
}
