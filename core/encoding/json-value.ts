import type { Json } from "../util/json.ts";
import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

// One tag byte per JSON value, then its body; integers get a varint instead of 8 bytes.
const NULL = 0,
  FALSE = 1,
  TRUE = 2,
  INT = 3,
  FLOAT = 4,
  STRING = 5,
  ARRAY = 6,
  OBJECT = 7;

/**
 * Whole numbers in [-2^52, 2^52) are varints (zigzag doubles them, and 2^53 is the varint's
 * ceiling); larger safe integers are floats like any other number. Canonical either way: each
 * whole number has exactly one of the two forms.
 */
const varintable = (v: number): boolean => Number.isSafeInteger(v) && v >= -(2 ** 52) && v < 2 ** 52;

export function writeJson(w: Writer, v: Json): void {
  if (v === null) w.byte(NULL);
  else if (v === false) w.byte(FALSE);
  else if (v === true) w.byte(TRUE);
  else if (typeof v === "number") {
    if (varintable(v))
      w.byte(INT).int(v === 0 ? 0 : v); // -0 is written as 0: one value, one encoding
    else w.byte(FLOAT).f64(v);
  } else if (typeof v === "string") w.byte(STRING).string(v);
  else if (Array.isArray(v)) {
    w.byte(ARRAY).uint(v.length);
    for (const x of v) writeJson(w, x);
  } else {
    // Sorted by key as Array#sort sorts strings (UTF-16 code units): one value, one encoding.
    const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    w.byte(OBJECT).uint(entries.length);
    for (const [k, x] of entries) {
      w.string(k);
      writeJson(w, x);
    }
  }
}

export function readJson(r: Reader, depth = 0): Json {
  if (depth > 64) r.fail("JSON value nested deeper than 64 levels");
  const tag = r.byte();
  switch (tag) {
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case INT:
      return r.int();
    case FLOAT: {
      const x = r.f64();
      if (!Number.isFinite(x)) r.fail("non-finite number");
      // Canonical form: whole numbers are always varints, so one value has one encoding.
      // (-0 included: stored values normalise it to 0.)
      if (varintable(x)) r.fail(`whole number ${x} encoded as a float`);
      return x;
    }
    case STRING:
      return r.string();
    case ARRAY: {
      const n = r.count();
      const out: Json[] = [];
      for (let i = 0; i < n; i++) out.push(readJson(r, depth + 1));
      return out;
    }
    case OBJECT: {
      const n = r.count(2);
      const out: { [k: string]: Json } = Object.create(null);
      let prev: string | undefined;
      for (let i = 0; i < n; i++) {
        const k = r.string();
        // Canonical form: keys strictly ascending (this also rules out duplicates).
        if (prev !== undefined && !(prev < k)) r.fail(`object keys not strictly sorted ("${prev}" then "${k}")`);
        prev = k;
        out[k] = readJson(r, depth + 1);
      }
      return { ...out };
    }
    default:
      return r.fail(`unknown JSON tag ${tag}`);
  }
}
