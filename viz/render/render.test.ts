import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Summary } from "../../sim/run-types.ts";
import { small } from "../fixtures/index.ts";
import { layoutRun } from "../layout/layout.ts";
import { parseTrace } from "../trace.ts";
import { renderGallery } from "./gallery.ts";
import { renderJunit } from "./junit.ts";
import { renderReportMd } from "./report-md.ts";
import { renderSvg } from "./svg.ts";

const model = () => {
  const f = small();
  return layoutRun({ trace: parseTrace(f.trace), summary: f.summary, scenario: f.scenario });
};
const valid = (xml: string) => expect(XMLValidator.validate(xml)).toBe(true);

describe("timeline.svg", () => {
  it("is well-formed XML with a lane per node, arrows and marks, and is deterministic", () => {
    const svg = renderSvg(model());
    valid(svg);
    expect(svg).toBe(renderSvg(model()));
    for (const n of ["alice", "bob", "carol", "skew −30 s · drift +100 ppm", "converged at 835 ms", "partition {alice} | {bob, carol}"]) expect(svg).toContain(n);
    expect(svg.match(/<line class="msg"/g)!.length).toBe(model().arrows.s.length);
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it("escapes user data", () => {
    const f = small();
    const trace = f.trace.map((l) => l.replaceAll('"carol"', '"<c&\\"o\'>"'));
    const svg = renderSvg(layoutRun({ trace: parseTrace(trace), summary: f.summary }));
    valid(svg);
    expect(svg).toContain("&lt;c&amp;&quot;o&#39;&gt;");
  });

  it("draws density instead of marks for a big run", () => {
    const m = model();
    const big = { ...m, ev: { ...m.ev, t: Array.from({ length: 5000 }, (_, i) => i % 800), lane: Array.from({ length: 5000 }, (_, i) => i % 3) } };
    const svg = renderSvg(big as typeof m);
    valid(svg);
    expect(svg).toContain("event density per lane");
  });
});

describe("junit.xml", () => {
  it("has one testcase per check; an unmet check is a <failure> with its detail", () => {
    const f = small();
    const xml = renderJunit(f.summary);
    valid(xml);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite.tests).toBe("4");
    expect(suite.failures).toBe("1");
    const failed = suite.testcase.filter((c: { failure?: unknown }) => c.failure);
    expect(failed.map((c: { name: string }) => c.name)).toEqual(["add-wins"]);
    expect(failed[0].failure["#text"]).toContain("won over a concurrent add <&>");
    expect(renderJunit(f.summary)).toBe(xml);
  });

  it("passes a caught anomaly that the scenario expects, and fails an unmet expected value", () => {
    const s: Summary = { ...small().summary, ok: false, checks: [{ name: "no-lost-writes", ok: false, expected: false, detail: "lost \u0007 write" }] };
    const xml = renderJunit(s);
    valid(xml);
    expect(xml).toContain('name="no-lost-writes (anomaly expected)" time="0"><system-out>');
    expect(xml).toContain('name="expected value"');
    expect(xml).toContain('failures="1"');
  });
});

describe("report.md", () => {
  it("has the verdict, a row per check, the stats and the replay command", () => {
    const f = small();
    const md = renderReportMd(f.summary, { description: "teach | this", replay: "npx memoconductor replay reports/fixture-small/7" });
    expect(md).toContain("## ❌ fixture-small — FAIL");
    expect(md).toContain("| ❌ | add-wins | anomaly | holds |");
    expect(md).toContain("| 38 | 12 | 7 | 4 | 1 | 835 ms | 835 ms | 424 B |");
    expect(md).toContain("```sh\nnpx memoconductor replay reports/fixture-small/7\n```");
    expect(md).toContain('Final value, on all 3 replicas: `["y","z"]`');
  });

  it("says where a check broke, and names the anomaly a passing scenario demonstrates", () => {
    const f = small();
    const checks = [
      { name: "convergence", ok: true, expected: true, detail: "equal" },
      { name: "no-lost-writes", ok: false, expected: false, detail: "bob's write lost", at: { t: 4000, node: "bob" } },
    ];
    const md = renderReportMd({ ...f.summary, ok: true, checks }, { replay: "x" });
    expect(md).toContain("## ✅ fixture-small — anomaly shown (expected): no-lost-writes caught");
    expect(md).toContain("| ✅ | no-lost-writes | anomaly at bob, 4 s | anomaly |");
  });
});

describe("gallery", () => {
  it("makes a card per scenario with verdict, teaching point, thumbnail and link", () => {
    const f = small();
    const html = renderGallery([{ summary: f.summary, description: "Alice & Bob", href: "fixture-small/7" }]);
    expect(html).toContain('<a class="card" href="fixture-small/7/timeline.html">');
    expect(html).toContain('<img src="fixture-small/7/timeline.svg" style="margin-top: -');
    expect(html).toContain("Alice &amp; Bob");
    expect(html).toMatch(/<span class="v fail" title="[^"]*">FAIL<\/span>/);
    // The card says what went wrong, not only that something did.
    expect(html).toContain('<p class="shows fail">Not as expected: <b>add wins</b>');
  });
});
