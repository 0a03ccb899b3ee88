/**
 * Writes scenarios/scenario.schema.json from the zod schema (`npm run schema`). The committed
 * file is for editors and other tools; sim/scenario/schema.test.ts fails when it is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { scenarioJsonSchema } from "../sim/index.ts";

export const SCHEMA_FILE = fileURLToPath(new URL("../scenarios/scenario.schema.json", import.meta.url));

export function schemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
