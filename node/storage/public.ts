/**
 * The node's disk as memoconductor/node offers it: `openNodeStore` typed by the NodeStore
 * interface, so the public declarations never name better-sqlite3's types (a TypeScript user
 * needs no @types/better-sqlite3, and one without the native module can still import the node
 * API). The SQLite class itself (SqliteNodeStore, with its connection) stays internal: node's
 * own tests reach it through storage/index.ts or node/_test/.
 */
import type { NodeStore, NodeStoreOptions } from "./node-store.ts";
import { openNodeStore as openSqliteStore } from "./sqlite-store.ts";

/** Opens (or, given a schema, creates) the node store of data directory `dir`; loads better-sqlite3 now, and throws StorageError "better-sqlite3 is not installed: …" without it. */
export const openNodeStore: (dir: string, options?: NodeStoreOptions) => NodeStore = openSqliteStore;

export type { NodeStore, NodeStoreOptions, SyncPolicy } from "./node-store.ts";
export { StorageError, StoreOpenError } from "./errors.ts";
