/**
 * Keeps a read model in step with a node's store: each object the store's backing writes is
 * applied to the model inside the same transaction (SqliteBacking.onPut), so the model is
 * exactly as durable as the store — a rolled-back write rolls its rows back too, and after a
 * crash the model is never ahead of or behind the objects.
 */
import type { StoreReplica } from "../../core/index.ts";
import type { SqlSchema } from "../../sql/index.ts";
import type Database from "better-sqlite3";
import type { SqliteBacking } from "../storage/sqlite-backing.ts";
import { createSqlReadModel, type SqlReadModel } from "./read-model.ts";

/** A read model over `node`'s database (a SqliteNodeStore), kept in step with every write of `replica` (a StoreReplica over `node.backing`). */
export function attachSqlReadModel(node: { db: Database.Database; backing: SqliteBacking }, schema: SqlSchema, replica: StoreReplica): SqlReadModel & { detach(): void } {
  const model = createSqlReadModel(node.db, schema, replica);
  const detach = node.backing.onPut((collection, id, state) => {
    if (schema.tables.has(collection)) model.apply(collection, id, replica.crdt.typeOf(collection).value(state));
  });
  return {
    select: (text, params) => model.select(text, params),
    plan: (text, params) => model.plan(text, params),
    apply: (collection, id, record) => model.apply(collection, id, record),
    rebuild: () => model.rebuild(),
    get exact() {
      return model.exact;
    },
    detach,
  };
}
