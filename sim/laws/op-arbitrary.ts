/**
 * fast-check arbitraries for a CRDT's op alphabet (its `ops`, the same OpSpec syntax as scenario
 * workloads). This is the public twin of core/_test/op-arbitrary.ts: core may not import sim/
 * (and must not depend on fast-check at run time), so the builtin law tests keep their copy and
 * user-facing tools (`laws`, `explore`) use this one. Both follow the workload generators'
 * meaning of `{ int }`, `{ pick }`, `{ string }`; anything else is a literal.
 */
import fc from "fast-check";
import type { ArgGen, Op, OpSpec } from "../../core/contract.ts";

const only = (g: Record<string, unknown>, key: string) => {
  const keys = Object.keys(g);
  return keys.length === 1 && keys[0] === key;
};

export function argArbitrary(gen: ArgGen): fc.Arbitrary<unknown> {
  if (gen !== null && typeof gen === "object" && !Array.isArray(gen)) {
    const g = gen as Record<string, unknown>;
    if (only(g, "int") && Array.isArray(g.int) && g.int.length === 2) {
      const [min, max] = g.int as [number, number];
      return fc.integer({ min, max });
    }
    if (only(g, "pick") && Array.isArray(g.pick) && g.pick.length > 0) return fc.constantFrom(...(g.pick as unknown[]));
    // A small alphabet on purpose: equal strings (the interesting case for sets and maps) are likely.
    if (only(g, "string") && typeof g.string === "number") return fc.string({ unit: fc.constantFrom(..."abcxyz"), minLength: Math.min(1, g.string), maxLength: g.string });
  }
  return fc.constant(gen);
}

/** One op from the alphabet, weighted like a workload's op mix. */
export function opArbitrary(ops: readonly OpSpec[]): fc.Arbitrary<Op> {
  if (ops.length === 0) throw new Error("the CRDT declares no ops (its `ops` alphabet is empty): nothing to generate");
  return fc.oneof(
    ...ops.map((spec) => ({
      weight: Math.max(1, Math.round(spec.weight ?? 1)),
      arbitrary: fc.tuple(...(spec.args ?? []).map(argArbitrary)).map((args): Op => ({ op: spec.op, args })),
    })),
  );
}
