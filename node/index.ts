/** The node's public API: run a node in this process (openNode) or talk to one (connect). */
export { openNode, DEFAULT_SCHEMA, type Node, type NodeOptions, type NodeStats } from "./node.ts";
export { connect, type Client } from "./client.ts";
export { RequestError, type NodeApi } from "./api.ts";
export { openMemoryStore, MemoryNodeStore, type NodeStoreLike } from "./storage/memory-store.ts";
export type { NodeStore, NodeStoreOptions, SyncPolicy } from "./storage/node-store.ts";
export { PROTOCOL_VERSION, schemaFingerprint, frameCodec, type Change, type Frame } from "./protocol/index.ts";
