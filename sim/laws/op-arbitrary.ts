/**
 * fast-check arbitraries for a CRDT's op alphabet (its `ops`), for `laws` and `explore`, with the
 * meaning of core/arg-gen.ts: a law run draws the ops a simulation's workload would.
 * (core/_test/op-arbitrary.ts does the same for core's tests, which may not import sim/.)
 */
import fc from "fast-check";
import { argArbitraryFrom, integerWeights, type ArbitraryKit } from "../../core/arg-gen.ts";
import type { ArgGen, Op, OpSpec } from "../../core/contract.ts";

const kit: ArbitraryKit<fc.Arbitrary<unknown>> = {
  integer: (min, max) => fc.integer({ min, max }),
  oneOf: (values) => fc.constantFrom(...values),
  letters: (n, alphabet) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: n, maxLength: n }),
  constant: (value) => fc.constant(value),
};

export const argArbitrary = (gen: ArgGen): fc.Arbitrary<unknown> => argArbitraryFrom(kit, gen);

/** One op from the alphabet, weighted like a workload's op mix. */
export function opArbitrary(ops: readonly OpSpec[]): fc.Arbitrary<Op> {
  if (ops.length === 0) throw new Error("the CRDT declares no ops (its `ops` alphabet is empty): nothing to generate");
  const weights = integerWeights(ops);
  return fc.oneof(...ops.map((spec, i) => ({ weight: weights[i]!, arbitrary: fc.tuple(...(spec.args ?? []).map(argArbitrary)).map((args): Op => ({ op: spec.op, args })) })));
}
