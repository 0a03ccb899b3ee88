/**
 * Reading one object, or a collection's ids, out of a store replica without computing the whole
 * store's value: through the replica's read helpers, which read its backing (on a node, the
 * SQLite store's cache, else one indexed row), so a get or list touches only what it returns.
 */
import type { StoreReplica } from "../core/index.ts";

/** An object's value (MV fields as sorted arrays), or null when the collection holds no such object. Throws StoreError on an unknown collection. */
export function objectValue(replica: StoreReplica, collection: string, id: string): unknown {
  return replica.object(collection, id) ?? null;
}

/** A collection's object ids, ascending. Throws StoreError on an unknown collection. */
export function objectIds(replica: StoreReplica, collection: string): string[] {
  return replica.ids(collection);
}
