/** The public API of the core library: a curated export list. */
export type { ArgGen, BuiltinCrdt, Codec, Crdt, CrdtOptions, Ctx, Op, OpCrdt, OpSpec, StateCrdt } from "./contract.ts";
export { CrdtError, CrdtOptionError, DecodeError, OpError } from "./errors.ts";
export { crdts, resolveBuiltin, UnknownCrdtError } from "./registry.ts";
export { gCounter } from "./crdt/g-counter.ts";
export { pnCounter } from "./crdt/pn-counter.ts";
export { gSet } from "./crdt/g-set.ts";
export { twoPhaseSet } from "./crdt/two-phase-set.ts";
export { lwwRegister } from "./crdt/lww-register.ts";
export { HybridLogicalClock, compareHlc, type Hlc } from "./clock/hlc.ts";
export type { Json } from "./util/json.ts";
