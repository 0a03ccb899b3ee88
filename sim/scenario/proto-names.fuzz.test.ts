/**
 * Fuzzing the loader with prototype-key names (issue 16's hostile class): scenarios whose node
 * names, clocks, record fields, map keys, store collections, set elements and RAMP keys are
 * drawn from "__proto__", "constructor", "toString", … (core/_test/hostile-names.ts), written
 * as JSON text. A scenario that is valid with ordinary names must load with every such key
 * kept (nothing silently dropped: zod leaves "__proto__" out of records) and run, showing every
 * node in `final`; one with such a name where only known names are allowed (a check name, a
 * CRDT option) must be refused with one line naming the field.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOSTILE_KEYS, hostileJson, ownObject, PROTO_KEYS } from "../../core/_test/hostile-names.ts";
import { checkProperty } from "../../core/_test/prop.ts";
import { canonicalKey } from "../../core/util/json.ts";
import { runLoaded } from "../index.ts";
import { IssueError, opIssues, resolveBuiltinSpec } from "./load-crdt.ts";
import { ScenarioError } from "./load-errors.ts";
import { type LoadedScenario, parseScenario } from "./load.ts";

type Obj = Record<string, unknown>;

/** The loader pipeline, synchronous for builtins (as in load.fuzz.test.ts). */
function load(text: string): LoadedScenario {
  const scenario = parseScenario(text, { file: "hostile.json" });
  try {
    const resolved = resolveBuiltinSpec(scenario.crdt as string);
    const issues = opIssues(scenario, resolved);
    if (issues.length) throw new ScenarioError("hostile.json", issues);
    return { file: "hostile.json", scenario, crdt: resolved.crdt, crdtName: resolved.crdt.name, limits: {} };
  } catch (e) {
    if (e instanceof IssueError) throw new ScenarioError("hostile.json", e.issues);
    throw e;
  }
}
const name = fc.constantFrom(...HOSTILE_KEYS);
const names = (min: number, max: number) => fc.uniqueArray(name, { minLength: min, maxLength: max });

/** A valid scenario (as JSON text) of one of five shapes, every user-chosen name hostile. */
const scenarioText: fc.Arbitrary<{ text: string; kind: string }> = fc
  .record({
    kind: fc.constantFrom("lww-map", "record", "or-set", "store", "ramp"),
    nodes: names(2, 4),
    keys: names(1, 4),
    skews: fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 4, maxLength: 4 }),
    element: hostileJson(),
  })
  .map(({ kind, nodes, keys, skews, element }) => {
    const clocks = ownObject(nodes.slice(0, 2).map((n, i) => [n, { skew: skews[i]! }] as const));
    const at = (i: number) => i * 10;
    let crdt: unknown;
    let steps: Obj[];
    let services: Obj | undefined;
    if (kind === "lww-map") {
      crdt = "lww-map";
      steps = keys.map((k, i) => ({ at: at(i), node: nodes[i % nodes.length]!, op: i % 3 === 2 ? "delete" : "set", args: i % 3 === 2 ? [k] : [k, element] }));
    } else if (kind === "record") {
      crdt = { type: "record", fields: ownObject(keys.map((k, i) => [k, i % 2 ? "or-set" : "mv-register"] as const)) };
      steps = keys.map((k, i) => ({ at: at(i), node: nodes[i % nodes.length]!, op: i % 2 ? "add" : "set", args: [k, element] }));
    } else if (kind === "or-set") {
      crdt = "or-set";
      steps = [...keys, element].map((x, i) => ({ at: at(i), node: nodes[i % nodes.length]!, op: "add", args: [x] }));
    } else if (kind === "store") {
      crdt = { type: "store", collections: ownObject(keys.map((k) => [k, "or-set"] as const)) };
      steps = keys.map((k, i) => ({ at: at(i), node: nodes[i % nodes.length]!, op: "add", args: [k, nodes[i % nodes.length]!, element] }));
    } else {
      crdt = "g-counter";
      services = { ramp: { shards: [nodes[0]!], keys: ownObject(keys.map((k) => [k, nodes[0]!] as const)) } };
      steps = [
        { at: 0, node: nodes[1]!, txn: { write: ownObject(keys.map((k) => [k, element] as const)) } },
        { at: 200, node: nodes[1]!, txn: { read: keys } },
      ];
    }
    const scenario = { name: "hostile", seed: 1, nodes, crdt, clocks, steps, ...(services ? { services } : {}), duration: 400 };
    return { text: JSON.stringify(scenario), kind };
  });

/** Own keys at a path of an object (undefined when the path is absent). */
function keysAt(o: unknown, path: (string | number)[]): string[] | undefined {
  let x: unknown = o;
  for (const p of path) x = x !== null && typeof x === "object" && Object.hasOwn(x, p) ? (x as Obj)[p] : undefined;
  return x !== null && typeof x === "object" ? Object.keys(x) : undefined;
}

const RECORDS: (string | number)[][] = [["clocks"], ["crdt", "fields"], ["crdt", "collections"], ["services", "ramp", "keys"], ["steps", 0, "txn", "write"]];

describe("loader fuzz: names that are Object.prototype keys", () => {
  it("a valid scenario loads with every hostile key kept, and runs showing every node", () => {
    checkProperty(
      fc.property(scenarioText, ({ text }) => {
        const input = JSON.parse(text) as Obj;
        const loaded = load(text);
        // Nothing dropped or changed: every record has the file's keys, in the file's order.
        for (const path of RECORDS) expect(keysAt(loaded.scenario, path), path.join(".")).toEqual(keysAt(input, path));
        expect(canonicalKey(loaded.scenario)).toBe(canonicalKey(input));
        const { summary } = runLoaded(loaded, { trace: false });
        expect(Object.keys(summary.final)).toEqual(input.nodes);
        expect(summary.checks.find((c) => c.name === "convergence")?.ok).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("a prototype key where only known names are allowed is refused in one line naming the field", () => {
    checkProperty(
      fc.property(fc.constantFrom("check", "option", "clock"), fc.constantFrom(...PROTO_KEYS), (where, key) => {
        const base: Obj = { name: "hostile", nodes: ["a", "b"], crdt: "lww-map", duration: 10 };
        if (where === "check") base.expect = { checks: ownObject([[key, true]]) };
        if (where === "option")
          base.crdt = ownObject<unknown>([
            ["type", "lww-map"],
            [key, 1],
          ]);
        if (where === "clock") base.clocks = ownObject([[key, { skew: 1 }]]);
        let err: unknown = null;
        try {
          load(JSON.stringify(base));
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ScenarioError);
        const message = (err as Error).message;
        expect(message).not.toContain("\n");
        const field = where === "check" ? "expect.checks" : where === "option" ? "crdt" : "clocks";
        expect(message.startsWith(`hostile.json: ${field}`), message).toBe(true);
        expect(message).toContain(key);
      }),
      { numRuns: 60 },
    );
  });
});
