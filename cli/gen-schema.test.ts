import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE, schemaText } from "./gen-schema.ts";

describe("scenario.schema.json", () => {
  it("is up to date with the zod schema (regenerate with `npm run schema`)", () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(committed === schemaText(), "scenarios/scenario.schema.json is stale: run `npm run schema` and commit it").toBe(true);
  });
});
