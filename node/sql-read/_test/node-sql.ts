/**
 * Test helper: a NodeStore over a SQL schema's store, a StoreReplica on its backing (as
 * ReplicaHost makes it) with the read model attached, and SQL writes run inside store.write.
 */
import { resolveBuiltin, StoreReplica, type StoreCrdt } from "../../../core/index.ts";
import { SqlDatabase, SqlSchema } from "../../../sql/index.ts";
import { openNodeStore, type SyncPolicy } from "../../storage/index.ts";
import { attachSqlReadModel } from "../attach.ts";

export const SCHEMA_SQL = `
  CREATE TABLE customers (id TEXT PRIMARY KEY, phone MV TEXT, email TEXT, views COUNTER, tags SET OF TEXT, notes RGA TEXT, vip BOOLEAN, score REAL, age INTEGER) WITH (deletes = 'add-wins');
  CREATE TABLE orders (no INTEGER PRIMARY KEY, customer TEXT, amount INTEGER) WITH (deletes = 'remove-wins')`;

export function openSqlNode(dir: string, sync: SyncPolicy = { mode: "always" }, schemaSql = SCHEMA_SQL) {
  const schema = SqlSchema.parse(schemaSql);
  const store = openNodeStore(dir, { schema: { collections: schema.storeSpec().collections }, nodeId: "n1", sync });
  let t = 1000;
  const replica = new StoreReplica(store.nodeId, resolveBuiltin(schema.storeSpec()) as StoreCrdt, () => t++, store.backing);
  const model = attachSqlReadModel(store, schema, replica);
  const db = new SqlDatabase(schema, replica);
  /** One statement as a node runs a client's write: durable before it resolves. */
  const write = (text: string, params: unknown[] = []) => store.write(() => db.sql(text, params));
  return { schema, store, replica, model, db, write };
}
