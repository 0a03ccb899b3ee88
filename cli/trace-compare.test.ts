/** compareTrace names the first line where a recorded trace file and a replay's lines part. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../core/_test/prop.ts";
import { compareTrace, excerpt, traceText } from "./trace-compare.ts";

const line = fc.integer({ min: 0, max: 30 }).map((t) => `{"t":${t},"type":"x"}`);
const trace = fc.array(line, { minLength: 1, maxLength: 20 });

describe("compareTrace", () => {
  it("same lines, same file: same", () => {
    checkProperty(fc.property(fc.array(line, { maxLength: 20 }), (lines) => void expect(compareTrace(traceText(lines), lines)).toEqual({ kind: "same" })));
  });

  it("any one edit is found at the first line that differs", () => {
    checkProperty(
      fc.property(trace, fc.nat(), fc.constantFrom("edit", "delete", "insert", "cut", "append"), (lines, at, how) => {
        const i = at % lines.length;
        const recorded = [...lines];
        if (how === "edit") recorded[i] = recorded[i]!.replace(/"t":(\d+)/, (_, t) => `"t":${Number(t) + 1}`);
        if (how === "delete") recorded.splice(i, 1);
        if (how === "insert") recorded.splice(i, 0, '{"t":-1,"type":"inserted"}');
        if (how === "append") recorded.push('{"t":99,"type":"appended"}');
        let text = traceText(recorded);
        if (how === "cut") text = traceText(recorded.slice(0, i)) + recorded[i]!.slice(0, 1 + (at % (recorded[i]!.length - 1)));
        const d = compareTrace(text, lines);
        // The first line at which the two texts' lines differ (or one side ends).
        const got = text.split("\n");
        let first = 0;
        while (first < lines.length && got[first] === lines[first] && (first < got.length - 1 || text.endsWith("\n"))) first++;
        expect(d.kind).not.toBe("same");
        if (d.kind !== "same") expect(d.line).toBe(first + 1);
        if (how === "cut") expect(d.kind).toBe("truncated");
        if (how === "append") expect(d).toMatchObject({ kind: "extra", count: 1 });
      }),
    );
  });

  it("a file missing only its final newline is truncated at its last line", () => {
    const lines = ['{"t":0}', '{"t":1}'];
    expect(compareTrace(traceText(lines).slice(0, -1), lines)).toMatchObject({ kind: "truncated", line: 2, why: "no newline at its end" });
  });

  it("a whole last line that is not JSON is truncated there", () => {
    expect(compareTrace('{"t":0}\n{"t":\n', ['{"t":0}', '{"t":1}'])).toMatchObject({ kind: "truncated", line: 2, why: "not JSON" });
  });
});

describe("excerpt", () => {
  it("keeps short lines, and cuts long ones around the column", () => {
    expect(excerpt("abc", 2)).toBe("abc");
    const long = "a".repeat(300) + "X" + "b".repeat(300);
    const e = excerpt(long, 301, 120);
    expect(e).toContain("X");
    expect(e.startsWith("…") && e.endsWith("…")).toBe(true);
    expect(e.length).toBe(122);
  });
});
