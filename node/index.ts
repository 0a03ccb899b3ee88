/**
 * The node's public API (memoconductor/node): run a node in this process (openNode) or talk to
 * one (connect). Importing it loads neither better-sqlite3 (loaded when a store is opened) nor
 * names its types or ws's in these declarations.
 */
export { openNode, DEFAULT_SCHEMA, DEFAULT_SYNC, type Node, type NodeOptions, type NodeStats } from "./node.ts";
export { connect, type Client } from "./client.ts";
export { RequestError, type NodeApi, type SqlAnswer, type ObjectKey, type TxnUpdate } from "./api.ts";
export { openNodeStore, StorageError, StoreOpenError, type NodeStore, type NodeStoreOptions, type SyncPolicy } from "./storage/public.ts";
export { PROTOCOL_VERSION, schemaFingerprint, frameCodec, type Change, type Frame } from "./protocol/index.ts";
export type { Hello, FrameCodec } from "./protocol/frames.ts";
export { ERROR_KINDS, txnUpdatesSchema, objectKeysSchema, type ClientRequest, type ClientResponse, type ErrorKind, type ObjectState, type WriteAck } from "./protocol/requests.ts";
export type { LinkOptions, BackoffOptions } from "./peer/options.ts";
