/** Test helper: the SQLite NodeStore with its connection, for tests outside node/ that inject disk faults (the public API types it as NodeStore). */
export { openNodeStore, type SqliteNodeStore } from "../storage/index.ts";
