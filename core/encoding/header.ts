import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

/**
 * Every encoded state starts with a format version and the type's tag, so that bytes of one
 * type are refused by another type's decoder instead of being misread.
 */
export const FORMAT_VERSION = 1;

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
  "version-vector": 20,
  "causal-context": 21,
  // The messaging store's messages (core/store/messages.ts).
  "store-delta": 30,
  "store-sync": 31,
  "store-digest": 32,
  "store-snapshot": 33,
} as const;

export type TypeTagName = keyof typeof TYPE_TAGS;

export function writeHeader(w: Writer, type: TypeTagName): void {
  w.byte(FORMAT_VERSION).byte(TYPE_TAGS[type]);
}

export function readHeader(r: Reader, type: TypeTagName): void {
  const version = r.byte();
  if (version !== FORMAT_VERSION) r.fail(`unsupported format version ${version} (expected ${FORMAT_VERSION})`);
  const tag = r.byte();
  if (tag !== TYPE_TAGS[type]) {
    const found = Object.entries(TYPE_TAGS).find(([, t]) => t === tag)?.[0];
    r.fail(found ? `these bytes encode a ${found}, not a ${type}` : `unknown type tag ${tag}`);
  }
}
