/** The catalogue tells the truth about the checks: which can blame one event. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import { CHECKS } from "./catalogue.ts";

const gallery = fileURLToPath(new URL("../../scenarios/", import.meta.url));
const files = readdirSync(gallery)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
  .sort();

describe("the check catalogue", () => {
  it("every check the gallery's runs blame on one event is one the catalogue says can point at an event", async () => {
    const pointing = new Set<string>();
    for (const f of files) for (const c of (await simulate(join(gallery, f), { trace: false })).summary.checks) if (c.at) pointing.add(c.name);
    // The gallery shows anomalies on purpose: several checks do point at an event.
    expect(pointing.size).toBeGreaterThan(2);
    const allowed = new Set(CHECKS.filter((c) => c.pointsAtEvent).map((c) => c.name));
    expect([...pointing].filter((n) => !allowed.has(n))).toEqual([]);
  });
});
