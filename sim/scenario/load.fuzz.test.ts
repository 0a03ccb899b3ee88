/**
 * Fuzzing the loader: whatever the input — random JSON, a valid scenario with one field
 * replaced, deleted or added, or scenario text with a character changed — loading either
 * succeeds or throws a ScenarioError. Never a TypeError, never a stack trace.
 *
 * Hostile classes (issue 16) each have their own block below, built from `hostile(...)`: a
 * generator of mutations applied to the valid scenarios, and what a refusal must say. Add a
 * class by adding a block.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { IssueError, opIssues, resolveBuiltinSpec } from "./load-crdt.ts";
import { ScenarioError } from "./load-errors.ts";
import { parseScenario, validateScenario } from "./load.ts";
import { eventLimit, eventLimitIssue } from "./limits.ts";
import type { Scenario } from "./types.ts";

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

/** The message is one `<file>: <path>: <reason>` line per issue (each reason itself one line). */
const expectOneLinePerIssue = (e: ScenarioError) => {
  const lines = e.message.split("\n");
  expect(lines).toHaveLength(e.issues.length);
  for (const line of lines) expect(line.startsWith(`${e.file}: `) || line === e.file).toBe(true);
};

const onlyScenarioErrors = (f: () => void) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    expectOneLinePerIssue(e);
    // validateScenario turns its own crashes into "cannot validate: …"; none may happen.
    expect(e.issues.map((i) => i.reason).join("|")).not.toMatch(/cannot validate/);
  }
};

const valid: Record<string, unknown>[] = [
  JSON.parse(readFileSync(new URL("../../scenarios/pn-counter-duplication.json", import.meta.url), "utf8")),
  {
    name: "rich",
    nodes: ["a", "b", "c"],
    crdt: { type: "lww-register", clock: "physical" },
    seed: 4,
    sync: { mode: "state", antiEntropyMs: 100 },
    network: { latency: { dist: "pareto", scale: 10, shape: 1.5, max: 200 }, loss: 0.1, fifo: true, partitionMode: "hold" },
    clocks: { b: { skew: -3000, drift: 0.001 } },
    steps: [
      { at: 0, node: "a", op: "set", args: ["x"] },
      { at: 10, partition: [["a"], ["b", "c"]] },
      { at: 20, cut: [["a", "b"]] },
      { at: 30, heal: true },
      { at: 40, crash: "c" },
      { at: 50, restart: "c" },
      { at: 60, pause: "b" },
      { at: 70, resume: "b" },
      { at: 80, clockJump: { node: "a", by: -500 } },
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
    checkProperty(
      fc.property(fc.jsonValue(), (v) => onlyScenarioErrors(() => load(v))),
      { numRuns: 500 },
    );
  });

  it("valid scenarios with a field replaced or deleted: only ScenarioError", () => {
    const arb = fc.record({
      which: fc.nat(valid.length - 1),
      picks: fc.array(fc.nat(20), { minLength: 1, maxLength: 5 }),
      kind: fc.constantFrom<Mutation["kind"]>("set", "delete"),
      value: fc.oneof(fc.jsonValue(), fc.integer(), fc.constantFrom(-1, 0, 1e300, "", "a", "carol", null, [], {})),
    });
    checkProperty(
      fc.property(arb, ({ which, picks, kind, value }) => onlyScenarioErrors(() => load(mutate(valid[which], picks, kind, value)))),
      {
        numRuns: 2000,
      },
    );
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

/**
 * The loader pipeline plus the pre-run event check (runLoaded's, without running): what the
 * CLI does before the first event. A scenario passing all of it must be cheap to run.
 */
function admit(input: unknown): Scenario {
  load(input);
  const s = validateScenario(input, { file: "fuzz.json" });
  const issue = eventLimitIssue(s, eventLimit(s, {}, true), true, true);
  if (issue) throw new ScenarioError("fuzz.json", issue);
  return s;
}

/** Every numeric field of a valid scenario, by path (the places a hostile number can go). */
function numericPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === "number") return [path];
  if (v === null || typeof v !== "object") return [];
  return Object.entries(v).flatMap(([k, x]) => numericPaths(x, [...path, Array.isArray(v) ? Number(k) : k]));
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/**
 * A hostile class: `input` mutates a valid scenario; the result is either admitted (and then
 * `admitted` must hold of it) or refused with one ScenarioError naming a path — never another
 * exception — and `refusal` must hold of that error.
 */
function hostile<T>(
  name: string,
  mutation: fc.Arbitrary<T>,
  apply: (base: Record<string, unknown>, m: T) => unknown,
  refusal: (e: ScenarioError, m: T) => void,
  admitted: (s: Scenario) => void,
  numRuns = 300,
) {
  it(name, () => {
    checkProperty(
      fc.property(fc.nat(valid.length - 1), mutation, (which, m) => {
        let s: Scenario;
        try {
          s = admit(apply(valid[which]!, m));
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          expectOneLinePerIssue(e);
          expect(e.issues.map((i) => i.reason).join("|")).not.toMatch(/cannot validate/);
          refusal(e, m);
          return;
        }
        admitted(s);
      }),
      { numRuns },
    );
  });
}

const named = (e: ScenarioError) => expect(e.path).not.toBe("");
/** Admitted means bounded: within the node limit and the traced event limit. */
const bounded = (s: Scenario) => {
  expect(s.nodes.length).toBeLessThanOrEqual(1000);
  expect(eventLimitIssue(s, eventLimit(s, {}, true), true, true)).toBeUndefined();
};

describe("loader fuzz: oversized", () => {
  const big = fc.oneof(
    fc.constantFrom(1e6, 1e9, 1e12, 1e15, 2 ** 53 - 1, 1e300, -1e15),
    fc.integer({ min: 1_000, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ min: 1e3, max: 1e300, noNaN: true }),
  );

  hostile(
    "a huge number at a random numeric field",
    fc.tuple(fc.nat(), big),
    (base, [pick, x]) => {
      const paths = numericPaths(base);
      return setAt(base, paths[pick % paths.length]!, x);
    },
    named,
    bounded,
  );

  hostile(
    "many nodes, a long duration, a high rate",
    fc.record({
      nodes: fc.integer({ min: 1, max: 20_000 }),
      duration: fc.oneof(fc.integer({ min: 1, max: 1e12 }), fc.constant(1e9)),
      rate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })),
    }),
    (base, m) => ({
      ...base,
      nodes: Array.from({ length: m.nodes }, (_, i) => `n${i}`),
      duration: m.duration,
      steps: [],
      clocks: undefined,
      workload: { ratePerNode: m.rate },
      expect: undefined,
    }),
    (e) => {
      named(e);
      expect(e.reason).toMatch(/over the limit of \d+ .*(limits\.nodes|limits\.events)/);
    },
    bounded,
    100,
  );

  hostile(
    "many steps",
    fc.integer({ min: 1_000, max: 200_000 }),
    (base, n) => ({
      ...base,
      nodes: ["a", "b"],
      crdt: "g-counter",
      duration: n,
      clocks: undefined,
      workload: undefined,
      nemesis: undefined,
      expect: undefined,
      steps: Array.from({ length: n }, (_, at) => ({ at, node: at % 2 ? "a" : "b", op: "inc", args: [1] })),
    }),
    (e) => {
      named(e);
      expect(e.reason).toMatch(/over the limit of 1000000 for a traced run/);
    },
    bounded,
    10,
  );

  hostile(
    "huge strings",
    fc.tuple(fc.constantFrom("name", "description", "node", "op", "check"), fc.integer({ min: 1_000, max: 2_000_000 })),
    (base, [where, n]) => {
      const long = "x".repeat(n);
      if (where === "name" || where === "description") return { ...base, [where]: long };
      if (where === "node") return { ...base, nodes: [...(base.nodes as string[]), long] };
      if (where === "op") return { ...base, steps: [{ at: 0, node: (base.nodes as string[])[0], op: long }] };
      return { ...base, expect: { checks: { [long]: true } } };
    },
    named,
    bounded,
    20,
  );
});

