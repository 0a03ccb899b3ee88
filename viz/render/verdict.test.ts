/**
 * The badge a run wears: "pass" only when nothing went wrong; "anomaly shown (expected)" when the scenario
 * expected an anomaly and the checker caught it; FAIL when any check disagrees with its
 * expectation — and the gallery card says which anomaly or which check.
 */
import { describe, expect, it } from "vitest";
import type { CheckResult, Summary } from "../../sim/run-types.ts";
import { renderGallery } from "./gallery.ts";
import { renderReportMd } from "./report-md.ts";
import { foldIdleChecks, typeLabel, verdictOf } from "./verdict.ts";
import { without } from "../../core/_test/without.ts";

const check = (name: string, ok: boolean, expected: boolean, detail = ""): CheckResult => ({ name, ok, expected, detail }) as CheckResult;

describe("verdict", () => {
  it("pass when every check held as expected", () => {
    const v = verdictOf(true, [check("convergence", true, true)]);
    expect([v.cls, v.badge, v.caught]).toEqual(["pass", "pass", []]);
  });

  it("anomaly shown (expected) when an expected anomaly was caught, naming it", () => {
    const lost = check("counter-total", false, false, "value 1 but the 2 updates total 2");
    const v = verdictOf(true, [check("convergence", true, true), lost]);
    expect([v.cls, v.badge]).toEqual(["shown", "anomaly shown (expected)"]);
    expect(v.caught).toEqual([lost]);
    expect(v.title).toContain("counter-total");
  });

  it("an expected anomaly that was not seen is still a pass", () => {
    expect(verdictOf(true, [check("no-lost-writes", true, false)]).cls).toBe("pass");
  });

  it("FAIL wins over a caught anomaly", () => {
    const v = verdictOf(false, [check("convergence", false, true), check("counter-total", false, false)]);
    expect([v.cls, v.badge]).toEqual(["fail", "FAIL"]);
  });

  it("the gallery card of a demonstration names the anomaly it caught", () => {
    const summary = {
      scenario: "youtube-view-counter-naive",
      crdt: "lww-register",
      seed: 3,
      ok: true,
      checks: [check("convergence", true, true), check("counter-total", false, false, "views: 1, but 2 were counted")],
      final: { a: 1, b: 1 },
      stats: { events: 10, convergedAtMs: 5, deliveredUpdates: 2 },
    } as unknown as Summary;
    const html = renderGallery([{ summary, href: "y/3" }]);
    expect(html).toMatch(/<span class="v shown" title="[^"]*">anomaly shown \(expected\)<\/span>/);
    expect(html).toContain('<p class="shows shown">Demonstrates <b>counter total</b> — views: 1, but 2 were counted</p>');
    expect(html).toContain('class="caught"');
    expect(html).toContain('1 met every expectation — 1 of them <b style="color:#b45309">anomaly shown (expected)</b>: the checker caught the anomaly they demonstrate');
  });

  it("a services-only run folds the CRDT checks that held trivially; failures and service checks stay", () => {
    const stats = (writes: number) => ({
      events: 9,
      sent: 0,
      delivered: 0,
      dropped: 0,
      duplicated: 0,
      simTimeMs: 1,
      convergedAtMs: 0,
      metadataBytes: 0,
      availability: { a: { crdtWrites: writes }, b: { crdtWrites: 0 } },
    });
    const checks = [check("convergence", true, true), check("counter-total", true, true), check("idempotence", false, true), check("read-atomic", true, true)];
    const folded = foldIdleChecks({ checks, stats: stats(0) });
    expect(folded.idle.map((c) => c.name)).toEqual(["convergence", "counter-total"]);
    expect(folded.shown.map((c) => c.name)).toEqual(["idempotence", "read-atomic"]);
    // One CRDT write anywhere, or no services at all: nothing is folded.
    expect(foldIdleChecks({ checks, stats: stats(1) }).idle).toEqual([]);
    expect(foldIdleChecks({ checks, stats: without(stats(0), "availability") }).idle).toEqual([]);
    // durability vouches for RAMP's committed transactions once any ran: shown, not folded.
    const withDurability = [...checks, check("durability", true, true)];
    expect(foldIdleChecks({ checks: withDurability, stats: stats(0) }).idle.map((c) => c.name)).toEqual(["convergence", "counter-total", "durability"]);
    const txnStats = { ...stats(0), availability: { a: { crdtWrites: 0, transactions: { attempted: 1, succeeded: 1, timedOut: 0, unfinished: 0 } } } };
    expect(foldIdleChecks({ checks: withDurability, stats: txnStats }).shown.map((c) => c.name)).toEqual(["idempotence", "read-atomic", "durability"]);
  });

  it("a services-only run is not labelled with its idle CRDT alone: card, header and report.md say so", () => {
    const stats = (writes: number) => ({
      events: 9,
      sent: 0,
      delivered: 0,
      dropped: 0,
      duplicated: 0,
      simTimeMs: 1,
      convergedAtMs: 0,
      metadataBytes: 0,
      deliveredUpdates: 0,
      availability: { a: { crdtWrites: writes } },
    });
    expect(typeLabel("g-counter", stats(0) as never)).toBe("services only (g-counter idle)");
    expect(typeLabel("g-counter", stats(3) as never)).toBe("g-counter");
    expect(typeLabel("g-counter", null)).toBe("g-counter");
    const summary = {
      scenario: "ramp",
      crdt: "g-counter",
      seed: 2,
      ok: true,
      traceHash: "ab".repeat(32),
      checks: [check("read-atomic", true, true)],
      final: { a: 0 },
      stats: stats(0),
    } as unknown as Summary;
    // The card counts what the simulator processed (timers included), worded apart from the timeline's "events drawn".
    expect(renderGallery([{ summary, href: "r/2" }])).toContain('<p class="meta">services only (g-counter idle) · seed 2 · 9 simulator events');
    expect(renderReportMd(summary, { replay: "x" })).toContain("Services only (CRDT `g-counter` idle: no replica was written) · seed 2");
    const written = { ...summary, stats: stats(1) } as unknown as Summary;
    expect(renderGallery([{ summary: written, href: "r/2" }])).toContain('<p class="meta">g-counter · seed 2');
    expect(renderReportMd(written, { replay: "x" })).toContain("CRDT `g-counter` · seed 2");
  });
});
