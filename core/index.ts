/** The public API of the core library: a curated export list. */
export type {
  Answer,
  AnsweringCrdt,
  AnsweringOpCrdt,
  AnsweringStateCrdt,
  ArgGen,
  ArgLiteral,
  BuiltinCrdt,
  Codec,
  Crdt,
  CrdtOptions,
  Ctx,
  IntArgGen,
  Op,
  OpAnswer,
  OpCrdt,
  OpSpec,
  PickArgGen,
  SequenceTraits,
  StateCrdt,
  StringArgGen,
  TextDelta,
} from "./contract.ts";
export { CrdtError, CrdtOptionError, DecodeError, OpError } from "./errors.ts";
export { crdts, opCrdts, resolveAnyBuiltin, resolveBuiltin, UnknownCrdtError } from "./registry.ts";
export type { BuiltinOpCrdt } from "./crdt/op-builtin.ts";
export { gCounter } from "./crdt/g-counter.ts";
export { pnCounter } from "./crdt/pn-counter.ts";
export { ewFlag } from "./crdt/ew-flag.ts";
export { gSet } from "./crdt/g-set.ts";
export { twoPhaseSet } from "./crdt/two-phase-set.ts";
export { orSet } from "./crdt/or-set.ts";
export { lwwRegister, compareWrites as compareLwwWrites, type LwwRegisterState, type LwwWrite } from "./crdt/lww-register.ts";
export { mvRegister } from "./crdt/mv-register.ts";
export { opCounter } from "./crdt/op-counter.ts";
export { opOrSet } from "./crdt/op-or-set.ts";
export { MemoryStorage, type Durable, type ReplicaStorage } from "./storage.ts";
export { lwwMap } from "./crdt/lww-map.ts";
export { orMapType, type ORMapCrdt } from "./crdt/or-map.ts";
export { recordType, conflicts, DEFAULT_RECORD_FIELDS, type RecordCrdt } from "./crdt/record.ts";
export { rga, RgaState } from "./crdt/rga.ts";
export { lseq, LSeqState } from "./crdt/lseq.ts";
export { storeType, StoreReplica, StoreError, MemoryBacking, storeCodecs, digestJson, txnKey, MAX_TXN_UPDATES, DEFAULT_STORE_COLLECTIONS } from "./store/index.ts";
export type { StoreCrdt, StoreState, StoreValue, StoreDigest, DeltaMessage, SyncMessage, StoreBacking, LoggedDelta, ObjectUpdate, TxnMeta, TxnMember } from "./store/index.ts";
export type { Conflict } from "./crdt/_internals/nested.ts";
export { VersionVector, type Ordering } from "./clock/version-vector.ts";
export { type Dot, dotKey, compareDots } from "./clock/dot.ts";
export { CausalContext } from "./clock/causal-context.ts";
export { versionVectorCodec, causalContextCodec } from "./clock/codec.ts";
export { HybridLogicalClock, compareHlc, type Hlc } from "./clock/hlc.ts";
export type { Json } from "./util/json.ts";
export { canonicalKey } from "./util/json.ts";
// Types that appear in the signatures above, exported so a user can name them (and the API
// reference can link them: typedoc's validation fails on a public signature naming a type that is not exported).
export type { RecordState, RecordValue } from "./crdt/record.ts";
export type { ORMapState } from "./crdt/or-map.ts";
export type { TypeSpec, Composite, Resolve } from "./crdt/_internals/nested.ts";
export type { CausalContextJson } from "./clock/causal-context.ts";
export type { StoreCodecs, SyncObject, SyncPart } from "./store/messages.ts";
export type { ServerRequest, ServerReply, Outgoing as RampOutgoing, ReadItem as RampReadItem } from "./ramp/messages.ts";
export type { Prepare as RampPrepare, Commit as RampCommit, Put as RampPut, Get as RampGet } from "./ramp/messages.ts";
export type { Prepared as RampPrepared, Committed as RampCommitted, Values as RampValues } from "./ramp/messages.ts";
export type { RampStorage, RampRecord, RampSnapshot, StoredVersion as RampStoredVersion } from "./ramp/durable.ts";
export type { Outgoing as SequencerOutgoing } from "./sequencer/messages.ts";
export type { Segment as ORMapSegment } from "./crdt/or-map.ts";
export type { RampStep } from "./ramp/client.ts";
export type { RampServerStep } from "./ramp/server.ts";
export type { CheckResult as RampCheckResult } from "./ramp/history.ts";
export type { CheckResult as SequencerCheckResult } from "./sequencer/history.ts";
export type { SeqStep } from "./sequencer/server.ts";
export type { ClientStep } from "./sequencer/client.ts";
export { Sequencer, SequencerClient, SequencerError, sequencerUnique, sequencerMonotonic, parseNextRequest, parseAssigned } from "./sequencer/index.ts";
export type { SequencerOptions, SequencerStorage, SequencerClientOptions, NextRequest, Assigned, SequencerMessage, SeqRecord, SeqSnapshot, SeqEvent } from "./sequencer/index.ts";
export { RampServer, RampClient, RampError, BOTTOM, compareTs, tsKey, parseServerRequest, parseServerReply, repairs, readAtomic } from "./ramp/index.ts";
export type { RampServerOptions, RampClientOptions, Ts, Version, Write, RampMessage, RampEvent, ReadVersion } from "./ramp/index.ts";
// The checksum of every frame: node/protocol ends its own frames with it too.
export { crc32c } from "./encoding/crc32c.ts";
// The binary primitives every codec is written with; the node's wire frames use them too.
export { Reader } from "./encoding/reader.ts";
export { Writer } from "./encoding/writer.ts";
