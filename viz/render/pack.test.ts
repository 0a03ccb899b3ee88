import { describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { small } from "../fixtures/index.ts";
import { layoutRun } from "../layout/layout.ts";
import { parseTrace } from "../trace.ts";
import { arrowOrder, packPageData } from "./pack.ts";

describe("packed page data", () => {
  const f = small();
  const m = layoutRun({ trace: parseTrace(f.trace), summary: f.summary, scenario: f.scenario });

  it("is deterministic and carries every column at its length (the page reads them back: viz/browser/timeline.test.ts)", () => {
    const a = packPageData(m, { x: 1 }, arrowOrder(m));
    expect(packPageData(m, { x: 1 }, arrowOrder(m))).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9+/=]+$/);
    const all = gunzipSync(Buffer.from(a, "base64"));
    const head = JSON.parse(all.subarray(4, 4 + all.readUInt32LE(0)).toString("utf8")) as { cols: { name: string; n: number }[]; data: unknown };
    expect(head.data).toEqual({ x: 1 });
    expect(head.cols.find((c) => c.name === "ev.t")!.n).toBe(m.ev.t.length);
    expect(head.cols.find((c) => c.name === "arrows.s")!.n).toBe(m.arrows.s.length);
    expect(head.cols.find((c) => c.name === "texts.vv.len")!.n).toBe(m.texts.vv.mid.length);
  });

  it("orders arrows by send time, ties by index", () => {
    const o = Array.from(arrowOrder(m));
    const key = (a: number) => m.ev.t[m.arrows.s[a]!]!;
    for (let k = 1; k < o.length; k++) expect(key(o[k]!) > key(o[k - 1]!) || (key(o[k]!) === key(o[k - 1]!) && o[k]! > o[k - 1]!)).toBe(true);
  });
});
