/**
 * The one reading of an op-argument generator (the `ArgGen` union, core/contract.ts). A scenario's
 * workload, a type's op alphabet, `explore`, `laws` and the loader all parse an argument
 * through `parseArgGen` and interpret the parsed union, so `{ "string": 3 }` means the same
 * thing everywhere: three letters a–z. Anything that is not exactly one of the generator shapes
 * is a literal, passed as it is.
 */
import type { ArgGen, OpSpec } from "./contract.ts";

export type ParsedArgGen =
  { kind: "int"; lo: number; hi: number } | { kind: "pick"; values: readonly unknown[] } | { kind: "string"; length: number } | { kind: "literal"; value: unknown };

/** The letters `{ string: n }` draws from. */
export const ARG_ALPHABET = "abcdefghijklmnopqrstuvwxyz";

/** An object with exactly the one key `key`: `{ int: …, weight: 2 }` is a literal, not a generator. */
function only(x: unknown, key: string): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && keys[0] === key;
}

/**
 * The one parser: what a written generator means. Takes `unknown` because the loader hands it
 * a scenario's JSON before it knows the value is an ArgGen (every value is one: a literal at worst).
 */
export function parseArgGen(gen: unknown): ParsedArgGen {
  if (only(gen, "int") && Array.isArray(gen.int) && gen.int.length === 2) return { kind: "int", lo: gen.int[0] as number, hi: gen.int[1] as number };
  if (only(gen, "pick") && Array.isArray(gen.pick) && gen.pick.length > 0) return { kind: "pick", values: gen.pick as unknown[] };
  if (only(gen, "string") && typeof gen.string === "number") return { kind: "string", length: gen.string };
  return { kind: "literal", value: gen };
}

/**
 * Why a written generator is malformed (the loader reports it on the field), or undefined. A
 * shape that does not parse as a generator but carries one generator key is malformed, not a
 * literal: `{ "int": [5] }` is a mistake, not the value the user meant.
 */
export function argGenProblem(gen: unknown): string | undefined {
  if (only(gen, "int")) {
    const v = gen.int;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isSafeInteger(x))) return '{"int": [lo, hi]} needs two integers';
    if ((v[0] as number) > (v[1] as number)) return `{"int": [${v[0]}, ${v[1]}]}: lo must not exceed hi`;
  } else if (only(gen, "pick")) {
    if (!Array.isArray(gen.pick) || gen.pick.length === 0) return '{"pick": [...]} needs a non-empty array';
  } else if (only(gen, "string")) {
    const n = gen.string;
    if (!Number.isSafeInteger(n) || (n as number) < 0 || (n as number) > 10_000) return '{"string": n} needs a length n in [0, 10000]';
  }
  return undefined;
}

/** The first value of a generator's domain (lo, the first pick, "aaa"): to dry-run an op against the CRDT. */
export function firstValue(g: ParsedArgGen): unknown {
  switch (g.kind) {
    case "int":
      return g.lo;
    case "pick":
      return g.values[0];
    case "string":
      return ARG_ALPHABET[0]!.repeat(Math.max(0, Math.ceil(g.length)));
    case "literal":
      return g.value;
  }
}

/** An op's relative frequency in a mix (default 1). */
export const opWeight = (spec: OpSpec): number => spec.weight ?? 1;

/**
 * The mix's weights as positive integers in (nearly) the same proportions, for generators that
 * take only integers (fast-check's `oneof`). Integer weights are kept as they are.
 */
export function integerWeights(ops: readonly OpSpec[]): number[] {
  const w = ops.map(opWeight);
  if (w.every((x) => Number.isInteger(x) && x > 0)) return w;
  const top = Math.max(...w);
  return w.map((x) => Math.max(1, Math.round((1000 * x) / top)));
}

/**
 * The part of fast-check the mapping below calls. Typed by shape, not imported: core may not
 * depend on fast-check outside its tests, and both core's law tests and the `laws` command
 * (sim/laws/op-arbitrary.ts) must map generators the same way, so they pass `fc` in.
 */
type FastCheck = {
  integer(c: { min: number; max: number }): any;
  constantFrom(...values: any[]): any;
  constant(value: unknown): any;
  string(c: { unit: any; minLength: number; maxLength: number }): any;
  tuple(...parts: any[]): any;
  oneof(...weighted: { weight: number; arbitrary: any }[]): any;
};

/** One argument's arbitrary: the generator's meaning above, in fast-check's terms. */
export function argArbitraryFrom(fc: FastCheck, gen: ArgGen): unknown {
  const g = parseArgGen(gen);
  if (g.kind === "int") return fc.integer({ min: g.lo, max: g.hi });
  if (g.kind === "pick") return fc.constantFrom(...g.values);
  if (g.kind === "string") return fc.string({ unit: fc.constantFrom(...ARG_ALPHABET), minLength: g.length, maxLength: g.length });
  return fc.constant(g.value);
}

/** One op from the alphabet, weighted like a workload's op mix (the caller types it: `fc.Arbitrary<Op>`). */
export function opArbitraryFrom(fc: FastCheck, ops: readonly OpSpec[]): unknown {
  if (ops.length === 0) throw new Error("the CRDT declares no ops (its `ops` alphabet is empty): nothing to generate");
  const weights = integerWeights(ops);
  return fc.oneof(
    ...ops.map((spec, i) => ({
      weight: weights[i]!,
      arbitrary: fc.tuple(...(spec.args ?? []).map((a) => argArbitraryFrom(fc, a))).map((args: unknown[]) => ({ op: spec.op, args })),
    })),
  );
}
