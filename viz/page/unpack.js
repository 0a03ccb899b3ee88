// The page's data, unpacked: viz/render/pack.ts wrote it (base64 of a gzip of a JSON header,
// zigzag-delta varint columns and the version-vector and value texts); the browser inflates it
// with DecompressionStream. Plain browser JavaScript, inlined into timeline.html with its
// `export`s stripped, like query.js. Types: unpack.d.ts.

/**
 * The page's data from the packed text: `{ ...data, model }` with the model's columns as typed
 * arrays (ev.*, arrows.*, texts.vv / texts.val with their middles as strings) and `aOrder`.
 */
export async function unpackPageData(b64) {
  const fromBase64 = /** @type {any} */ (Uint8Array).fromBase64;
  const packed = fromBase64 ? fromBase64(b64) : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  const all = new Uint8Array(await new Response(stream).arrayBuffer());
  performance.mark("timeline: data inflated");
  const headLen = new DataView(all.buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(all.subarray(4, 4 + headLen)));
  const model = header.model;
  model.ev = {};
  model.arrows = {};
  const tables = { vv: {}, val: {} };
  /** @type {ArrayLike<number>} */
  let aOrder = new Int32Array(0);
  let at = 4 + headLen;
  for (const c of header.cols) {
    const bytes = all.subarray(at, at + c.bytes);
    at += c.bytes;
    const values = c.raw ? new Float64Array(bytes.slice().buffer) : decodeColumn(bytes, c.n, c.type === "f64" ? new Float64Array(c.n) : new Int32Array(c.n));
    const [a, b, d] = c.name.split(".");
    if (a === "aOrder") aOrder = values;
    else if (a === "texts") tables[b][d] = values;
    else model[a][b] = values;
  }
  performance.mark("timeline: columns decoded");
  const text = new TextDecoder().decode(all.subarray(at, at + header.textBytes));
  // Each middle is cut from the one text when read (query.js textOf): a million strings cut up
  // front cost a second of the first render.
  let pos = 0;
  for (const t of [tables.vv, tables.val]) {
    const from = new Float64Array(t.len.length + 1);
    for (let i = 0; i < t.len.length; i++) from[i + 1] = from[i] + t.len[i];
    const base = pos;
    pos += from[t.len.length];
    t.mid = (i) => text.slice(base + from[i], base + from[i + 1]);
  }
  model.texts = tables;
  return { ...header.data, model, aOrder };
}

/** Zigzag-delta varints into `out` (pack.ts's encode). */
function decodeColumn(bytes, n, out) {
  let at = 0,
    prev = 0;
  for (let i = 0; i < n; i++) {
    let v = 0,
      mul = 1,
      b;
    do {
      b = bytes[at++];
      v += (b & 127) * mul;
      mul *= 128;
    } while (b & 128);
    prev += v % 2 ? -(v + 1) / 2 : v / 2;
    out[i] = prev;
  }
  return out;
}
