/**
 * Scenarios written in SQL (docs/sql.md): `schema` (CREATE TABLE statements) gives the tables and
 * with them the scenario's CRDT (the store holding them), steps `{ node, sql, params? }` write,
 * and `expect.value` holds queries and the rows every replica must answer:
 * `{ "select": "SELECT …", "rows": [...] }` or a list of them. Every statement is compiled here,
 * so a misspelt column is a load error with its path, not a failure halfway through a run.
 */
import { SqlDatabase, SqlError, SqlSchema } from "../../sql/index.ts";
import { canonicalKey } from "../../core/util/json.ts";
import type { ScenarioIssue } from "./load-errors.ts";
import type { Scenario, SelectExpectation } from "./types.ts";

const CRDT_MISSING = 'required field is missing (a builtin name ("or-set"), {"type": …}, {"module": "./my-crdt.ts"}, or give "schema": ["CREATE TABLE …"] instead)';
const VALUE_SHAPE = 'in a scenario with a schema, expect.value is {"select": "SELECT …", "rows": [...]} (or a list of them)';

/**
 * The schema of a scenario (its `schema` parsed, over its store: `crdt`, when loading filled it
 * in or kept an older copy's), or null when it has none. Call after loading: it was checked then.
 */
export function scenarioSqlSchema(scenario: Pick<Scenario, "schema"> & { crdt?: unknown }): SqlSchema | null {
  return scenario.schema ? overStore(SqlSchema.parse(scenario.schema), scenario.crdt) : null;
}

/** The tables over a store spec's collections (SqlSchema.over), or as parsed when there is none. */
function overStore(schema: SqlSchema, crdt: unknown): SqlSchema {
  const collections = crdt !== null && typeof crdt === "object" ? (crdt as { collections?: unknown }).collections : undefined;
  return collections !== null && typeof collections === "object" ? schema.over(collections as Record<string, unknown>) : schema;
}

/**
 * Checks the SQL of a parsed scenario and fills in `crdt` from its `schema` (in place). A
 * scenario both with a schema and a crdt is accepted only when the crdt is the schema's store
 * (as a copy written beside a run has it).
 */
export function sqlIssues(scenario: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const steps = scenario.steps ?? [];
  if (!scenario.schema) {
    if ((scenario as { crdt?: unknown }).crdt === undefined) issues.push({ path: "crdt", reason: CRDT_MISSING });
    steps.forEach((s, i) => {
      if ("sql" in s) issues.push({ path: `steps[${i}].sql`, reason: 'a sql step needs the scenario\'s "schema" (its CREATE TABLE statements)' });
    });
    return issues;
  }
  const tables: SqlSchema[] = [];
  scenario.schema.forEach((text, i) => {
    try {
      tables.push(SqlSchema.parse(text));
    } catch (e) {
      issues.push({ path: `schema[${i}]`, reason: reasonOf(e) });
    }
  });
  if (issues.length) return issues;
  let schema: SqlSchema;
  try {
    schema = new SqlSchema(tables.flatMap((t) => [...t.tables.values()]));
  } catch (e) {
    return [{ path: "schema", reason: reasonOf(e) }];
  }
  const given = (scenario as { crdt?: unknown }).crdt;
  // A copy written by a build before the enable-wins flag holds add-wins tables' `_row` as MV-registers: still its store.
  if (given !== undefined) schema = overStore(schema, given);
  const spec = schema.storeSpec();
  if (given !== undefined && canonicalKey(given) !== canonicalKey(spec))
    issues.push({ path: "crdt", reason: "the scenario has a schema: leave crdt out (it is the store of the schema's tables)" });
  scenario.crdt = spec;
  // A database over no store: compiling checks names, types of the statement's shape and the subset.
  const db = new SqlDatabase(schema, { object: () => undefined, ids: () => [], update: () => undefined });
  steps.forEach((s, i) => {
    if (!("sql" in s)) return;
    try {
      if (db.prepare(s.sql).kind === "select") issues.push({ path: `steps[${i}].sql`, reason: "a sql step writes (INSERT, UPDATE, DELETE); put a SELECT in expect.value" });
    } catch (e) {
      issues.push({ path: `steps[${i}].sql`, reason: reasonOf(e) });
    }
  });
  const want = scenario.expect?.value;
  if (want !== undefined) {
    const list = Array.isArray(want) ? want : [want];
    list.forEach((q, k) => {
      const at = Array.isArray(want) ? `expect.value[${k}]` : "expect.value";
      if (!isSelectExpectation(q)) {
        issues.push({ path: at, reason: VALUE_SHAPE });
        return;
      }
      try {
        if (db.prepare(q.select).kind !== "select") issues.push({ path: `${at}.select`, reason: "expected a SELECT" });
      } catch (e) {
        issues.push({ path: `${at}.select`, reason: reasonOf(e) });
      }
    });
  }
  return issues;
}

export function isSelectExpectation(v: unknown): v is SelectExpectation {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  return (
    typeof o.select === "string" &&
    Array.isArray(o.rows) &&
    (o.params === undefined || Array.isArray(o.params)) &&
    keys.every((k) => k === "select" || k === "rows" || k === "params")
  );
}

const reasonOf = (e: unknown): string => (e instanceof SqlError ? e.message : `cannot read the SQL: ${e instanceof Error ? e.message : String(e)}`);
