import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runLoaded } from "../index.ts";
import { ScenarioError } from "./load-errors.ts";
import { loadScenario, portableScenario, prepareScenario } from "./load.ts";
import { DEFAULT_LIMITS, estimateEvents, eventLimit, eventLimitIssue, nodeLimit } from "./limits.ts";
import type { Scenario } from "./types.ts";

const base: Scenario = { name: "t", nodes: ["a", "b"], crdt: "g-counter", duration: 1000 };
const nodes = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);

async function problem(f: () => unknown): Promise<ScenarioError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error("expected a ScenarioError");
}

describe("limits: the flag wins over the file, the file over the default", () => {
  it("nodes", async () => {
    expect(nodeLimit(base)).toBe(DEFAULT_LIMITS.nodes);
    expect(nodeLimit({ limits: { nodes: 5000 } })).toBe(5000);
    expect(nodeLimit({ limits: { nodes: 5000 } }, { nodes: 10 })).toBe(10);
    await expect(prepareScenario({ ...base, nodes: nodes(1200), limits: { nodes: 2000 } })).resolves.toBeDefined();
    const e = await problem(() => prepareScenario({ ...base, nodes: nodes(1200), limits: { nodes: 2000 } }, { limits: { nodes: 1100 } }));
    expect(e.message).toBe("<scenario>: nodes: 1200 nodes is over the limit of 1100 (raise it with limits.nodes or --max-nodes)");
  });

  it("past what the engine's tables can hold, no raised limit helps (no raw RangeError)", async () => {
    const e = await problem(() => prepareScenario({ ...base, nodes: nodes(100_000) }, { limits: { nodes: 1e6 } }));
    expect(e.message).toBe("<scenario>: nodes: 100000 nodes is more than the simulator can hold (its n×n link tables allow at most 46340)");
  });

  it("events: the default depends on the trace", () => {
    expect(eventLimit(base, {}, true)).toBe(DEFAULT_LIMITS.tracedEvents);
    expect(eventLimit(base, {}, false)).toBe(DEFAULT_LIMITS.events);
    expect(eventLimit({ limits: { events: 7 } }, {}, false)).toBe(7);
    expect(eventLimit({ limits: { events: 7 } }, { events: 9 }, true)).toBe(9);
  });
});

describe("the event estimate", () => {
  const huge: Scenario = { ...base, workload: { ratePerNode: 1_000_000 } };

  it("refuses a run over the limit before it starts, naming the biggest source", async () => {
    const e = await problem(async () => runLoaded(await prepareScenario(huge, { file: "s.json" })));
    expect(e.message).toBe(
      "s.json: workload.ratePerNode: the run would take about 4.00e+6 events (1000000 updates/s on each of 2 nodes for 1000 ms, each sent to 1 peers), " +
        "over the limit of 1000000 for a traced run (--no-trace allows 50000000); raise it with limits.events or --max-events",
    );
  });

  it("a limits block or a flag lets it through", () => {
    expect(eventLimitIssue(huge, eventLimit(huge, {}, true), true, true)?.reason).toMatch(/over the limit of 1000000 for a traced run \(--no-trace allows 50000000\)/);
    expect(eventLimitIssue({ ...huge, limits: { events: 5_000_000 } }, eventLimit({ ...huge, limits: { events: 5_000_000 } }, {}, true), false, true)).toBeUndefined();
    expect(eventLimitIssue(huge, eventLimit(huge, { events: 5_000_000 }, true), false, true)).toBeUndefined();
  });

  it("blames the duration for anti-entropy over a long run, and the nemesis for a frantic one", () => {
    expect(eventLimitIssue({ ...base, duration: 1e9 }, 1e6, true, true)?.path).toBe("duration");
    expect(eventLimitIssue({ ...base, duration: 1e7, sync: { antiEntropyMs: 0 }, nemesis: { partitions: { every: 1, duration: [1, 1] } } }, 1e6, true, true)?.path).toBe(
      "nemesis.partitions.every",
    );
  });

  it("every gallery scenario fits the traced default, and is not estimated below a tenth of what it does", async () => {
    const dir = new URL("../../scenarios/", import.meta.url);
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".json") && !x.includes("schema"))) {
      const loaded = await loadScenario(new URL(f, dir).pathname);
      const estimate = estimateEvents(loaded.scenario).reduce((k, x) => k + x.events, 0);
      expect(estimate, f).toBeLessThan(DEFAULT_LIMITS.tracedEvents);
      const events = runLoaded(loaded, { trace: false }).summary.stats.events;
      expect(events, f).toBeLessThan(DEFAULT_LIMITS.tracedEvents);
      expect(estimate, f).toBeGreaterThan(events / 10);
    }
  });
});

describe("the engine stops a run past its limit", () => {
  const lagging: Scenario = {
    ...base,
    sync: { antiEntropyMs: 0 },
    storage: { syncLagMs: 1 },
    steps: Array.from({ length: 10 }, (_, at) => ({ at, node: "a", op: "inc", args: [1] })),
  };

  it("as a ScenarioError at limits.events, though the estimate let it through", async () => {
    const loaded = await prepareScenario(lagging, { file: "s.json", limits: { events: 25 } });
    const e = await problem(() => runLoaded(loaded));
    expect(e.message).toMatch(
      /^s\.json: limits\.events: the run reached the limit of 25 events at virtual time \d+ ms \(duration 1000 ms\) and was stopped; raise it with limits\.events or --max-events$/,
    );
  });

  it("and a run under the limit is unchanged by it (same traceHash)", async () => {
    const free = runLoaded(await prepareScenario(lagging)).summary;
    const tight = runLoaded(await prepareScenario(lagging, { limits: { events: free.stats.events } })).summary;
    expect(tight.traceHash).toBe(free.traceHash);
  });
});

describe("files", () => {
  const dir = mkdtempSync(join(tmpdir(), "mc-limits-"));

  it("a file over the size limit is refused unread", async () => {
    const f = join(dir, "fat.json");
    writeFileSync(f, JSON.stringify({ ...base, description: "x".repeat(3000) }));
    const e = await problem(() => loadScenario(f, { limits: { fileBytes: 1024 } }));
    expect(e.message).toBe(`${f}: the file is 4 KB, over the limit of 1 KB (raise it with --max-file-mb)`);
  });

  it("a device is not read forever", async () => {
    const e = await problem(() => loadScenario("/dev/zero"));
    expect(e.message).toBe("/dev/zero: cannot read scenario: not a regular file");
  });

  it("limits given as flags are written into the portable copy, so that it replays without them", async () => {
    const loaded = await prepareScenario({ ...base, limits: { nodes: 3 } }, { limits: { events: 123 } });
    expect(portableScenario(loaded, 1).limits).toEqual({ nodes: 3, events: 123 });
    expect(portableScenario(await prepareScenario(base), 1)).not.toHaveProperty("limits");
  });
});
