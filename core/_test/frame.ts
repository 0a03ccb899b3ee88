/**
 * Hand-made frames for codec tests that feed a decoder a body written by hand, or one changed on
 * purpose: framed as framedCodec frames it (version 2, CRC-32C last), so that the decoder gets to
 * the body instead of refusing the checksum.
 */
import { crc32c } from "../encoding/crc32c.ts";
import { CHECKSUM_BYTES, type TypeTagName, writeHeader } from "../encoding/header.ts";
import { Writer } from "../encoding/writer.ts";

/** A body written by `body`, framed and checksummed like the codec of `type` frames it. */
export function checkedFrame(type: TypeTagName, body: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  writeHeader(w, type);
  body(w);
  return w.u32(crc32c(w.written())).finish();
}

/** A version-2 frame a test changed, with its checksum recomputed over the change. */
export function resealed(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const end = out.length - CHECKSUM_BYTES;
  new DataView(out.buffer, out.byteOffset).setUint32(end, crc32c(out, 0, end), true);
  return out;
}

/** `frame` (version byte 2, type tag, body) followed by its CRC-32C, as a documented layout is written. */
export function withChecksum(frame: number[]): number[] {
  const crc = crc32c(Uint8Array.from(frame));
  return [...frame, crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24];
}
