/**
 * User text that tries to be markup. A real run whose description, node names and values are
 * HTML, links, emphasis, pipes and backticks: report.md must show them as text (renderers of
 * report.md allow raw HTML), keep every table row's column count, and junit.xml and
 * timeline.html must carry them as text as well.
 */
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../core/_test/prop.ts";
import { simulate } from "../sim/index.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import { renderRunViews } from "./index.ts";
import { mdCode, mdText } from "./render/markdown-escape.ts";

const IMG = "<img src=x onerror=alert(1)>";
const LINK = "[x](javascript:alert(1))";
const PAYLOADS = [IMG, "a|b", "``tick`", "**bold**", LINK, "line\nbreak", "&amp;", "# head"];

const scenario = {
  name: "hostile",
  description: `${IMG} ${LINK} | **strong** \`code\`\n# not a heading`,
  nodes: [IMG, "a|b", "``tick`", "**bold**", LINK],
  crdt: "or-set",
  seed: 1,
  network: { latency: { dist: "constant", ms: 10 } },
  steps: [
    {
      at: 0,
      partition: [
        [IMG, "a|b"],
        ["``tick`", "**bold**", LINK],
      ],
    },
    ...PAYLOADS.map((p, i) => ({ at: 10 + i, node: IMG, op: "add", args: [p] })),
  ],
  duration: 500,
} as unknown as Scenario;

/** A table row's cells: split on pipes that no backslash escapes. */
const cells = (row: string) => row.replace(/\\./g, "").split("|").length - 2;

describe("hostile text in the views of a real run", async () => {
  const run = await simulate(scenario);
  // What a plugin or a checker may put in the summary: a CRDT name, a check name, a failure
  // pinned to a node, a detail quoting values, and replicas that disagree.
  const s = run.summary;
  s.crdt = `${IMG}|plugin`;
  s.checks[0] = { name: `**${IMG}**`, ok: false, expected: true, detail: PAYLOADS.join(" "), at: { t: 12, node: "a|b" } };
  s.ok = false;
  s.final = Object.fromEntries(scenario.nodes.map((n, i) => [n, PAYLOADS.slice(0, i + 1)]));
  const views = renderRunViews(run, scenario, { replay: "npx memoconductor replay 'reports/```x'" });

  it("report.md carries no markup from user text, and its tables keep their columns", () => {
    const md = views.md;
    expect(md).toContain("replicas disagree");
    expect(md).toContain("anomaly at a\\|b, 12 ms");
    expect(md).not.toMatch(/<img/i);
    expect(md).not.toMatch(/(^|[^\\])\[x\]/); // no link: every `[` of user text is escaped
    expect(md).not.toMatch(/(^|[^\\])\*\*bold/); // no emphasis
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(md.split("\n").filter((l) => l.startsWith("# "))).toEqual([]); // the description stays one line
    const lines = md.split("\n");
    // Every row of a table has as many cells as the table's header.
    for (let i = 0; i < lines.length; i++) {
      if (!/^\|[-:|]+\|$/.test(lines[i]!)) continue;
      const width = cells(lines[i - 1]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith("|"); j++) expect(cells(lines[j]!), lines[j]).toBe(width);
    }
    // The replay fence is longer than the backtick run in the command, so it cannot be closed early.
    expect(md).toContain("````sh\nnpx memoconductor replay 'reports/```x'\n````");
  });

  it("junit.xml is well-formed and carries the payloads as text", () => {
    expect(XMLValidator.validate(views.junit)).toBe(true);
    expect(views.junit).not.toMatch(/<img/i);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", processEntities: true, htmlEntities: true }).parse(views.junit);
    const suite = doc.testsuites.testsuite;
    const cases = [suite.testcase].flat();
    expect(cases.length).toBe(run.summary.checks.length);
    expect(cases[0].name).toBe(`**${IMG}**`);
    expect(suite.properties.property.find((p: { name: string }) => p.name === "crdt").value).toBe(`${IMG}|plugin`);
  });

  it("timeline.html has the payloads only as escaped text or script-safe JSON", () => {
    expect(views.html).not.toMatch(/<img/i);
    expect(views.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

/** Undoes mdText: backslash escapes and the three entities. */
const unText = (s: string) => s.replace(/\\(.)/g, "$1").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

describe("markdown-escape", () => {
  const text = fc.oneof(
    fc.string(),
    fc.array(fc.constantFrom(...PAYLOADS, "\\", "`", "|", "<", "&", " ", "x"), { maxLength: 12 }).map((a) => a.join("")),
  );

  it("mdText: no HTML, no unescaped pipe or newline, and it reads back as the original (newlines as spaces)", () => {
    checkProperty(
      fc.property(text, (s) => {
        const t = mdText(s);
        expect(t).not.toMatch(/[<>\n\r]/);
        expect(t.replace(/\\./g, "")).not.toMatch(/[|`*_[\]]/);
        expect(unText(t)).toBe(s.replace(/\s*[\r\n]+\s*/g, " "));
      }),
    );
  });

  it("mdCode: a code span whose fence no backtick run inside can close, or an escaped <code>", () => {
    checkProperty(
      fc.property(text, (s) => {
        const c = mdCode(s);
        const flat = s.replace(/[\r\n]+/g, " ");
        if (c.startsWith("<code>")) {
          expect(c.slice(6, -7)).not.toMatch(/[<>]/);
          expect(unText(c.slice(6, -7))).toBe(flat);
          return;
        }
        const fence = /^`+/.exec(c)![0];
        // Plain `x` when nothing inside could close or trim it; else padded with a space each side.
        const pad = fence.length === 1 ? "" : " ";
        expect(c.endsWith(`${pad}${fence}`)).toBe(true);
        const inner = c.slice(fence.length + pad.length, c.length - fence.length - pad.length);
        expect(inner).toBe(flat);
        for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
      }),
    );
  });
});
