/**
 * fast-check arbitraries for a CRDT's op alphabet (its `ops`), for `laws` and `explore`: the
 * mapping of core/arg-gen.ts, so a law run draws the ops a simulation's workload would.
 */
import fc from "fast-check";
import { argArbitraryFrom, opArbitraryFrom } from "../../core/arg-gen.ts";
import type { ArgGen, Op, OpSpec } from "../../core/contract.ts";

export const argArbitrary = (gen: ArgGen) => argArbitraryFrom(fc, gen) as fc.Arbitrary<unknown>;
/** One op from the alphabet, weighted like a workload's op mix. */
export const opArbitrary = (ops: readonly OpSpec[]) => opArbitraryFrom(fc, ops) as fc.Arbitrary<Op>;
