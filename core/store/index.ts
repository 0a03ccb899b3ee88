/** The messaging store: collections of keyed objects, per-collection digests, anti-entropy of what a peer lacks. */
export { storeType, DEFAULT_STORE_COLLECTIONS, type StoreCrdt, type StoreState, type StoreValue, type StoreOptions, type ObjectUpdate } from "./store-crdt.ts";
export { StoreReplica, StoreError } from "./replica.ts";
export { MemoryBacking } from "./memory-backing.ts";
export type { StoreBacking, LoggedDelta } from "./backing.ts";
export {
  storeCodecs,
  digestJson,
  txnKey,
  MAX_TXN_UPDATES,
  type TxnMeta,
  type TxnMember,
  type DeltaMessage,
  type StoreDigest,
  type SyncMessage,
  type SyncPart,
  type SyncObject,
  type StoreCodecs,
} from "./messages.ts";
