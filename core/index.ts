/** The public API of the core library: a curated export list. */
export type { ArgGen, BuiltinCrdt, Codec, Crdt, CrdtOptions, Ctx, Op, OpCrdt, OpSpec, StateCrdt } from "./contract.ts";
export { CrdtError, CrdtOptionError, DecodeError, OpError } from "./errors.ts";
export { crdts, resolveBuiltin, UnknownCrdtError } from "./registry.ts";
export { gCounter } from "./crdt/g-counter.ts";
export { pnCounter } from "./crdt/pn-counter.ts";
export { gSet } from "./crdt/g-set.ts";
export { twoPhaseSet } from "./crdt/two-phase-set.ts";
export { orSet } from "./crdt/or-set.ts";
export { lwwRegister } from "./crdt/lww-register.ts";
export { mvRegister } from "./crdt/mv-register.ts";
export { VersionVector, type Ordering } from "./clock/version-vector.ts";
export { type Dot, dotKey, compareDots } from "./clock/dot.ts";
export { CausalContext } from "./clock/causal-context.ts";
export { versionVectorCodec, causalContextCodec } from "./clock/codec.ts";
export { HybridLogicalClock, compareHlc, type Hlc } from "./clock/hlc.ts";
export type { Json } from "./util/json.ts";
