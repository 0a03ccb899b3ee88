import type { Codec } from "../contract.ts";
import { readHeader, type TypeTagName, writeHeader } from "./header.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

/**
 * A type's codec from its body writer and reader: the frame (format version, type tag, and
 * "every byte consumed" on decode) is the same for every type, so it lives here once.
 */
export function framedCodec<S>(type: TypeTagName, write: (w: Writer, state: S) => void, read: (r: Reader) => S): Codec<S> {
  return {
    encode(state) {
      const w = new Writer();
      writeHeader(w, type);
      write(w, state);
      return w.finish();
    },
    size(state) {
      const w = new Writer();
      writeHeader(w, type);
      write(w, state);
      return w.finishLength();
    },
    decode(bytes) {
      const r = new Reader(bytes, type);
      readHeader(r, type);
      const state = read(r);
      r.end();
      return state;
    },
  };
}
