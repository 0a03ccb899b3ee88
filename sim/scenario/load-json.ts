/**
 * Strict JSON for scenario files. JSON.parse alone is not enough: its messages carry no
 * line/column on every Node version, and it silently keeps the last of two duplicate keys — a
 * scenario with `"at"` written twice would lose one without a word. JSON.parse is, however,
 * ~100× faster than any parser written in JavaScript, and scenario files can be tens of MB.
 *
 * So: JSON.parse first, then a cheap duplicate-key test — a key is the only thing followed by
 * a `:` outside a string, so the text holds duplicates exactly when it has more such colons
 * than the parsed value has keys. Only when JSON.parse fails, or the counts differ, does the
 * hand parser below run, to say `line L, column C: <reason>` or name the duplicate key's path.
 */
import { formatPath, type ScenarioIssue } from "./load-errors.ts";

export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(readonly issue: ScenarioIssue) {
    super(issue.path ? `${issue.path}: ${issue.reason}` : issue.reason);
  }
}

/** Deeper nesting is refused (by both paths), so that no later recursive walk can overflow the stack. */
export const MAX_DEPTH = 256;

/** Parses `text` as JSON; throws a JsonSyntaxError naming line and column (or the duplicate key's path). */
export function parseJson(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte-order mark is harmless
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return parseJsonStrict(text); // throws the located message
  }
  const keys = keysOf(value, 0);
  if (keys < 0 || keys !== colonsOutsideStrings(body)) return parseJsonStrict(text);
  return value;
}

/** Keys in a parsed value (own properties of its objects), or -1 when nested deeper than MAX_DEPTH. */
function keysOf(v: unknown, depth: number): number {
  if (v === null || typeof v !== "object") return 0;
  if (depth >= MAX_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === null || typeof x !== "object") continue;
      const k = keysOf(x, depth + 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key in v) {
    n++;
    const x = (v as Record<string, unknown>)[key];
    if (x === null || typeof x !== "object") continue;
    const k = keysOf(x, depth + 1);
    if (k < 0) return -1;
    n += k;
  }
  return n;
}

/** `:` characters outside string literals of well-formed JSON text: one per key. Linear (indexOf only moves forward). */
function colonsOutsideStrings(t: string): number {
  let n = 0;
  let colon = t.indexOf(":");
  let i = 0;
  for (;;) {
    const quote = t.indexOf('"', i);
    const end = quote < 0 ? t.length : quote;
    while (colon >= 0 && colon < end) {
      n++;
      colon = t.indexOf(":", colon + 1);
    }
    if (quote < 0 || colon < 0) return n;
    i = quote + 1;
    for (;;) {
      const close = t.indexOf('"', i);
      if (close < 0) return n; // cannot happen: JSON.parse accepted the text
      let b = close - 1;
      while (t.charCodeAt(b) === 92) b--; // an even run of backslashes leaves the quote unescaped
      i = close + 1;
      if ((close - 1 - b) % 2 === 0) break;
    }
    if (colon < i) colon = t.indexOf(":", i);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The hand parser: the same language as JSON.parse, but every error is located and a
 * duplicate key is an error at its path. Strings are copied in runs (slice), not per character.
 */
export function parseJsonStrict(text: string): unknown {
  let i = 0;
  const path: (string | number)[] = [];
  const n = text.length;

  const fail = (reason: string, at = i): never => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < n; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new JsonSyntaxError({ path: "", reason: `malformed JSON at line ${line}, column ${col}: ${reason}` });
  };
  const describe = (): string => (i >= n ? "unexpected end of file" : `unexpected ${JSON.stringify(text[i])}`);
  const ws = (): void => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
    }
  };

  const str = (): string => {
    const start = i++;
    let out = "";
    let run = i;
    for (;;) {
      if (i >= n) fail("unterminated string", start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        // "
        out += text.slice(run, i++);
        return out;
      }
      if (c < 32) fail("control character in string (escape it)");
      if (c !== 92) {
        i++;
        continue;
      }
      out += text.slice(run, i);
      const e = text[i + 1];
      if (e === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!HEX4.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        i += 2;
      } else fail(`bad escape "\\${e ?? ""}"`);
      run = i;
    }
  };

  const value = (): unknown => {
    ws();
    if (path.length > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return str();
    if (c === "t" && text.startsWith("true", i)) return ((i += 4), true);
    if (c === "f" && text.startsWith("false", i)) return ((i += 5), false);
    if (c === "n" && text.startsWith("null", i)) return ((i += 4), null);
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
    if (text[i] === "}") {
      i++;
      return out;
    }
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
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail(`${describe()} (expected "," or "}")`);
    }
  };

  const array = (): unknown[] => {
    i++;
    const out: unknown[] = [];
    ws();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      path.push(out.length);
      out.push(value());
      path.pop();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail(`${describe()} (expected "," or "]")`);
    }
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const result = value();
  ws();
  if (i < n) fail(`${describe()} after the end of the JSON value`);
  return result;
}
