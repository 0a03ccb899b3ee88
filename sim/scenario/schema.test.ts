import { describe, expect, it } from "vitest";
import { CHECK_NAMES } from "../checkers/index.ts";
import { KNOWN_CHECKS } from "./load-semantics.ts";
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
  it("the loader's list (kept local so validation stays synchronous) equals the checkers' CHECK_NAMES", () => {
    expect([...KNOWN_CHECKS].sort()).toEqual([...CHECK_NAMES].sort());
  });
});
