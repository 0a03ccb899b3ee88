/** Test helper: a replica over a SqliteBacking in an in-memory SQLite database, with the read model attached (the node's write path without its disk). */
import Database from "better-sqlite3";
import { resolveBuiltin, StoreReplica, type StoreCrdt } from "../../../core/index.ts";
import { SqlDatabase, type SqlSchema } from "../../../sql/index.ts";
import { CREATE_TABLES } from "../../storage/format.ts";
import { SqliteBacking } from "../../storage/sqlite-backing.ts";
import { attachSqlReadModel } from "../attach.ts";

export function memoryNode(schema: SqlSchema, id: string, now: () => number) {
  const db = new Database(":memory:");
  db.exec(CREATE_TABLES);
  const crdt = resolveBuiltin(schema.storeSpec()) as StoreCrdt;
  const backing = new SqliteBacking(db, crdt, 1000);
  const replica = new StoreReplica(id, crdt, now, backing);
  const model = attachSqlReadModel({ db, backing }, schema, replica);
  return { db, replica, model, sql: new SqlDatabase(schema, replica) };
}
