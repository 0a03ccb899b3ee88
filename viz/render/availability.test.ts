import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../../sim/index.ts";
import type { RunStats } from "../../sim/run-types.ts";
import { renderRunViews } from "../index.ts";
import { availabilityTable, tallyText } from "./availability.ts";
import { renderReportMd } from "./report-md.ts";

const stats = (availability: RunStats["availability"]): RunStats =>
  ({ events: 1, sent: 0, delivered: 0, dropped: 0, duplicated: 0, simTimeMs: 1, convergedAtMs: 0, metadataBytes: 0, availability }) as RunStats;

describe("availability table", () => {
  it("one row per node, one column per service used anywhere; a node that never asked shows a dash", () => {
    const t = availabilityTable(
      stats({
        s: { crdtWrites: 0 },
        a: { crdtWrites: 2, sequencer: { attempted: 3, succeeded: 1, timedOut: 1, unfinished: 1, latencyMs: { p50: 20, p99: 140, max: 140 } } },
        b: { crdtWrites: 1, transactions: { attempted: 1, succeeded: 0, timedOut: 1, unfinished: 0 } },
      }),
    )!;
    expect(t.services).toEqual(["sequencer", "transactions"]);
    expect(t.rows).toEqual([
      { node: "s", writes: 0, cells: ["—", "—"], tones: ["none", "none"] },
      { node: "a", writes: 2, cells: ["1 ok · 1 timed out · 1 unfinished of 3 · p50 20 ms, p99 140 ms", "—"], tones: ["partial", "none"] },
      { node: "b", writes: 1, cells: ["—", "0 ok · 1 timed out of 1"], tones: ["none", "down"] },
    ]);
    expect(availabilityTable(stats(undefined))).toBeNull();
    expect(availabilityTable(null)).toBeNull();
    expect(tallyText({ attempted: 2, succeeded: 2, timedOut: 0, unfinished: 0 })).toBe("2 ok of 2");
  });

  it("the timeline page and report.md of a service run show it; a run without services does not", async () => {
    const scenario = (name: string) => fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url));
    const run = await simulate(scenario("ramp-shard-crash"));
    const views = renderRunViews(run);
    expect(views.html).toContain("<h2>Availability per node</h2>");
    expect(views.html).toContain("<th>RAMP transactions</th>");
    expect(views.html).toContain('<td>alice</td><td class="num">0</td><td class="ok">2 ok of 2 · p50 280 ms, p99 280 ms</td>');
    const md = renderReportMd(run.summary, { replay: "x" });
    expect(md).toContain("| node | CRDT writes | RAMP transactions |");
    expect(md).toContain("| bob | 0 | 3 ok of 3 · p50 20 ms, p99 140 ms |");
    const plain = await simulate(scenario("youtube-view-counter"));
    expect(renderRunViews(plain).html).not.toContain("Availability per node");
    expect(renderReportMd(plain.summary, { replay: "x" })).not.toContain("Availability per node");
  });
});
