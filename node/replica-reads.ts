/**
 * Reading one object, or a collection's ids, out of a store replica without computing the whole
 * store's value. The one place that knows where the replica keeps its objects: today its
 * in-memory `state`; when StoreReplica keeps them behind a StoreBacking, these two functions
 * read the backing instead and nothing else in node/ changes.
 */
import { StoreError, type StoreReplica } from "../core/index.ts";

function objectsOf(replica: StoreReplica, collection: string): Map<string, unknown> | undefined {
  if (!replica.crdt.collections.includes(collection))
    throw new StoreError(`unknown collection ${JSON.stringify(collection)} (the store's collections: ${replica.crdt.collections.join(", ")})`);
  return replica.state.get(collection);
}

/** An object's value, or null when the collection holds no such object. */
export function objectValue(replica: StoreReplica, collection: string, id: string): unknown {
  const state = objectsOf(replica, collection)?.get(id);
  return state === undefined ? null : replica.crdt.typeOf(collection).value(state);
}

/** A collection's object ids, ascending (at most `limit`). */
export function objectIds(replica: StoreReplica, collection: string, limit = Infinity): string[] {
  const objects = objectsOf(replica, collection);
  if (!objects || limit === 0) return [];
  const ids = [...objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.slice(0, limit);
}
