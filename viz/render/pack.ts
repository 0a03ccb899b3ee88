/**
 * The page's data packed: the model's columns (events, arrows, the version-vector and value
 * splices) as zigzag-delta varints — times and indices mostly step by a little, so most take a
 * byte — then gzipped and base64'd into timeline.html, where viz/page/unpack.js inflates them
 * with the browser's DecompressionStream into typed arrays. A million events' JSON would be
 * hundreds of MB; packed they are a few bytes each. The format is private to one page build:
 * the page and this file change together.
 *
 *   u32 (little-endian) header length · header JSON (utf-8) · each column's bytes in header order · the texts (utf-8)
 */
import { gzipSync } from "node:zlib";
import type { Model } from "../layout/model.ts";
import type { TextTable } from "../layout/text-table.ts";

/** A column: its name (a path in the model, as unpack.js rebuilds it), length, byte length, element type. */
export type PackedColumn = { name: string; n: number; bytes: number; type: "i32" | "f64"; raw?: true };

class Bytes {
  buf = new Uint8Array(1 << 16);
  len = 0;
  private room(k: number): void {
    if (this.len + k <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + k));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  /** An unsigned integer, 7 bits a byte (arithmetic, not bit operators: values may pass 2^31). */
  varint(v: number): void {
    this.room(8);
    while (v >= 128) {
      this.buf[this.len++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

/** Zigzag-delta varints when every value is an integer; else the float64s as they are. */
function encode(values: ArrayLike<number>): { bytes: Uint8Array; raw: boolean } {
  let ints = true;
  for (let i = 0; i < values.length && ints; i++) ints = Number.isSafeInteger(values[i]) && Math.abs(values[i]!) < 2 ** 50;
  if (!ints) return { bytes: new Uint8Array(Float64Array.from(values).buffer), raw: true };
  const b = new Bytes();
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - prev;
    prev = values[i]!;
    b.varint(d >= 0 ? 2 * d : -2 * d - 1);
  }
  return { bytes: b.buf.slice(0, b.len), raw: false };
}

const TIME_COLUMNS = new Set(["ev.t", "arrows.t", "arrows.h"]);

/**
 * `data` (the page's JSON-able settings and the model without its columns) with the columns of
 * `m`, packed: base64 of the gzip, ready to sit in a <script> element (base64 has no `<`).
 */
export function packPageData(m: Model, data: Record<string, unknown>, aOrder: ArrayLike<number>): string {
  const { ev, arrows, texts, ...rest } = m;
  const cols: [string, ArrayLike<number>][] = [
    ...Object.entries(ev).map(([k, v]) => [`ev.${k}`, v] as [string, ArrayLike<number>]),
    ...Object.entries(arrows).map(([k, v]) => [`arrows.${k}`, v] as [string, ArrayLike<number>]),
    ["aOrder", aOrder],
    ...tableColumns("vv", texts.vv),
    ...tableColumns("val", texts.val),
  ];
  const body = new Bytes();
  const header: { data: Record<string, unknown>; model: Omit<Model, "ev" | "arrows" | "texts">; cols: PackedColumn[]; textBytes: number } = {
    data,
    model: rest,
    cols: [],
    textBytes: 0,
  };
  for (const [name, values] of cols) {
    const { bytes, raw } = encode(values);
    header.cols.push({ name, n: values.length, bytes: bytes.length, type: TIME_COLUMNS.has(name) || raw ? "f64" : "i32", ...(raw ? { raw: true as const } : {}) });
    body.raw(bytes);
  }
  const text = new TextEncoder().encode(texts.vv.mid.join("") + texts.val.mid.join(""));
  header.textBytes = text.length;
  body.raw(text);
  const head = new TextEncoder().encode(JSON.stringify(header));
  const all = new Uint8Array(4 + head.length + body.len);
  new DataView(all.buffer).setUint32(0, head.length, true);
  all.set(head, 4);
  all.set(body.buf.subarray(0, body.len), 4 + head.length);
  return gzipSync(all).toString("base64");
}

/** A text table's columns; its middles go in the text blob, cut back apart by their lengths (UTF-16 units). */
function tableColumns(name: string, t: TextTable): [string, ArrayLike<number>][] {
  return [
    [`texts.${name}.prev`, t.prev],
    [`texts.${name}.p`, t.p],
    [`texts.${name}.s`, t.s],
    [`texts.${name}.len`, t.mid.map((x) => x.length)],
  ];
}

/** Arrows in order of their send time (then index): the page culls them to the view by it. */
export function arrowOrder(m: Model): Int32Array {
  const ev = m.ev,
    ar = m.arrows;
  const order = Int32Array.from(ar.s.keys());
  let sorted = true;
  for (let k = 1; k < order.length && sorted; k++) sorted = ev.t[ar.s[k]!]! >= ev.t[ar.s[k - 1]!]!;
  if (!sorted) order.sort((a, b) => ev.t[ar.s[a]!]! - ev.t[ar.s[b]!]! || a - b);
  return order;
}
