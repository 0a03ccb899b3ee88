/** fast-check arbitraries for a type's op alphabet, for core's own law tests: core/arg-gen.ts's mapping. */
import fc from "fast-check";
import { argArbitraryFrom, opArbitraryFrom } from "../arg-gen.ts";
import type { ArgGen, Op, OpSpec } from "../contract.ts";

export const argArbitrary = (gen: ArgGen) => argArbitraryFrom(fc, gen) as fc.Arbitrary<unknown>;
export const opArbitrary = (ops: readonly OpSpec[]) => opArbitraryFrom(fc, ops) as fc.Arbitrary<Op>;
