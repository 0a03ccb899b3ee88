/**
 * Keeps a read model in step with a node's store: the objects the store's backing writes are
 * noted (SqliteBacking.onPut) and their rows written once each, with their values as they stand,
 * just before the transaction's COMMIT (SqliteBacking.onFlush) — so the model is exactly as
 * durable as the store: a rolled-back transaction rolls its rows back too, and after a crash the
 * model is never ahead of or behind the objects. Once per commit, not once per put: a SQL UPDATE
 * of two columns puts its record three times (two fields and the row marker), and a group commit
 * may touch a record many times; each costs a record value and an upsert. A write rolled back on
 * its own (its savepoint) leaves its note behind: the row is written with the value the object
 * has after the undo, which is what the store holds.
 */
import type { StoreReplica } from "../../core/index.ts";
import type { SqlSchema } from "../../sql/index.ts";
import type Database from "better-sqlite3";
import type { SqliteBacking } from "../storage/sqlite-backing.ts";
import { createSqlReadModel, type SqlReadModel } from "./read-model.ts";

/** A read model over `node`'s database (a SqliteNodeStore), kept in step with every write of `replica` (a StoreReplica over `node.backing`). */
export function attachSqlReadModel(node: { db: Database.Database; backing: SqliteBacking }, schema: SqlSchema, replica: StoreReplica): SqlReadModel & { detach(): void } {
  const model = createSqlReadModel(node.db, schema, replica);
  const dirty = new Map<string, Set<string>>();
  const stopPut = node.backing.onPut((collection, id) => {
    if (!schema.tables.has(collection)) return;
    let ids = dirty.get(collection);
    if (!ids) dirty.set(collection, (ids = new Set()));
    ids.add(id);
  });
  const stopFlush = node.backing.onFlush(() => {
    // A throw here fails the COMMIT (rolled back, the notes kept): the next commit writes them.
    for (const [collection, ids] of dirty) for (const id of ids) model.apply(collection, id, replica.object(collection, id));
    dirty.clear();
  });
  const detach = () => {
    stopPut();
    stopFlush();
  };
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
