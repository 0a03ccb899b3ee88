/**
 * fast-check arbitraries for a type's op alphabet, for core's own law tests, with the meaning of
 * core/arg-gen.ts. The `laws` command's twin is sim/laws/op-arbitrary.ts; core may not import it.
 */
import fc from "fast-check";
import { argArbitraryFrom, integerWeights, type ArbitraryKit } from "../arg-gen.ts";
import type { ArgGen, Op, OpSpec } from "../contract.ts";

const kit: ArbitraryKit<fc.Arbitrary<unknown>> = {
  integer: (min, max) => fc.integer({ min, max }),
  oneOf: (values) => fc.constantFrom(...values),
  letters: (n, alphabet) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: n, maxLength: n }),
  constant: (value) => fc.constant(value),
};

export const argArbitrary = (gen: ArgGen): fc.Arbitrary<unknown> => argArbitraryFrom(kit, gen);

export function opArbitrary(ops: readonly OpSpec[]): fc.Arbitrary<Op> {
  const weights = integerWeights(ops);
  return fc.oneof(...ops.map((spec, i) => ({ weight: weights[i]!, arbitrary: fc.tuple(...(spec.args ?? []).map(argArbitrary)).map((args): Op => ({ op: spec.op, args })) })));
}
