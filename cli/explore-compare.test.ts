import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../core/_test/prop.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CANARIES, type Scenario } from "../sim/index.ts";
import { browserAvailable, launchChromium } from "../viz/browser/chromium.ts";
import { compactJson, focusWindow, writeComparePage } from "./explore-compare.ts";

describe("compactJson (the compare page's scenario listing)", () => {
  it("is the same JSON value, and no line is longer than the width unless one value is", () => {
    checkProperty(
      fc.property(fc.jsonValue(), fc.integer({ min: 10, max: 120 }), (v, width) => {
        const text = compactJson(v, "", width);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        for (const line of text.split("\n")) {
          // A long line is one token after its indent and key: a scalar, an empty container, or an
          // opening or closing bracket (nesting deeper than the width makes even a lone "]" long).
          if (line.length > width) expect(line.trim()).toMatch(/^("(?:[^"\\]|\\.)*": )?("(?:[^"\\]|\\.)*"|-?[\d.e+-]+|true|false|null|\[\]|\{\}|[[{\]}])[,]?$/);
        }
      }),
    );
  });

  it("keeps one scripted step per line", () => {
    const steps = [
      { at: 0, node: "n1", op: "set", args: ["a", 0] },
      { at: 1, crash: "n3" },
    ];
    expect(compactJson({ name: "x", steps }, "", 70)).toBe(
      '{\n  "name": "x",\n  "steps": [\n    { "at": 0, "node": "n1", "op": "set", "args": ["a", 0] },\n    { "at": 1, "crash": "n3" }\n  ]\n}',
    );
  });
});

describe("focusWindow (where the compare page opens each timeline)", () => {
  it("frames the given instants with a margin, unless that is most of the run", () => {
    expect(focusWindow([0, 0, 10], 10_010, 20)).toEqual([0, 30]);
    expect(focusWindow([400, 412], 5031, 20)).toEqual([380, 432]);
    expect(focusWindow([0, 10], 40, 20)).toBeUndefined();
    expect(focusWindow([], 1000, 20)).toBeUndefined();
  });
});

/** The canary whose compare page the browser test opens (sim/explore/canaries/lww-no-tiebreak.ts). */
function lwwNoTiebreak() {
  const canary = CANARIES.find((c) => c.file === "lww-no-tiebreak.ts");
  if (canary === undefined) throw new Error("the lww-no-tiebreak canary is missing from CANARIES");
  return canary.crdt;
}

describe.skipIf(!browserAvailable())("the compare page in headless Chromium", () => {
  it("shows both runs' timelines side by side, each loaded, with the replay command and no errors", async () => {
    const base = join(mkdtempSync(join(tmpdir(), "mc-compare-")), "7");
    const sc = (name: string, nodes: string[]): Scenario => ({
      name,
      nodes,
      crdt: { module: "lww-no-tiebreak.ts" },
      duration: 50,
      steps: nodes.map((node) => ({ at: 0, node, op: "set", args: [nodes.indexOf(node)] })),
    });
    const file = writeComparePage(
      base,
      lwwNoTiebreak(),
      { title: "original: 3 nodes", scenario: sc("o", ["a", "b", "c"]) },
      { title: "shrunk: 2 nodes", scenario: sc("s", ["a", "b"]) },
      "npx memoconductor run x.scenario.json",
    );
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      await page.goto("file://" + file);
      for (const f of page.frames().slice(1)) await f.waitForSelector("body[data-ready]");
      expect(page.frames()).toHaveLength(3);
      const boxes = await page.locator("main > section").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
      expect(boxes).toHaveLength(2);
      expect(boxes[0].top).toBe(boxes[1].top); // side by side at 1400 px
      expect(await page.locator(".replay code").textContent()).toBe("npx memoconductor run x.scenario.json");
      expect(await page.locator(".verdict").first().textContent()).toMatch(/^failed: /);
      // Two concurrent sets that never converge: 100 anti-entropy rounds follow (50 s). Both
      // timelines open on the first milliseconds, where the sets and the divergence are.
      for (const f of page.frames().slice(1)) {
        const [from, to] = (await f.evaluate("window.timeline.domain()")) as [number, number];
        expect(from).toBeGreaterThanOrEqual(-1);
        expect(to).toBeLessThan(100);
      }
      expect(await page.locator(".focus").count()).toBe(2);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
