/**
 * The Node version the package needs is stated once, in package.json's `engines`, and repeated
 * where a user reads it (the README's first section, the library API page): this keeps them from
 * drifting apart. Why 20.19: the package is ES modules only, and Node 20.19 is the oldest 20.x whose
 * require() loads ES modules, which the consumer test's CommonJS script relies on.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

describe("the Node version the package needs", () => {
  const engines = (JSON.parse(read("package.json")) as { engines?: { node?: string } }).engines?.node;

  it("is the first Node 20 that require()s ES modules", () => {
    expect(engines).toBe(">=20.19");
  });

  it.each(["README.md", "docs/library-api.md"])("%s states the same minimum", (file) => {
    const minimum = engines?.replace(">=", "");
    expect(read(file)).toContain(`Node.js ≥ ${minimum}`);
  });
});
