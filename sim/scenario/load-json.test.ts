import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import { JsonSyntaxError, parseJson, parseJsonStrict } from "./load-json.ts";

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
    // Well-formed and deep: JSON.parse takes it, the depth check still refuses it.
    expect(reason("[".repeat(300) + "]".repeat(300))).toMatch(/nested deeper than 256 levels/);
  });

  // The fast path counts keys as colons outside strings: strings full of colons, quotes and
  // backslashes must neither hide a duplicate nor invent one.
  it("finds duplicate keys behind strings of colons, escaped quotes and backslashes", () => {
    expect(reason(String.raw`{"a": "x:\\", "b": {"c\\\":": 1, "c\\\":": 2}}`)).toBe(String.raw`b: duplicate key "c\\\":" (JSON keeps only one; remove the other)`);
    expect(parseJson(String.raw`{"a:": ":", "\\": "\\\":", "b": [":", {"c": ":"}]}`)).toEqual({ "a:": ":", "\\": '\\":', b: [":", { c: ":" }] });
  });

  it("the fast path and the hand parser agree, duplicate keys included", () => {
    const key = fc.constantFrom("a", "b", ":", '"', "\\", "a:b", "__proto__");
    const leaf = fc.oneof(fc.integer(), fc.constantFrom(":", '":"', "\\", '\\"', null, true));
    const { doc } = fc.letrec((tie) => ({
      doc: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("doc"), { maxLength: 3 }), fc.array(fc.tuple(key, tie("doc")), { maxLength: 3 })),
    }));
    // Arrays of pairs are written as objects, keeping repeated keys (JSON.stringify cannot).
    const text = (v: unknown): string =>
      Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === "string")
        ? `{${(v as [string, unknown][]).map(([k, x]) => `${JSON.stringify(k)}: ${text(x)}`).join(", ")}}`
        : Array.isArray(v)
          ? `[${v.map(text).join(",")}]`
          : JSON.stringify(v);
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    checkProperty(
      fc.property(doc, (d) => {
        const t = text(d);
        expect(outcome(() => parseJson(t))).toStrictEqual(outcome(() => parseJsonStrict(t)));
      }),
      { numRuns: 1000 },
    );
  });
});
