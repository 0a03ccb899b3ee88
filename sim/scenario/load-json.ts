/**
 * A strict JSON parser for scenario files. JSON.parse is not enough here: its messages carry no
 * line/column on every Node version, and it silently keeps the last of two duplicate keys — a
 * scenario with `"at"` written twice would lose one without a word. This parser reports
 * `line L, column C: <reason>` and rejects duplicate keys at their field path.
 */
import { formatPath, type ScenarioIssue } from "./load-errors.ts";

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(readonly issue: ScenarioIssue) {
    super(issue.path ? `${issue.path}: ${issue.reason}` : issue.reason);
  }
}

const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Parses `text` as JSON; throws a JsonSyntaxError naming line and column (or the duplicate key's path). */
export function parseJson(text: string): unknown {
  let i = 0;
  const path: (string | number)[] = [];

  const fail = (reason: string, at = i): never => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < text.length; k++) {
      if (text[k] === "\n") { line++; col = 1; } else col++;
    }
    throw new JsonSyntaxError({ path: "", reason: `malformed JSON at line ${line}, column ${col}: ${reason}` });
  };
  const describe = (): string => (i >= text.length ? "unexpected end of file" : `unexpected ${JSON.stringify(text[i])}`);
  const ws = (): void => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };

  const str = (): string => {
    const start = i++;
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const c = text[i]!;
      if (c === '"') { i++; return out; }
      if (c < " ") fail("control character in string (escape it)");
      if (c !== "\\") { out += c; i++; continue; }
      const e = text[i + 1];
      if (e === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        i += 2;
      } else fail(`bad escape "\\${e ?? ""}"`);
    }
  };

  const value = (): unknown => {
    ws();
    if (path.length > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return str();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) { i += word.length; return v; }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    return fail(`${describe()} (expected a value)`);
  };

  const object = (): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    ws();
    if (text[i] === "}") { i++; return out; }
    for (;;) {
      ws();
      if (text[i] !== '"') fail(`${describe()} (expected a "key" in double quotes)`);
      const keyAt = i;
      const key = str();
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        throw new JsonSyntaxError({ path: formatPath(path), reason: `duplicate key ${JSON.stringify(key)} (JSON keeps only one; remove the other)` });
      }
      ws();
      if (text[i] !== ":") fail(`${describe()} (expected ":" after key ${JSON.stringify(key)})`, i === keyAt ? keyAt : i);
      i++;
      path.push(key);
      // defineProperty, not assignment: a "__proto__" key must stay an ordinary own field.
      Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
      path.pop();
      ws();
      if (text[i] === ",") { i++; continue; }
      if (text[i] === "}") { i++; return out; }
      fail(`${describe()} (expected "," or "}")`);
    }
  };

  const array = (): unknown[] => {
    i++;
    const out: unknown[] = [];
    ws();
    if (text[i] === "]") { i++; return out; }
    for (;;) {
      path.push(out.length);
      out.push(value());
      path.pop();
      ws();
      if (text[i] === ",") { i++; continue; }
      if (text[i] === "]") { i++; return out; }
      fail(`${describe()} (expected "," or "]")`);
    }
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1; // a UTF-8 byte-order mark is harmless
  const result = value();
  ws();
  if (i < text.length) fail(`${describe()} after the end of the JSON value`);
  return result;
}
