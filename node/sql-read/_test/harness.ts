/**
 * Test helper: a replica over a SqliteBacking in an in-memory SQLite database, with the read model
 * attached (the node's write path without its disk). `write(fn)` runs `fn` as the node runs a
 * write: in a transaction whose COMMIT is preceded by the backing's flush (where the read model
 * writes the rows of the objects the transaction put).
 */
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
  const write = <T>(fn: () => T): T =>
    db.transaction(() => {
      const out = fn();
      backing.flush();
      return out;
    })();
  return { db, replica, model, write, sql: new SqlDatabase(schema, replica) };
}
