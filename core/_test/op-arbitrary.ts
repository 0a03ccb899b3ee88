/** fast-check arbitraries for a type's op alphabet (the `ops` of the contract). */
import fc from "fast-check";
import type { ArgGen, Op, OpSpec } from "../contract.ts";

export function argArbitrary(gen: ArgGen): fc.Arbitrary<unknown> {
  if (gen !== null && typeof gen === "object" && !Array.isArray(gen)) {
    const g = gen as Record<string, unknown>;
    const keys = Object.keys(g);
    if (keys.length === 1 && keys[0] === "int" && Array.isArray(g.int)) {
      const [min, max] = g.int as [number, number];
      return fc.integer({ min, max });
    }
    if (keys.length === 1 && keys[0] === "pick" && Array.isArray(g.pick)) return fc.constantFrom(...(g.pick as unknown[]));
    if (keys.length === 1 && keys[0] === "string" && typeof g.string === "number")
      return fc.string({ unit: fc.constantFrom(..."abcxyz"), minLength: 1, maxLength: g.string as number });
  }
  return fc.constant(gen);
}

export function opArbitrary(ops: OpSpec[]): fc.Arbitrary<Op> {
  return fc.oneof(
    ...ops.map((spec) => ({
      weight: spec.weight ?? 1,
      arbitrary: fc.tuple(...(spec.args ?? []).map(argArbitrary)).map((args): Op => ({ op: spec.op, args })),
    })),
  );
}
