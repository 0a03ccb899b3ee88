/**
 * A scenario step written in SQL (`{ "node": "alice", "sql": "UPDATE …" }`): the statement runs
 * on the node's store through sql/ and each field update it makes goes the way of an `op` step
 * (traced, checked, sent as a delta). The loader compiled every statement already; what can
 * still fail is what depends on the node's data at that moment (an INSERT of a key the node
 * already has): the statement then applies nothing and the trace says why (`sql-error`).
 */
import type { StoreCrdt, StoreState } from "../../core/index.ts";
import { SqlDatabase, SqlError, type SqlSchema, storeOverState } from "../../sql/index.ts";
import type { Replica } from "./replica.ts";
import type { Simulator } from "./simulator.ts";

const dbs = new WeakMap<Replica, SqlDatabase>();

export function runSqlStep(sim: Simulator, schema: SqlSchema, r: Replica, step: { sql: string; params?: unknown[] }, i: number): void {
  const trace = sim.trace;
  const t = sim.now;
  if (!r.up) {
    trace.rare(`{"t":${t},"type":"skip","node":${trace.nodeName(r.index)},"sql":${JSON.stringify(step.sql)},"reason":"${r.crashed ? "crashed" : "paused"}"}`);
    return;
  }
  let db = dbs.get(r);
  if (!db) {
    const store = storeOverState(
      sim.stateCrdt as StoreCrdt,
      () => r.state as StoreState,
      (op) => sim.update(r, op, `steps[${i}]`),
    );
    db = new SqlDatabase(schema, store);
    dbs.set(r, db);
  }
  try {
    db.sql(step.sql, step.params ?? []);
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    trace.rare(`{"t":${t},"type":"sql-error","node":${trace.nodeName(r.index)},"step":${i},"reason":${JSON.stringify(e.message)}}`);
  }
}
