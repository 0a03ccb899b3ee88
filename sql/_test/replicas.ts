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

/**
 * Like {@link nodes}, over the store an older build made of the same tables: an add-wins table's
 * `_row` an MV-register (before the enable-wins flag); the tables take it from that store spec.
 */
export function legacyNodes(schemaSql: string | string[], names: string[]): Node[] {
  const parsed = SqlSchema.parse(schemaSql);
  const spec = parsed.storeSpec();
  for (const c of Object.values(spec.collections)) c.fields["_row"] = "mv-register";
  const schema = parsed.over(spec.collections);
  return names.map((name) => {
    const replica = new StoreReplica(name, resolveBuiltin(spec), () => 0);
    return { replica, db: new SqlDatabase(schema, replica), out: [] };
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
