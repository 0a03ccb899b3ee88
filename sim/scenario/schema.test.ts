import { describe, expect, it } from "vitest";
import { CHECKS } from "../checkers/catalogue.ts";
import { semanticIssues } from "./load-semantics.ts";
import { scenarioJsonSchema, scenarioSchema } from "./schema.ts";

describe("scenario.schema.json", () => {
  it("is strict: every object rejects unknown keys, except builtin options", () => {
    const loose: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (node === null || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      if (o.type === "object" && o.additionalProperties !== false && o.propertyNames === undefined) loose.push(path);
      for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
    };
    walk(scenarioJsonSchema(), "$");
    // Open on purpose: `{ "type": "lww-register", ...options }` (the builtin checks its options),
    // and the string-keyed maps clocks and expect.checks (their keys are checked by the loader).
    expect(loose.filter((p) => !/anyOf\[2\]$|\.clocks$|\.checks$/.test(p))).toEqual([]);
  });
});

describe("scenarioSchema", () => {
  it("rejects a misspelt key instead of ignoring it", () => {
    const r = scenarioSchema.safeParse({ name: "x", nodes: ["a"], crdt: "g-counter", duration: 1, durration: 2 });
    expect(r.success).toBe(false);
  });
});

describe("check names", () => {
  it("expect.checks takes the check catalogue's names (a service's once it is declared) and nothing else", () => {
    const checks = (names: string[]) =>
      semanticIssues({ name: "x", nodes: ["a"], crdt: "g-counter", duration: 1, expect: { checks: Object.fromEntries(names.map((n) => [n, true])) } });
    expect(checks(CHECKS.filter((c) => !c.service).map((c) => c.name))).toEqual([]);
    expect(checks(["convergance"]).map((i) => i.path)).toEqual(["expect.checks.convergance"]);
  });
});
