import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

/**
 * Every encoded state starts with a format version and the type's tag, so that bytes of one
 * type are refused by another type's decoder instead of being misread.
 *
 * Version 2 (written since issue 16) ends the frame with a CRC-32C of everything before it
 * (core/encoding/framed-codec.ts): a flipped byte, a cut or a splice is a DecodeError, not a
 * different valid state. Version 1 frames have no checksum; they are still read (encodings
 * written before version 2), and a state nested inside another's frame (a record's fields, an
 * OR-Map's values, a store's objects) is written in that form, covered by the outer checksum.
 */
export const FORMAT_VERSION = 2;
export const UNCHECKED_FORMAT_VERSION = 1;
/** Bytes of the CRC-32C that ends a version-2 frame. */
export const CHECKSUM_BYTES = 4;

export const TYPE_TAGS = {
  "g-counter": 1,
  "pn-counter": 2,
  "g-set": 3,
  "2p-set": 4,
  "or-set": 5,
  "lww-register": 6,
  "mv-register": 7,
  "lww-map": 8,
  "or-map": 9,
  record: 10,
  rga: 11,
  lseq: 12,
  store: 13,
  "ew-flag": 14,
  "version-vector": 20,
  "causal-context": 21,
  // The messaging store's messages (core/store/messages.ts).
  "store-delta": 30,
  "store-sync": 31,
  "store-digest": 32,
  "store-snapshot": 33,
  "store-txn": 34,
} as const;

export type TypeTagName = keyof typeof TYPE_TAGS;

export function writeHeader(w: Writer, type: TypeTagName, version: number = FORMAT_VERSION): void {
  w.byte(version).byte(TYPE_TAGS[type]);
}

/** Reads the version byte, which must be `version`, then the type tag, which must be `type`'s. */
export function readHeader(r: Reader, type: TypeTagName, version: number = FORMAT_VERSION): void {
  const found = r.byte();
  if (found !== version) {
    const known = found === FORMAT_VERSION || found === UNCHECKED_FORMAT_VERSION;
    r.fail(known ? `format version ${found} where version ${version} is expected` : unsupportedVersion(found));
  }
  const tag = r.byte();
  if (tag !== TYPE_TAGS[type]) {
    const name = Object.entries(TYPE_TAGS).find(([, t]) => t === tag)?.[0];
    r.fail(name ? `these bytes encode a ${name}, not a ${type}` : `unknown type tag ${tag}`);
  }
}

export function unsupportedVersion(found: number): string {
  return `unsupported format version ${found} (expected ${FORMAT_VERSION}, or ${UNCHECKED_FORMAT_VERSION} without checksum)`;
}