describe("loader fuzz: non-finite numbers", () => {
  const nonFinite = fc.constantFrom(Infinity, -Infinity, NaN);

  hostile(
    "Infinity, -Infinity or NaN at a random numeric field",
    fc.tuple(fc.nat(), nonFinite),
    (base, [pick, x]) => {
      const paths = numericPaths(base);
      return setAt(base, paths[pick % paths.length]!, x);
    },
    (e) => {
      named(e);
      expect(e.reason).toMatch(/is not a finite number/);
    },
    () => {
      throw new Error("a non-finite number was admitted");
    },
  );

  it("1e999 and -1e999 in scenario text, at a random numeric literal", () => {
    const texts = valid.map((v) => JSON.stringify(v, null, 1));
    checkProperty(
      fc.property(fc.nat(texts.length - 1), fc.nat(), fc.constantFrom("1e999", "-1e999", "1E+400", "-0.5e99999"), (which, pick, literal) => {
        const t = texts[which]!;
        const numbers = [...t.matchAll(/(?<=[:[,]\s*)-?\d[\d.eE+-]*/g)];
        const m = numbers[pick % numbers.length]!;
        const text = t.slice(0, m.index) + literal + t.slice(m.index! + m[0].length);
        try {
          parseScenario(text, { file: "fuzz.json" });
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          named(e);
          expect(e.reason).toMatch(/is not a finite number/);
          return;
        }
        throw new Error(`${literal} was admitted`);
      }),
      { numRuns: 300 },
    );
  });
});
