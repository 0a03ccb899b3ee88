/**
 * A scenario step written in SQL (`{ "node": "alice", "sql": "UPDATE …" }`): the statement runs
 * on the node's store through sql/ and each field update it makes goes the way of an `op` step
 * (traced, checked, sent as a delta). The loader compiled every statement already; what can
 * still fail is what depends on the node's data at that moment (an INSERT of a key the node
 * already has): the statement then applies nothing and the trace says why (`sql-error`).
 *
 * NEXTVAL: the sequencer (services.sequencer) answers over the simulated network, so a statement
 * that needs numbers first asks for them — one request per NEXTVAL — and runs when all have
 * arrived, with those numbers. Where the sequencer is unreachable (a request reported
 * unavailable), or the scenario has none, the statement applies nothing (`sql-error`); if the
 * node crashes meanwhile, the statement dies with its client process.
 */
import type { StoreCrdt, StoreState } from "../../core/index.ts";
import { SequencerUnavailableError, SqlDatabase, SqlError, type SqlSchema, type SqlSequencer, storeOverState } from "../../sql/index.ts";
import type { Op } from "../../core/contract.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { ServiceHooks } from "./service-hooks.ts";
import type { Trace } from "./trace.ts";

/** What a SQL step may use of the run: the store type, the clock, the trace, the update path, the sequencer. */
export interface SqlStepEnv {
  readonly crdt: StoreCrdt;
  readonly schema: SqlSchema;
  readonly time: TimeSource;
  readonly trace: Pick<Trace, "skip" | "sqlError">;
  update(r: Replica, op: Op, origin: string): void;
  services(): ServiceHooks | null;
}

type SqlStep = { sql: string; params?: unknown[] };

export function runSqlStep(env: SqlStepEnv, r: Replica, step: SqlStep, i: number): void {
  const schema = env.schema;
  const trace = env.trace;
  if (!r.up) {
    trace.skip(env.time.now, r.index, { sql: step.sql }, r.crashed ? "crashed" : "paused");
    return;
  }
  const params = step.params ?? [];
  let counters: string[];
  try {
    counters = database(env, schema, r, i, null).nextvalsOf(step.sql, params);
  } catch (e) {
    return failed(env, r, i, e);
  }
  if (counters.length === 0) return execute(env, schema, r, step, i, null);
  const numbers: (number | null)[] = new Array<number | null>(counters.length);
  let pending = counters.length;
  const epoch = r.epoch;
  const asked = counters.every((name, k) =>
    env.services()?.nextval(r.index, name, (n) => {
      numbers[k] = n;
      if (--pending > 0 || r.epoch !== epoch) return;
      const lost = counters.findIndex((_, j) => numbers[j] === null);
      if (lost >= 0)
        return failed(env, r, i, new SequencerUnavailableError(`NEXTVAL('${counters[lost]}'): the sequencer did not answer before the timeout (unreachable); nothing was applied`));
      let next = 0;
      execute(env, schema, r, step, i, { next: () => numbers[next++]! });
    }),
  );
  if (!asked) failed(env, r, i, new SequencerUnavailableError(`NEXTVAL('${counters[0]}'): the scenario runs no sequencer (declare services.sequencer); nothing was applied`));
}

function execute(env: SqlStepEnv, schema: SqlSchema, r: Replica, step: SqlStep, i: number, sequencer: SqlSequencer | null): void {
  try {
    database(env, schema, r, i, sequencer).sql(step.sql, step.params ?? []);
  } catch (e) {
    failed(env, r, i, e);
  }
}

function database(env: SqlStepEnv, schema: SqlSchema, r: Replica, i: number, sequencer: SqlSequencer | null): SqlDatabase {
  const store = storeOverState(
    env.crdt,
    () => r.state as StoreState,
    (op) => env.update(r, op, `steps[${i}]`),
  );
  return new SqlDatabase(schema, store, sequencer ? { sequencer } : {});
}

function failed(env: SqlStepEnv, r: Replica, i: number, e: unknown): void {
  if (!(e instanceof SqlError)) throw e;
  env.trace.sqlError(env.time.now, r.index, i, e.message);
}
