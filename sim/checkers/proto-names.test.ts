/**
 * Checkers with names that are Object.prototype keys: a record field, a map key or a node
 * called "__proto__", "constructor" or "toString" is a name like any other. Read off a plain
 * object, "__proto__" set as a key is lost and a missing "constructor" reads as `Object`.
 */
import { describe, expect, it } from "vitest";
import { resolveBuiltin } from "../../core/registry.ts";
import { runSimulation } from "../engine/run-simulation.ts";
import type { Scenario } from "../scenario/types.ts";
import { RegisterFields } from "./register-fields.ts";

function checks(sc: Scenario, crdtName: string) {
  const { summary } = runSimulation(sc, resolveBuiltin(sc.crdt as never), { seed: 1, trace: false, crdtName });
  return { summary, by: new Map(summary.checks.map((c) => [c.name, c])) };
}

/** JSON.parse keeps "__proto__" as an own key, where an object literal would set the prototype. */
const json = <T>(text: string): T => JSON.parse(text) as T;

describe("checkers: names that are Object.prototype keys", () => {
  it("RegisterFields.of keeps a record field called __proto__ and knows constructor is no field", () => {
    const f = RegisterFields.of("record", json(`{"type":"record","fields":{"__proto__":"mv-register","toString":{"type":"lww-register"},"valueOf":"pn-counter"}}`))!;
    expect(f.kindOf("__proto__")).toBe("mv");
    expect(f.kindOf("toString")).toBe("lww");
    expect(f.kindOf("valueOf")).toBeUndefined();
    expect(f.kindOf("constructor")).toBeUndefined();
    expect(f.shown({}, "constructor")).toBeUndefined();
    expect(f.shown(json(`{"__proto__":["x"]}`), "__proto__")).toEqual(["x"]);
  });

  it("no-lost-writes catches a lost write to a record field called __proto__, between nodes called __proto__ and constructor", () => {
    const crdt = json<Scenario["crdt"]>(`{"type":"record","fields":{"__proto__":{"type":"lww-register","clock":"physical"}}}`);
    const sc: Scenario = {
      name: "proto-skew",
      nodes: ["__proto__", "constructor"],
      crdt,
      duration: 2000,
      clocks: json(`{"__proto__":{"skew":10000}}`),
      network: { latency: { dist: "constant", ms: 10 } },
      steps: [
        { at: 0, node: "__proto__", op: "set", args: ["__proto__", "old"] },
        { at: 500, node: "constructor", op: "set", args: ["__proto__", "new"] },
      ],
    };
    const { summary, by } = checks(sc, "record");
    expect(Object.keys(summary.final)).toEqual(["__proto__", "constructor"]);
    expect(by.get("no-lost-writes")?.ok).toBe(false);
    expect(by.get("no-lost-writes")?.detail).toMatch(/__proto__ shows __proto__ = "old" from __proto__'s write __proto__:1 .*constructor's write constructor:1 of "new"/);
  });

  it("durability: an acknowledged delete of the LWW-Map key constructor holds when the key is gone", () => {
    const sc: Scenario = {
      name: "proto-delete",
      nodes: ["toString", "valueOf"],
      crdt: "lww-map",
      duration: 1000,
      storage: { syncLagMs: 20 },
      steps: [
        { at: 0, node: "toString", op: "set", args: ["constructor", 1] },
        { at: 100, node: "toString", op: "delete", args: ["constructor"] },
        { at: 200, node: "valueOf", op: "set", args: ["hasOwnProperty", 2] },
        { at: 300, node: "valueOf", op: "delete", args: ["hasOwnProperty"] },
      ],
      expect: { checks: { durability: true } },
    };
    const { summary, by } = checks(sc, "lww-map");
    expect(by.get("durability")?.ok, by.get("durability")?.detail).toBe(true);
    expect(by.get("durability")?.detail).toMatch(/4 of 4 surviving updates acknowledged/);
    expect(summary.final).toEqual({ toString: {}, valueOf: {} });
  });
});
