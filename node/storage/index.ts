/** The node's disk: the NodeStore interface and its SQLite implementation. */
export type { NodeStore, NodeStoreOptions, SyncPolicy } from "./node-store.ts";
export { openNodeStore, SqliteNodeStore, DEFAULT_CACHE_OBJECTS } from "./sqlite-store.ts";
export { StorageError, StoreOpenError } from "./errors.ts";
export { DB_FILE, FORMAT_VERSION } from "./format.ts";
