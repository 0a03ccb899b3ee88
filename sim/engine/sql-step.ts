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
import type { Replica } from "./replica.ts";
import type { FaultEnv } from "./fault-env.ts";

type SqlStep = { sql: string; params?: unknown[] };

export function runSqlStep(sim: FaultEnv, schema: SqlSchema, r: Replica, step: SqlStep, i: number): void {
  const trace = sim.trace;
  if (!r.up) {
    trace.skip(sim.now, r.index, { sql: step.sql }, r.crashed ? "crashed" : "paused");
    return;
  }
  const params = step.params ?? [];
  let counters: string[];
  try {
    counters = database(sim, schema, r, i, null).nextvalsOf(step.sql, params);
  } catch (e) {
    return failed(sim, r, i, e);
  }
  if (counters.length === 0) return execute(sim, schema, r, step, i, null);
  const numbers: (number | null)[] = new Array<number | null>(counters.length);
  let pending = counters.length;
  const epoch = r.epoch;
  const asked = counters.every((name, k) =>
    sim.services?.nextval(r.index, name, (n) => {
      numbers[k] = n;
      if (--pending > 0 || r.epoch !== epoch) return;
      const lost = counters.findIndex((_, j) => numbers[j] === null);
      if (lost >= 0)
        return failed(sim, r, i, new SequencerUnavailableError(`NEXTVAL('${counters[lost]}'): the sequencer did not answer before the timeout (unreachable); nothing was applied`));
      let next = 0;
      execute(sim, schema, r, step, i, { next: () => numbers[next++]! });
    }),
  );
  if (!asked) failed(sim, r, i, new SequencerUnavailableError(`NEXTVAL('${counters[0]}'): the scenario runs no sequencer (declare services.sequencer); nothing was applied`));
}

function execute(sim: FaultEnv, schema: SqlSchema, r: Replica, step: SqlStep, i: number, sequencer: SqlSequencer | null): void {
  try {
    database(sim, schema, r, i, sequencer).sql(step.sql, step.params ?? []);
  } catch (e) {
    failed(sim, r, i, e);
  }
}

function database(sim: FaultEnv, schema: SqlSchema, r: Replica, i: number, sequencer: SqlSequencer | null): SqlDatabase {
  const store = storeOverState(
    sim.stateCrdt as StoreCrdt,
    () => r.state as StoreState,
    (op) => sim.update(r, op, `steps[${i}]`),
  );
  return new SqlDatabase(schema, store, sequencer ? { sequencer } : {});
}

function failed(sim: FaultEnv, r: Replica, i: number, e: unknown): void {
  if (!(e instanceof SqlError)) throw e;
  sim.trace.sqlError(sim.now, r.index, i, e.message);
}
