import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "./load-errors.ts";
import { loadScenario, parseScenario, portableScenario, prepareScenario } from "./load.ts";
import { crdts, opCrdts } from "../../core/registry.ts";

const BUILTINS = [...Object.keys(crdts), ...Object.keys(opCrdts)].join(", ");

const base = { name: "t", nodes: ["alice", "bob"], crdt: "2p-set", duration: 1000 };

async function problem(input: unknown, baseDir?: string): Promise<string> {
  try {
    await prepareScenario(input, baseDir ? { file: "s.json", baseDir } : { file: "s.json" });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message;
  }
  throw new Error("expected a ScenarioError");
}

describe("scenario validation names the field and the reason", () => {
  const cases: [string, unknown, string][] = [
    [
      "undeclared node in a partition",
      { ...base, steps: [{ at: 0, partition: [["alice"], ["carol"]] }] },
      's.json: steps[0].partition: node "carol" is not declared (nodes: alice, bob)',
    ],
    [
      "unordered times",
      {
        ...base,
        steps: [
          { at: 5, heal: true },
          { at: 3, heal: true },
        ],
      },
      "s.json: steps[1].at: times must be non-decreasing (3 comes after 5)",
    ],
    ["negative time", { ...base, steps: [{ at: -5, crash: "bob" }] }, "s.json: steps[0].at: times must be non-negative integers (virtual ms)"],
    ["time beyond duration", { ...base, steps: [{ at: 5000, crash: "bob" }] }, "s.json: steps[0].at: time 5000 is beyond duration 1000"],
    ["misspelt action", { ...base, steps: [{ at: 5, crsh: "bob" }] }, 's.json: steps[0].crsh: unknown key "crsh" (did you mean "crash"?)'],
    ["two actions in a step", { ...base, steps: [{ at: 5, crash: "bob", heal: true }] }, 's.json: steps[0]: a step takes exactly one action; this one has "crash" and "heal"'],
    ["unknown op", { ...base, steps: [{ at: 5, node: "bob", op: "push", args: [1] }] }, 's.json: steps[0].op: unknown op "push" for 2p-set (ops: add, remove)'],
    ["bad args (dry run)", { ...base, steps: [{ at: 5, node: "bob", op: "add", args: [] }] }, 's.json: steps[0].args: op "add": expects 1 argument, got 0'],
    ["misspelt op key", { ...base, steps: [{ at: 5, node: "bob", opp: "add" }] }, 's.json: steps[0].opp: unknown key "opp" (did you mean "op"?)'],
    ["duplicate node", { ...base, nodes: ["a", "b", "a"] }, 's.json: nodes[2]: duplicate node "a"'],
    [
      "undeclared node in a named message fate",
      { ...base, network: { fates: { lost: [{ from: "alice", to: "carol", at: 0 }] } } },
      's.json: network.fates.lost[0].to: node "carol" is not declared (nodes: alice, bob)',
    ],
    [
      "a named message fate with a negative rank",
      { ...base, network: { fates: { duplicated: [{ from: "alice", to: "bob", at: 0, nth: -1 }] } } },
      "s.json: network.fates.duplicated[0].nth: ",
    ],
    [
      "a message to its sender",
      { ...base, network: { fates: { lost: [{ from: "bob", to: "bob", at: 3 }] } } },
      's.json: network.fates.lost[0]: a message goes from one node to another, not from "bob" to itself',
    ],
    ["probability", { ...base, network: { loss: 1.5 } }, "s.json: network.loss: a probability must be in [0, 1]"],
    [
      "unknown latency",
      { ...base, network: { latency: { dist: "gauss" } } },
      's.json: network.latency.dist: expected one of "constant", "uniform", "normal", "exponential", "pareto", got "gauss"',
    ],
    ["missing field", { ...base, network: { latency: { dist: "uniform", min: 5 } } }, "s.json: network.latency.max: required field is missing (expected number)"],
    ["unknown check", { ...base, expect: { checks: { convergance: true } } }, 's.json: expect.checks.convergance: unknown check "convergance"'],
    ["unknown CRDT", { ...base, crdt: "nope" }, 's.json: crdt: unknown CRDT "nope"'],
    ["bad builtin option", { ...base, crdt: { type: "lww-register", clock: "sundial" } }, 's.json: crdt.clock: must be "hlc" or "physical", got "sundial"'],
    ["crdt of no known form", { ...base, crdt: 5 }, "s.json: crdt: expected a builtin name"],
    ["missing plugin", { ...base, crdt: { module: "./nope.ts" } }, 's.json: crdt.module: cannot find plugin "./nope.ts"'],
    ["misspelt top-level key", { ...base, durration: 5 }, 's.json: durration: unknown key "durration" (did you mean "duration"?)'],
    [
      "bad arg generator",
      { ...base, workload: { ratePerNode: 5, ops: [{ op: "add", args: [{ int: [5, 1] }] }] } },
      's.json: workload.ops[0].args[0]: {"int": [5, 1]}: lo must not exceed hi',
    ],
    ["workload op of another type", { ...base, workload: { ratePerNode: 5, ops: [{ op: "inc", args: [1] }] } }, 's.json: workload.ops[0].op: unknown op "inc" for 2p-set'],
    ["undeclared clock", { ...base, clocks: { carol: { skew: 5 } } }, 's.json: clocks.carol: node "carol" is not declared'],
    ["unsafe name", { ...base, name: "../evil" }, "s.json: name: a name is letters, digits"],
    ["not an object", [], "s.json: expected object, received array"],
    ["dedup outside op mode", { ...base, sync: { dedup: false } }, "s.json: sync.dedup: applies to op mode only"],
    [
      "op-based type in delta mode",
      { ...base, crdt: "op-counter", sync: { mode: "delta" } },
      's.json: sync.mode: op-counter is op-based (kind "op"): it replicates through op mode only, got "delta"',
    ],
    [
      "op-based builtin dry run",
      { ...base, crdt: "op-counter", steps: [{ at: 5, node: "bob", op: "inc", args: [0] }] },
      's.json: steps[0].args: op "inc": amount must be a positive integer, got 0',
    ],
    ["negative sync lag", { ...base, storage: { syncLagMs: -1 } }, "s.json: storage.syncLagMs: times must be non-negative integers"],
    ["clock nemesis that does nothing", { ...base, nemesis: { clocks: { every: 100 } } }, "s.json: nemesis.clocks: give `skew` and/or `jump`"],
    ["upside-down jump range", { ...base, nemesis: { clocks: { every: 100, jump: [5, -5] } } }, "s.json: nemesis.clocks.jump: [lo, hi] is upside down: 5 > -5"],
    // Issue 16: refused up front, naming the field, instead of failing (or misbehaving) at run time.
    [
      "pareto shape that draws infinite latencies",
      { ...base, network: { latency: { dist: "pareto", scale: 10, shape: 1e-9 } } },
      's.json: network.latency.shape: pareto latencies could reach Infinity, over the limit of 1000000000 ms: give "max" to cap them, or keep shape at least 1.205 for scale 10',
    ],
    [
      "exponential mean that draws huge latencies",
      { ...base, network: { latency: { dist: "exponential", mean: 1e8 } } },
      's.json: network.latency.mean: exponential latencies could reach 2.22e+9 ms, over the limit of 1000000000 ms: give "max" to cap them, or keep mean at most 45084220',
    ],
    ["normal sd that draws huge latencies", { ...base, network: { latency: { dist: "normal", mean: 10, sd: 5e8 } } }, "s.json: network.latency.sd: normal latencies could reach"],
    ["latency parameter over the bound", { ...base, network: { latency: { dist: "constant", ms: 1e12 } } }, "s.json: network.latency.ms: must be at most 1000000000 ms"],
    ["clock skew outside ±2^50", { ...base, clocks: { alice: { skew: -9e15 } } }, "s.json: clocks.alice.skew: -9000000000000000 ms is outside ±1125899906842624 ms (±2^50"],
    [
      "clock jumps adding up past 2^50",
      { ...base, steps: [0, 1, 2].map((at) => ({ at, clockJump: { node: "bob", by: 2 ** 49 } })) },
      's.json: steps[2].clockJump.by: node "bob"\'s clock skew and jumps add up to 1688849860263936 ms by here',
    ],
    [
      "clock nemesis jumps adding up past 2^50",
      { ...base, nemesis: { clocks: { every: 1, jump: [0, 2 ** 45] } } },
      "s.json: nemesis.clocks.jump: 1000 jumps of up to 35184372088832 ms can move a clock outside",
    ],
    ["duration past the time bound", { ...base, duration: 9e15 }, "s.json: duration: times must be at most 1000000000000 ms"],
    ["Infinity in op args", { ...base, steps: [{ at: 1, node: "bob", op: "add", args: [Infinity] }] }, "s.json: steps[0].args[0]: Infinity is not a finite number"],
    ["NaN in a number field", { ...base, network: { loss: NaN } }, "s.json: network.loss: NaN is not a finite number"],
    ["-Infinity in expect.value", { ...base, expect: { value: [1, -Infinity] } }, "s.json: expect.value[1]: -Infinity is not a finite number"],
    [
      "an op step with a second action",
      { ...base, steps: [{ at: 1, node: "bob", op: "add", args: [1], heal: true }] },
      's.json: steps[0]: a step takes exactly one action; this one has "op" and "heal"',
    ],
    ["node beside an action that takes none", { ...base, steps: [{ at: 1, node: "bob", crash: "bob" }] }, 's.json: steps[0].node: a "crash" step takes no "node"'],
    ["a format key in the wrong place", { ...base, network: { heal: true } }, 's.json: network.heal: key "heal" does not belong here'],
    [
      "more nodes than the limit",
      { ...base, nodes: Array.from({ length: 1001 }, (_, i) => `n${i}`) },
      "s.json: nodes: 1001 nodes is over the limit of 1000 (raise it with limits.nodes or --max-nodes)",
    ],
    ["upside-down downtime", { ...base, nemesis: { crashes: { every: 100, downtime: [500, 5] } } }, "s.json: nemesis.crashes.downtime: [min, max] is upside down"],
  ];
  for (const [what, input, message] of cases) {
    it(what, async () => {
      expect(await problem(input)).toContain(message);
    });
  }

  it("reports every problem, one line each, the first being the contract's one line", async () => {
    const e = await prepareScenario({ ...base, network: { loss: 2, duplicate: -1 } }, { file: "s.json" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).issues.map((i) => i.path)).toEqual(["network.loss", "network.duplicate"]);
    const lines = (e as ScenarioError).message.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^s\.json: network\.loss: /);
    expect(lines[1]).toMatch(/^s\.json: network\.duplicate: /);
    expect((e as ScenarioError).message).not.toContain("more problem");
  });

  it("did you mean: a misspelt CRDT, op or check name", async () => {
    expect(await problem({ ...base, crdt: "or-sett" })).toBe(`s.json: crdt: unknown CRDT "or-sett" (did you mean "or-set"? builtins: ${BUILTINS})`);
    expect(await problem({ ...base, crdt: { type: "lww-regster" } })).toMatch(/^s\.json: crdt\.type: unknown CRDT "lww-regster" \(did you mean "lww-register"\? builtins: /);
    expect(await problem({ ...base, steps: [{ at: 5, node: "bob", op: "ad", args: [1] }] })).toBe(
      's.json: steps[0].op: unknown op "ad" for 2p-set (did you mean "add"? ops: add, remove)',
    );
    expect(await problem({ ...base, expect: { checks: { convergense: true } } })).toMatch(
      /^s\.json: expect\.checks\.convergense: unknown check "convergense" \(did you mean "convergence"\? checks: convergence, /,
    );
    // Far from every name: no guess, just the list.
    expect(await problem({ ...base, crdt: "b-tree" })).toBe(`s.json: crdt: unknown CRDT "b-tree" (builtins: ${BUILTINS})`);
  });

  it("lists a builtin's op problems beside the file's other problems, in one error", async () => {
    const e = await prepareScenario({ ...base, steps: [{ at: 5, node: "bob", op: "ad", args: [1] }], expect: { checks: { convergense: true } } }, { file: "s.json" }).catch(
      (x: unknown) => x,
    );
    expect((e as ScenarioError).issues.map((i) => i.path)).toEqual(["expect.checks.convergense", "steps[0].op"]);
  });

  it("accepts and drops $schema", async () => {
    const loaded = await prepareScenario({ $schema: "./scenario.schema.json", ...base });
    expect(loaded.scenario).not.toHaveProperty("$schema");
  });
});

describe("loading files and plugins", () => {
  const dir = mkdtempSync(join(tmpdir(), "mc-load-"));
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const scenarioWith = (module: string) => file(`s-${module.replace(/\W/g, "")}.json`, JSON.stringify({ ...base, crdt: { module } }));

  it("a missing file", async () => {
    await expect(loadScenario(join(dir, "absent.json"))).rejects.toThrow(/absent.json: cannot read scenario: no such file/);
  });

  it("malformed JSON names line and column", async () => {
    const f = file("bad.json", '{\n  "name": "x",\n  "nodes": ["a" "b"]\n}');
    await expect(loadScenario(f)).rejects.toThrow(/bad.json: malformed JSON at line 3, column 17/);
  });

  it("a plugin resolves relative to the scenario and is checked against the contract", async () => {
    file(
      "counter.js",
      `export default { kind: "state", name: "js-counter", ops: [{ op: "inc" }], init: () => 0,
      update: (s) => ({ state: s + 1, delta: s + 1 }), merge: (a, b) => Math.max(a, b), value: (s) => s };`,
    );
    const loaded = await loadScenario(scenarioWith("./counter.js"));
    expect(loaded.crdtName).toBe("js-counter");
    expect(portableScenario(loaded, 9).crdt).toEqual({ module: join(dir, "counter.js") });
    expect(portableScenario(loaded, 9).seed).toBe(9);
  });

  const broken: [string, string, RegExp][] = [
    ["throws while loading", 'throw new Error("boom\\nsecond line");', /crdt\.module: plugin "\.\/throws\.js" failed to load: boom second line$/],
    ["has no default export", "export const x = 1;", /crdt\.module: plugin "\.\/nodefault\.js": the default export must be a CRDT object.*no default export/],
    ["lacks merge", 'export default { kind: "state", name: "x", ops: [], init() {}, update() {}, value() {} };', /"merge" must be a function/],
    ["has a bad kind", 'export default { kind: "magic", name: "x", ops: [] };', /kind must be "state" or "op", got "magic"/],
    ["has a bad op alphabet", 'export default { kind: "state", name: "x", ops: [{ op: "inc", weight: -1 }], init() {}, update() {}, merge() {}, value() {} };', /ops\[0\]\.weight/],
    [
      "throws in init",
      'export default { kind: "state", name: "x", ops: [], init() { throw new Error("no init"); }, update() {}, merge() {}, value() {} };',
      /crdt\.module: x: init\("alice"\) threw: no init/,
    ],
  ];
  for (const [what, source, message] of broken) {
    it(`a plugin that ${what}`, async () => {
      const name = `${what
        .replace(/\W/g, "")
        .replace(/^(throwswhileloading)$/, "throws")
        .replace(/^hasnodefaultexport$/, "nodefault")}.js`;
      file(name, source);
      const err = await loadScenario(scenarioWith(`./${name}`)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScenarioError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain("\n");
    });
  }

  it("op names are checked against a plugin's alphabet", async () => {
    file(
      "gc.js",
      `export default { kind: "state", name: "gc", ops: [{ op: "inc" }], init: () => 0,
      update: (s) => ({ state: s + 1, delta: s + 1 }), merge: (a, b) => Math.max(a, b), value: (s) => s };`,
    );
    const f = file("s-gc-ops.json", JSON.stringify({ ...base, crdt: { module: "./gc.js" }, steps: [{ at: 1, node: "bob", op: "dec" }] }));
    await expect(loadScenario(f)).rejects.toThrow(/steps\[0\]\.op: unknown op "dec" for gc \(ops: inc\)/);
  });

  it("parseScenario rejects duplicate keys", () => {
    expect(() => parseScenario('{"name": "a", "name": "b"}', { file: "d.json" })).toThrow('d.json: duplicate key "name"');
  });
});

describe("an optional field given as undefined (a library caller's object; JSON cannot say it)", () => {
  it("means absent: the validated scenario has no such key, however deep", async () => {
    const input = {
      name: "u",
      nodes: ["a", "b"],
      crdt: "g-counter",
      duration: 100,
      seed: undefined,
      network: { loss: undefined },
      steps: [{ at: 1, node: "a", op: "inc", args: [1] }],
    };
    const { scenario } = await prepareScenario(input);
    expect(Object.hasOwn(scenario, "seed")).toBe(false);
    expect(scenario.network && Object.hasOwn(scenario.network, "loss")).toBe(false);
    expect(scenario.steps).toEqual([{ at: 1, node: "a", op: "inc", args: [1] }]);
  });
});
