import type { Codec } from "../contract.ts";
import { readHeader, type TypeTagName, writeHeader } from "./header.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

// `size` runs once per message the simulator sends: one Writer is kept for it and reset rather
// than allocated per call. `sizing` covers a body writer that sizes something itself.
const sizer = new Writer(true);
let sizing = false;

function measure<S>(w: Writer, type: TypeTagName, write: (w: Writer, state: S) => void, state: S): number {
  writeHeader(w, type);
  write(w, state);
  return w.length;
}

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
      if (sizing) return measure(new Writer(true), type, write, state);
      sizing = true;
      try {
        sizer.reset();
        return measure(sizer, type, write, state);
      } finally {
        sizing = false;
      }
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
