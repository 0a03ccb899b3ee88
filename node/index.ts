/** The node's public API: run a node in this process (openNode) or talk to one (connect). */
export { openNode, DEFAULT_SCHEMA, DEFAULT_SYNC, type Node, type NodeOptions, type NodeStats } from "./node.ts";
export { connect, type Client } from "./client.ts";
export { RequestError, type NodeApi } from "./api.ts";
export { openNodeStore, SqliteNodeStore, StorageError, StoreOpenError, type NodeStore, type NodeStoreOptions, type SyncPolicy } from "./storage/index.ts";
export { PROTOCOL_VERSION, schemaFingerprint, frameCodec, type Change, type Frame } from "./protocol/index.ts";
