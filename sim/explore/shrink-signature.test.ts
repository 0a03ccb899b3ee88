/**
 * The shrinker keeps a failure's signature, not only its check's name: a run whose first
 * idempotence violation adds an element must not shrink into one whose violation removes one.
 */
import { describe, expect, it } from "vitest";
import type { StateCrdt } from "../../core/contract.ts";
import { differenceOf, disagreementOf } from "../checkers/signature.ts";
import type { Scenario } from "../scenario/types.ts";
import { shrink } from "./shrink.ts";
import { judge } from "./verdict.ts";

/** A set whose merge, given an element it has, duplicates "x" and drops "y": two kinds of non-idempotence. */
const twoFaced: StateCrdt<string[], string[]> = {
  kind: "state",
  name: "two-faced-set",
  ops: [{ op: "add", args: [{ pick: ["y", "x"] }] }],
  init: () => [],
  update(s, op) {
    const e = String(op.args[0]);
    if (!s.includes(e)) s.push(e);
    return { state: s, delta: [e] };
  },
  merge(a, b) {
    for (const e of b) {
      if (!a.includes(e)) a.push(e);
      else if (e === "x") a.push("x");
      else a.splice(a.indexOf(e), 1);
    }
    return a;
  },
  value: (s) => [...s].sort(),
  clone: (s) => [...s],
};

const scenario: Scenario = {
  name: "two-faced",
  nodes: ["n1", "n2"],
  crdt: "two-faced-set",
  network: { latency: { dist: "constant", ms: 5 } },
  steps: [
    { at: 0, node: "n1", op: "add", args: ["x"] },
    { at: 10, node: "n1", op: "add", args: ["y"] },
  ],
  duration: 100,
};

describe("the shrinker keeps the failure's signature", () => {
  it("an idempotence failure that adds an element does not shrink into one that removes one", () => {
    const start = judge(scenario, twoFaced, twoFaced.name).verdict;
    expect(start.signatures[start.failed.indexOf("idempotence")]).toBe("value changed: array gained elements");
    const r = shrink(scenario, twoFaced, twoFaced.name, "idempotence");
    const ops = (r.scenario.steps ?? []).filter((s) => "op" in s);
    expect(ops).toEqual([{ at: 0, node: "n1", op: "add", args: ["x"] }]);
    expect(r.verdict.signatures[r.verdict.failed.indexOf("idempotence")]).toBe("value changed: array gained elements");
    // The same scenario without the "x" still fails idempotence, but of the other kind: not kept.
    const other = judge({ ...scenario, steps: [scenario.steps![1]!] }, twoFaced, twoFaced.name).verdict;
    expect(other.signatures[other.failed.indexOf("idempotence")]).toBe("value changed: array lost elements");
  });

  it("shapes of difference", () => {
    expect(differenceOf("ab", "aqb")).toBe("string gained elements");
    expect(differenceOf("ab", "ba")).toBe("string kept its elements, in another order");
    expect(differenceOf(4, 7)).toBe("number larger");
    expect(differenceOf({ a: 1 }, { a: 2 })).toBe("object gained and lost elements");
    expect(differenceOf(1, "1")).toBe("number became string");
    expect(disagreementOf(4, 7)).toBe(disagreementOf(7, 4));
  });
});
