/** The `run` block: where it cuts a text short, it says where the whole text is. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Summary } from "../sim/index.ts";
import { renderReportMd } from "../viz/index.ts";
import { verdictBlock } from "./format.ts";

const summary = (detail: string, final: unknown = 1): Summary =>
  ({
    scenario: "s",
    crdt: "g-counter",
    seed: 1,
    ok: false,
    traceHash: "ab".repeat(32),
    checks: [{ name: "counter-total", ok: false, expected: true, detail }],
    final: { a: final, b: final },
    stats: { events: 1, sent: 0, delivered: 0, dropped: 0, duplicated: 0, simTimeMs: 1, convergedAtMs: null, metadataBytes: 0, deliveredUpdates: 0 },
  }) as unknown as Summary;

describe("a detail cut short says where the whole text is", () => {
  const runDir = join("reports", "s", "1");
  it("run: a long detail ends in … and the block names summary.json", () => {
    const block = verdictBlock(summary("x".repeat(500)), runDir);
    expect(block).toContain("x".repeat(99) + "…");
    expect(block).toContain(`full text ${join(runDir, "summary.json")} (the lines above ending in … are cut short)`);
  });

  it("run: a long final value too", () => {
    expect(verdictBlock(summary("short", "y".repeat(300)), runDir)).toContain(`full text ${join(runDir, "summary.json")}`);
  });

  it("run: nothing cut, nothing said", () => {
    expect(verdictBlock(summary("short"), runDir)).not.toContain("full text");
  });

  it("run: never converged, in words", () => {
    expect(verdictBlock(summary("short"), runDir)).toMatch(/; never converged\n/);
  });

  it("report.md: a cut detail points at summary.json beside it", () => {
    expect(renderReportMd(summary("z".repeat(1000)), { replay: "x" })).toContain("Texts ending in … are cut short here: `summary.json` beside this file has them whole.");
    expect(renderReportMd(summary("short"), { replay: "x" })).not.toContain("cut short");
    expect(renderReportMd(summary("short"), { replay: "x" })).toContain("| never converged |");
  });
});
