/**
 * expected-value: every replica's final value equals the scenario's `expect.value`. In a
 * scenario written in SQL it is queries instead (`{ "select": …, "rows": […] }`, or a list of
 * them): every replica must answer each with exactly those rows.
 */
import type { StoreCrdt, StoreState } from "../../core/index.ts";
import { canonicalKey } from "../../core/util/json.ts";
import { SqlDatabase, SqlError, type SqlSchema, storeOverState } from "../../sql/index.ts";
import type { CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";
import type { SelectExpectation } from "../scenario/types.ts";

export function expectedValue(replicas: readonly Replica[], want: unknown, expected: boolean): CheckResult {
  const wantKey = canonicalKey(want);
  const wrong = replicas.filter((r) => canonicalKey(r.value()) !== wantKey);
  if (wrong.length === 0) return { name: "expected-value", ok: true, expected, detail: `every replica shows ${wantKey}` };
  const got = wrong.map((r) => `${r.name} = ${r.valueJson()}`).join("; ");
  return { name: "expected-value", ok: false, expected, detail: `expected ${wantKey}; ${got}` };
}

/** The SQL form: each query's rows on every replica (the loader checked the queries compile). */
export function expectedRows(replicas: readonly Replica[], crdt: StoreCrdt, schema: SqlSchema, want: SelectExpectation | SelectExpectation[], expected: boolean): CheckResult {
  const queries = Array.isArray(want) ? want : [want];
  const problems: string[] = [];
  for (const q of queries) {
    const wantKey = canonicalKey(q.rows);
    for (const r of replicas) {
      const db = new SqlDatabase(
        schema,
        storeOverState(
          crdt,
          () => r.state as StoreState,
          () => {
            throw new Error("expected-value: a SELECT does not write");
          },
        ),
      );
      let got: string;
      try {
        const res = db.sql(q.select, q.params ?? []);
        got = canonicalKey(res.kind === "rows" ? res.rows : []);
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        got = `error: ${e.message}`;
      }
      if (got !== wantKey) problems.push(`${r.name}: ${q.select} → ${got}`);
    }
  }
  const all = queries.map((q) => `${q.select} → ${canonicalKey(q.rows)}`).join("; ");
  if (problems.length === 0) return { name: "expected-value", ok: true, expected, detail: `every replica answers ${all}` };
  return { name: "expected-value", ok: false, expected, detail: `expected ${all}; ${problems.join("; ")}` };
}
