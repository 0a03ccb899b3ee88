/** The public API of the core library: a curated export list. */
export type { ArgGen, BuiltinCrdt, Codec, Crdt, CrdtOptions, Ctx, Op, OpCrdt, OpSpec, StateCrdt } from "./contract.ts";
export { CrdtError, CrdtOptionError, DecodeError, OpError } from "./errors.ts";
export { crdts, resolveBuiltin, UnknownCrdtError } from "./registry.ts";
export { gCounter } from "./crdt/g-counter.ts";
