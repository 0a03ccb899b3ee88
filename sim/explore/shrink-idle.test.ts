/**
 * A shrunk scenario reads as small as it is: a 2-op failure that anti-entropy cannot mend is not
 * followed by 100 idle anti-entropy rounds (10 s of digests in its diagram): the shrinker
 * switches anti-entropy off when the failure does not need it, and the run ends once the
 * network drains.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../index.ts";
import { explore } from "./explore.ts";

const here = dirname(fileURLToPath(import.meta.url));

describe("shrinking removes idle anti-entropy", () => {
  it("lww-no-tiebreak: 2 concurrent sets, a run of a few events ending at the last delivery", async () => {
    const r = await explore(join(here, "canaries", "lww-no-tiebreak.ts"), { runs: 20 });
    const shrunk = r.failure!.shrunk!.scenario;
    expect(shrunk.steps).toHaveLength(2);
    expect(shrunk.sync?.antiEntropyMs).toBe(0);
    const run = await simulate(shrunk);
    expect(run.summary.checks.find((c) => c.name === r.failure!.check)!.ok).toBe(false);
    // Before: 204 events, simulated until t=10010 ms (100 rounds of 100 ms after a 10 ms failure).
    expect(run.summary.stats.events).toBeLessThan(10);
    expect(run.summary.stats.simTimeMs).toBeLessThan(100);
  });
});
