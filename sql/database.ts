/**
 * SqlDatabase: `db.sql(text, params)` over a SqlStore (a StoreReplica, or the simulator's
 * node). Parameters are $1, $2, … bound to `params` — never spliced into the text. Statements
 * are compiled once per text and cached, so a prepared-statement loop parses nothing.
 *
 * One statement per call: each is atomic in the sense that it is checked whole before any of its
 * field updates is applied. There are no multi-statement transactions (`BEGIN` says why).
 */
import type { Statement } from "pgsql-ast-parser";
import { SequencerUnavailableError, SqlError } from "./errors.ts";
import type { Env } from "./expr.ts";
import { parseSql } from "./parse.ts";
import type { SqlStore } from "./rows.ts";
import type { SqlSchema } from "./schema.ts";
import { planSelect, type Row } from "./select.ts";
import { applyRows, deferredCounters, planDelete, planInsert, planUpdate, type WritePlan } from "./write.ts";

/** Where NEXTVAL takes its numbers: the sequencer service (core's SequencerClient behind a synchronous call), or nothing. */
export interface SqlSequencer {
  /** The next number of a counter; throws (e.g. SequencerUnavailableError) when it cannot get one. */
  next(counter: string): number;
}

export type SqlOptions = { sequencer?: SqlSequencer };

export type SqlResult<E = unknown> =
  | { kind: "rows"; columns: string[]; rows: Row[] }
  /** `count` rows written; `effects`: what each field update returned (a StoreReplica's delta messages, to send to peers). */
  | { kind: "write"; count: number; effects: E[] };

/** A compiled statement: a read that returns rows, or a write planned against one table. */
export type Plan = { kind: "select"; run: (store: SqlStore, env: Env) => { columns: string[]; rows: Row[] } } | { kind: "write"; table: string; run: WritePlan };

export const TRANSACTION_REFUSAL =
  "BEGIN … COMMIT: multi-statement transactions are not available on SQL tables. Each statement is checked whole before any of its field updates applies, and replicas converge (strong eventual consistency), but nothing isolates two statements. Read-atomic multi-key transactions (RAMP-Fast) exist for keys on RAMP shards (services.ramp, docs/services.md), which tables are not; send the statements one by one";

const CACHE_SIZE = 512;

export class SqlDatabase<E = unknown> {
  private readonly plans = new Map<string, Plan>();

  constructor(
    readonly schema: SqlSchema,
    readonly store: SqlStore<E>,
    private readonly options: SqlOptions = {},
  ) {}

  /** Runs one statement. Throws SqlError (nothing applied) on anything wrong with it. */
  sql(text: string, params: readonly unknown[] = []): SqlResult<E> {
    if (!Array.isArray(params)) throw new SqlError("type", `parameters must be an array ($1 is params[0]), got ${typeof params}`);
    const plan = this.prepare(text);
    const env: Env = { params };
    if (plan.kind === "select") return { kind: "rows", ...plan.run(this.store, env) };
    const rows = plan.run(this.store, env);
    const table = this.schema.table(plan.table);
    const effects = applyRows(this.store, table, rows, (counter) => this.nextval(counter));
    return { kind: "write", count: rows.length, effects };
  }

  /**
   * The counters whose numbers the statement would draw with NEXTVAL, in the order it draws them,
   * checking it whole without applying anything (throws its SqlError as `sql` would). A caller
   * whose sequencer answers asynchronously (the simulator's) asks for these, then runs the
   * statement with a sequencer that hands them out.
   */
  nextvalsOf(text: string, params: readonly unknown[] = []): string[] {
    const plan = this.prepare(text);
    if (plan.kind === "select") return [];
    return deferredCounters(plan.run(this.store, { params }));
  }

  /** Compiles a statement (cached by text): names and the subset are checked here, values when it runs. */
  prepare(text: string): Plan {
    const hit = this.plans.get(text);
    if (hit) return hit;
    const plan = compileStatement(text, this.schema);
    if (this.plans.size >= CACHE_SIZE) this.plans.clear();
    this.plans.set(text, plan);
    return plan;
  }

  private nextval(counter: string): number {
    const seq = this.options.sequencer;
    if (!seq)
      throw new SequencerUnavailableError(
        `NEXTVAL('${counter}'): no sequencer is reachable from here; serial numbers need the sequencer service (services.sequencer, docs/services.md)`,
      );
    return seq.next(counter);
  }
}

export function compileStatement(text: string, schema: SqlSchema): Plan {
  const { statements } = parseSql(text);
  const first = statements[0]!;
  if (isTransaction(first) || statements.some(isTransaction)) throw new SqlError("refused", TRANSACTION_REFUSAL);
  if (statements.length > 1) throw new SqlError("refused", `one statement at a time (got ${statements.length}): each statement is applied on its own`);
  return planOf(first, schema);
}

function isTransaction(st: Statement): boolean {
  return st.type === "begin" || st.type === "commit" || st.type === "rollback" || st.type === "start transaction";
}

function planOf(st: Statement, schema: SqlSchema): Plan {
  switch (st.type) {
    case "select":
      return { kind: "select", run: planSelect(st, schema) };
    case "insert":
      return { kind: "write", table: st.into.name, run: planInsert(st, schema) };
    case "update":
      return { kind: "write", table: st.table.name, run: planUpdate(st, schema) };
    case "delete":
      return { kind: "write", table: st.from.name, run: planDelete(st, schema) };
    case "create table":
      throw new SqlError("refused", "CREATE TABLE: tables are fixed when the store is made (SqlSchema.parse(…) gives its type); there is no schema change at run time");
    case "union":
    case "union all":
      throw new SqlError("refused", "UNION is not supported; run the SELECTs one by one");
    case "with":
      throw new SqlError("refused", "WITH (common table expressions) is not supported; use a join on equality, or two statements");
    case "values":
      throw new SqlError("refused", "a bare VALUES list is not supported; INSERT INTO t VALUES (…)");
    default: {
      const t = st.type.toUpperCase();
      const hints: Record<string, string> = {
        "DROP TABLE": "tables are fixed with the store (there is no object delete; DELETE the rows)",
        "ALTER TABLE": "tables are fixed with the store; declare the columns in CREATE TABLE",
        TRUNCATE: "use DELETE FROM t (rows are deleted with the table's policy)",
        "CREATE INDEX": "there are no indexes; a WHERE on the primary key reads one row",
        "CREATE SEQUENCE": "counters live in the sequencer service; use NEXTVAL('name')",
      };
      throw new SqlError("refused", `${t} is not supported${hints[t] ? `: ${hints[t]}` : " (the subset: SELECT, INSERT, UPDATE, DELETE; CREATE TABLE in the schema)"}`);
    }
  }
}
