/**
 * Fuzzing the loader: whatever the input — random JSON, a valid scenario with one field
 * replaced, deleted or added, or scenario text with a character changed — loading either
 * succeeds or throws a ScenarioError. Never a TypeError, never a stack trace.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { IssueError, opIssues, resolveBuiltinSpec } from "./load-crdt.ts";
import { ScenarioError } from "./load-errors.ts";
import { parseScenario, validateScenario } from "./load.ts";

/** The loader pipeline, synchronous for builtins (plugins are covered by load.test.ts). */
function load(input: unknown): void {
  const s = validateScenario(input, { file: "fuzz.json" });
  if (typeof s.crdt === "object" && "module" in s.crdt) return;
  try {
    const issues = opIssues(s, resolveBuiltinSpec(s.crdt as string));
    if (issues.length) throw new ScenarioError("fuzz.json", issues);
  } catch (e) {
    if (e instanceof IssueError) throw new ScenarioError("fuzz.json", e.issues);
    throw e;
  }
}

const onlyScenarioErrors = (f: () => void) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    expect(e.message).not.toContain("\n");
    // validateScenario turns its own crashes into "cannot validate: …"; none may happen.
    expect(e.issues.map((i) => i.reason).join("|")).not.toMatch(/cannot validate/);
  }
};

const valid: Record<string, unknown>[] = [
  JSON.parse(readFileSync(new URL("../../scenarios/pn-counter-duplication.json", import.meta.url), "utf8")),
  {
    name: "rich", nodes: ["a", "b", "c"], crdt: { type: "lww-register", clock: "physical" }, seed: 4,
    sync: { mode: "state", antiEntropyMs: 100 },
    network: { latency: { dist: "pareto", scale: 10, shape: 1.5, max: 200 }, loss: 0.1, fifo: true, partitionMode: "hold" },
    clocks: { b: { skew: -3000, drift: 0.001 } },
    steps: [
      { at: 0, node: "a", op: "set", args: ["x"] }, { at: 10, partition: [["a"], ["b", "c"]] },
      { at: 20, cut: [["a", "b"]] }, { at: 30, heal: true }, { at: 40, crash: "c" }, { at: 50, restart: "c" },
      { at: 60, pause: "b" }, { at: 70, resume: "b" }, { at: 80, clockJump: { node: "a", by: -500 } },
    ],
    workload: { from: 0, to: 900, ratePerNode: 5, ops: [{ op: "set", args: [{ pick: [1, 2] }], weight: 2 }], nodes: ["a"] },
    nemesis: { partitions: { every: 300, duration: [50, 100], shape: "ring" } },
    duration: 1000,
    expect: { checks: { convergence: true, "no-lost-writes": false }, value: "x" },
  },
];

type Mutation = { path: (string | number)[]; kind: "set" | "delete"; value: unknown };

/** Applies a mutation at a path chosen by indices into whatever keys exist there. */
function mutate(root: unknown, picks: number[], kind: Mutation["kind"], value: unknown): unknown {
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (let d = 0; d < picks.length; d++) {
    if (node === null || typeof node !== "object") break;
    const keys = Object.keys(node as object);
    if (keys.length === 0) break;
    const key = keys[picks[d]! % keys.length]!;
    const child = (node as Record<string, unknown>)[key];
    const last = d === picks.length - 1 || child === null || typeof child !== "object";
    if (last) {
      if (kind === "delete") delete (node as Record<string, unknown>)[key];
      else (node as Record<string, unknown>)[key] = value;
      return copy;
    }
    node = child;
  }
  return copy;
}

describe("loader fuzz", () => {
  it("random JSON values: only ScenarioError", () => {
    checkProperty(fc.property(fc.jsonValue(), (v) => onlyScenarioErrors(() => load(v))), { numRuns: 500 });
  });

  it("valid scenarios with a field replaced or deleted: only ScenarioError", () => {
    const arb = fc.record({
      which: fc.nat(valid.length - 1),
      picks: fc.array(fc.nat(20), { minLength: 1, maxLength: 5 }),
      kind: fc.constantFrom<Mutation["kind"]>("set", "delete"),
      value: fc.oneof(fc.jsonValue(), fc.integer(), fc.constantFrom(-1, 0, 1e300, "", "a", "carol", null, [], {})),
    });
    checkProperty(fc.property(arb, ({ which, picks, kind, value }) => onlyScenarioErrors(() => load(mutate(valid[which], picks, kind, value)))), {
      numRuns: 2000,
    });
  });

  it("valid scenario text with characters changed: only ScenarioError", () => {
    const texts = valid.map((v) => JSON.stringify(v, null, 1));
    const arb = fc.record({ which: fc.nat(texts.length - 1), at: fc.nat(), del: fc.nat(3), ins: fc.string({ maxLength: 3 }) });
    checkProperty(
      fc.property(arb, ({ which, at, del, ins }) => {
        const t = texts[which]!;
        const i = at % (t.length + 1);
        onlyScenarioErrors(() => parseScenario(t.slice(0, i) + ins + t.slice(i + del), { file: "fuzz.json" }));
      }),
      { numRuns: 2000 },
    );
  });

  it("the unmutated scenarios load", () => {
    for (const v of valid) expect(() => load(v)).not.toThrow();
  });
});
