/**
 * The global `Buffer`, injected into the browser build where the sources name it: the wire size
 * of a plugin's JSON state (sim/engine/wire-size.ts) and the law checker's hex keys. Only those
 * two uses, with Node's results.
 */
import { bytesToHex } from "@noble/hashes/utils.js";

const utf8 = new TextEncoder();

export const Buffer = {
  byteLength: (text: string, _encoding?: "utf8"): number => utf8.encode(text).length,
  from: (bytes: Uint8Array) => ({ toString: (_encoding: "hex") => bytesToHex(bytes) }),
};
