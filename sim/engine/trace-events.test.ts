/** The trace writer writes only the events of the run types' union, `t` and `type` first. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TRACE_EVENT_TYPES } from "../run-types.ts";
import { simulate } from "../simulate.ts";

const gallery = fileURLToPath(new URL("../../scenarios/", import.meta.url));

describe("the trace's event types", () => {
  it("every line of every gallery trace is one of TraceEvent's types, and the gallery shows most of them", async () => {
    const seen = new Set<string>();
    const unknown: string[] = [];
    for (const f of readdirSync(gallery).filter((x) => x.endsWith(".json") && !x.endsWith(".schema.json"))) {
      for (const line of (await simulate(join(gallery, f))).trace ?? []) {
        const e = JSON.parse(line) as { t: number; type: string };
        expect(Object.keys(e).slice(0, 2)).toEqual(["t", "type"]);
        seen.add(e.type);
        if (!(TRACE_EVENT_TYPES as string[]).includes(e.type)) unknown.push(`${f}: ${e.type}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(seen.size).toBeGreaterThan(TRACE_EVENT_TYPES.length / 2);
  });
});
