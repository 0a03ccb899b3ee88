import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { JsonSyntaxError, parseJson } from "./load-json.ts";

const reason = (text: string): string => {
  try {
    parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e.message;
    throw e;
  }
  throw new Error("parsed");
};

describe("parseJson", () => {
  it("agrees with JSON.parse on every valid document", () => {
    checkProperty(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        expect(parseJson(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("throws only JsonSyntaxError, exactly when JSON.parse throws (ignoring duplicate keys)", () => {
    checkProperty(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        let ours = true;
        try {
          parseJson(text);
        } catch (e) {
          expect(e).toBeInstanceOf(JsonSyntaxError);
          ours = /duplicate key/.test((e as Error).message);
        }
        expect(ours).toBe(native);
      }),
      { numRuns: 1000 },
    );
  });

  it("names line and column", () => {
    expect(reason('{\n  "a": 1,\n  "b": [1 2]\n}')).toBe('malformed JSON at line 3, column 11: unexpected "2" (expected "," or "]")');
    expect(reason('{"a": 1,}')).toMatch(/line 1, column 9/);
    expect(reason("")).toMatch(/line 1, column 1: unexpected end of file/);
    expect(reason('{"a": "x')).toMatch(/unterminated string/);
  });

  it("rejects duplicate keys at their path", () => {
    expect(reason('{"steps": [{"at": 1, "at": 2}]}')).toBe('steps[0]: duplicate key "at" (JSON keeps only one; remove the other)');
  });

  it("keeps a __proto__ key as data", () => {
    const v = parseJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    expect(reason("[".repeat(100_000))).toMatch(/nested deeper than/);
  });
});
