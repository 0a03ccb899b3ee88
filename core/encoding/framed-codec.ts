import type { Codec } from "../contract.ts";
import { DecodeError } from "../errors.ts";
import { crc32c } from "./crc32c.ts";
import { CHECKSUM_BYTES, FORMAT_VERSION, readHeader, type TypeTagName, UNCHECKED_FORMAT_VERSION, unsupportedVersion, writeHeader } from "./header.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

type Body<S> = { type: TypeTagName; write: (w: Writer, state: S) => void; read: (r: Reader) => S };

/** The frame's header: the format version byte and the type tag byte (header.ts writeHeader). */
const HEADER_BYTES = 2;

// `size` runs once per message the simulator sends: one Writer is kept for it and reset rather
// than allocated per call. `sizing` covers a body writer that sizes something itself.
const sizer = new Writer(true);
let sizing = false;

function measure<S>(w: Writer, version: number, body: Body<S>, state: S): number {
  writeHeader(w, body.type, version);
  body.write(w, state);
  return w.length;
}

function sizeOf<S>(version: number, body: Body<S>, state: S): number {
  if (sizing) return measure(new Writer(true), version, body, state);
  sizing = true;
  try {
    sizer.reset();
    return measure(sizer, version, body, state);
  } finally {
    sizing = false;
  }
}

function readFrame<S>(bytes: Uint8Array, version: number, body: Body<S>): S {
  const r = new Reader(bytes, body.type);
  readHeader(r, body.type, version);
  const state = body.read(r);
  r.end();
  return state;
}

/**
 * A version-2 frame's bytes without the checksum, once the checksum matches them. The version
 * is checked first (a frame that is not version 2 has no checksum to check), the tag after it
 * (by readFrame): bytes of another type are named as such only when they arrived intact.
 */
function verified(bytes: Uint8Array, type: TypeTagName): Uint8Array {
  const version = bytes[0];
  if (version === undefined) throw new DecodeError(type, 0, "unexpected end of input");
  if (version !== FORMAT_VERSION) throw new DecodeError(type, 0, unsupportedVersion(version));
  const end = bytes.length - CHECKSUM_BYTES;
  if (end < 2) throw new DecodeError(type, bytes.length, `unexpected end of input (a version-${FORMAT_VERSION} frame is at least ${2 + CHECKSUM_BYTES} bytes)`);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + end, CHECKSUM_BYTES).getUint32(0, true);
  const computed = crc32c(bytes, 0, end);
  if (stored !== computed) {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    throw new DecodeError(type, end, `checksum mismatch (stored ${hex(stored)}, computed ${hex(computed)}): the bytes were changed, cut or spliced after they were encoded`);
  }
  return bytes.subarray(0, end);
}

// The unchecked (version 1) codec of every framed codec, for the composite types that nest it.
const uncheckedOf = new WeakMap<Codec<any>, Codec<any>>();

/**
 * A type's codec from its body writer and reader: the frame (format version, type tag, the
 * CRC-32C that ends it, and "every byte consumed" on decode) is the same for every type, so it
 * lives here once.
 *
 * `decode` also reads version-1 frames (no checksum), written before version 2, so that stored
 * states and snapshots stay readable. Such bytes carry no integrity check: a corrupted version-1
 * encoding can still decode to a different valid state, as every encoding could before.
 * `size` counts the checksum's 4 bytes without computing it.
 */
export function framedCodec<S>(
  type: TypeTagName,
  write: (w: Writer, state: S) => void,
  read: (r: Reader) => S,
  /** Optional: the bytes `write` would write, counted without writing them (a type the simulator sizes per message). */
  bodySize?: (state: S) => number,
): Codec<S> {
  const body: Body<S> = { type, write, read };
  const unchecked: Codec<S> = {
    encode(state) {
      const w = new Writer();
      writeHeader(w, type, UNCHECKED_FORMAT_VERSION);
      write(w, state);
      return w.finish();
    },
    size: bodySize ? (state) => HEADER_BYTES + bodySize(state) : (state) => sizeOf(UNCHECKED_FORMAT_VERSION, body, state),
    decode: (bytes) => readFrame(bytes, UNCHECKED_FORMAT_VERSION, body),
  };
  const codec: Codec<S> = {
    encode(state) {
      const w = new Writer();
      writeHeader(w, type);
      write(w, state);
      return w.checksum().finish();
    },
    size: bodySize ? (state) => HEADER_BYTES + bodySize(state) + CHECKSUM_BYTES : (state) => sizeOf(FORMAT_VERSION, body, state) + CHECKSUM_BYTES,
    decode(bytes) {
      if (!(bytes instanceof Uint8Array)) throw new DecodeError(type, 0, "input is not a Uint8Array");
      if (bytes[0] === UNCHECKED_FORMAT_VERSION) return unchecked.decode(bytes);
      return readFrame(verified(bytes, type), FORMAT_VERSION, body);
    },
  };
  uncheckedOf.set(codec, unchecked);
  return codec;
}

/**
 * The codec a composite type (record, OR-Map, store) uses for a state it nests in its own frame:
 * for a framed codec its version-1 form, without a checksum of its own — the outer frame's
 * covers those bytes, so neither the 4 bytes nor the work are repeated per field or object, and
 * nested bytes are the same as before version 2. Any other codec (a plugin's) as it is.
 */
export function nestedCodec<S>(codec: Codec<S>): Codec<S> {
  return uncheckedOf.get(codec) ?? codec;
}
