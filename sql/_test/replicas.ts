/** Test helpers: SQL databases over StoreReplicas that exchange their delta messages by hand. */
import { type DeltaMessage, resolveBuiltin, StoreReplica } from "../../core/index.ts";
import { SqlDatabase, type SqlOptions, SqlSchema } from "../index.ts";

export type Node = { replica: StoreReplica; db: SqlDatabase<DeltaMessage>; out: DeltaMessage[] };

/** One node per name over the schema; every write's deltas are kept in `out` (to deliver later). */
export function nodes(schemaSql: string | string[], names: string[], options: SqlOptions = {}, now: () => number = () => 0): Node[] {
  const schema = SqlSchema.parse(schemaSql);
  return names.map((name) => {
    const replica = new StoreReplica(name, resolveBuiltin(schema.storeSpec()), now);
    return { replica, db: new SqlDatabase(schema, replica, options), out: [] };
  });
}

/** Runs a statement on a node and keeps its deltas for the others. */
export function run(n: Node, text: string, params: unknown[] = []) {
  const r = n.db.sql(text, params);
  if (r.kind === "write") n.out.push(...r.effects);
  return r;
}

/** Every node receives every delta of every other node (in the order sent). */
export function syncAll(all: Node[]): void {
  for (const from of all) for (const to of all) if (to !== from) for (const m of from.out) to.replica.receive(m);
  for (const n of all) n.out = [];
}

export function rows(n: Node, text: string, params: unknown[] = []) {
  const r = n.db.sql(text, params);
  if (r.kind !== "rows") throw new Error(`not a SELECT: ${text}`);
  return r.rows;
}
