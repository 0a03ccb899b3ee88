/**
 * The one reading of an op-argument generator: what each shape means, what is a literal, and
 * that the exported ArgGen union gives a plugin's author type help (the compiler refuses a
 * malformed generator in an `ops` alphabet, as the loader refuses it in a scenario).
 */
import { describe, expect, it } from "vitest";
import { argGenProblem, firstValue, parseArgGen } from "./arg-gen.ts";
import type { ArgGen, OpSpec } from "./index.ts";

describe("parseArgGen", () => {
  it("reads the three generator shapes", () => {
    expect(parseArgGen({ int: [1, 5] })).toEqual({ kind: "int", lo: 1, hi: 5 });
    expect(parseArgGen({ pick: ["a", 2] })).toEqual({ kind: "pick", values: ["a", 2] });
    expect(parseArgGen({ string: 3 })).toEqual({ kind: "string", length: 3 });
  });

  it("takes anything else as a literal, an object with a second key included", () => {
    for (const v of ["x", 7, null, true, [1, 2], { int: [1, 5], weight: 2 }]) expect(parseArgGen(v)).toEqual({ kind: "literal", value: v });
  });

  it("names a generator key with a malformed value as a problem, not a literal", () => {
    expect(argGenProblem({ int: [5] })).toMatch(/two integers/);
    expect(argGenProblem({ int: [5, 1] })).toMatch(/lo must not exceed hi/);
    expect(argGenProblem({ pick: [] })).toMatch(/non-empty/);
    expect(argGenProblem({ string: -1 })).toMatch(/length/);
    expect(argGenProblem("literal")).toBeUndefined();
  });

  it("dry-runs an op with the first value of each domain", () => {
    expect([{ int: [3, 9] }, { pick: ["k"] }, { string: 2 }, "lit"].map((g) => firstValue(parseArgGen(g)))).toEqual([3, "k", "aa", "lit"]);
  });
});

describe("the ArgGen type", () => {
  it("accepts the generator shapes and JSON literals in an op alphabet", () => {
    const ops: OpSpec[] = [
      { op: "set", args: [{ pick: ["name", "email"] }, { string: 3 }], weight: 3 },
      { op: "inc", args: [{ int: [1, 5] }] },
      { op: "tag", args: ["draft", 1, null, [true], { nested: { ok: 1 } }] },
    ];
    expect(ops.flatMap((s) => s.args ?? []).map((g) => parseArgGen(g).kind)).toEqual(["pick", "string", "int", "literal", "literal", "literal", "literal", "literal"]);
  });

  it("refuses a malformed generator at compile time", () => {
    // @ts-expect-error an int generator needs [lo, hi]
    const one: ArgGen = { int: [5] };
    // @ts-expect-error a string generator's length is a number
    const text: ArgGen = { string: "3" };
    // @ts-expect-error a function is no JSON literal
    const fn: ArgGen = () => 1;
    expect([one, text, fn].map((g) => parseArgGen(g).kind)).toEqual(["literal", "literal", "literal"]);
  });
});
