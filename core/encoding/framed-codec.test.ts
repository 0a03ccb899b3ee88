/**
 * The frame every encoding shares: version 2 ends with a CRC-32C of the rest, version 1 (written
 * before issue 16) has none and is still read. The fixtures below are version-1 bytes written by
 * the code before version 2 existed; they must decode as they did then.
 */
import { describe, expect, it } from "vitest";
import { causalContextCodec, versionVectorCodec } from "../clock/codec.ts";
import type { Codec } from "../contract.ts";
import { crdts, resolveBuiltin } from "../registry.ts";
import { nestedCodec } from "./framed-codec.ts";
import { DecodeError } from "../errors.ts";
import { StoreReplica } from "../store/replica.ts";
import { at } from "../_test/at.ts";
import { withChecksum } from "../_test/frame.ts";
import { storeCodecs } from "../store/messages.ts";
import type { StoreCrdt } from "../store/store-crdt.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytesOf = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

// type → [the value it had, the version-1 bytes]: small states of every builtin, from the registry's defaults.
const V1_STATES: Record<string, [unknown, string]> = {
  "g-counter": [5, "010102016103016202"],
  "pn-counter": [-2, "01020101610301016205"],
  "g-set": [[1, 4], "01030203020308"],
  "2p-set": [[4], "0104010308010302"],
  "or-set": [[4], "01050201610101620100010308010101"],
  "lww-register": ["hi", "0106010a00016105026869"],
  "mv-register": [[7], "0107010161010001030e010001"],
  "lww-map": [{ j: 2, k: 1 }, "010802016a00040001620304016b00020001610302"],
  "or-map": [{}, "0109000000"],
  record: [{ email: "x@y", phone: ["555"], tags: [], views: 0 }, "010a02000c010601020001610503784079011001070101620100010503353535010001"],
  rga: ["xy", "010b010161010008000000027879"],
  lseq: ["xy", "010c0101610100010201000a000000027879"],
  store: [{ customers: { A: { email: "x@y", phone: [], tags: [], views: 0 } } }, "010d010001014111010a01000c010601020001610503784079"],
};

const store = resolveBuiltin("store") as StoreCrdt;
const messages = storeCodecs(store);
// What replica "a" sent after one write (set customers.A.email "x@y"): the delta, its digest,
// its answer to an empty digest, and its snapshot.
const V1_MESSAGES: [string, Codec<any>, string][] = [
  ["version-vector {a:3,b:1}", versionVectorCodec, "011402016103016201"],
  ["causal-context {a:1,a:2,b:4}", causalContextCodec, "0115010161020101620104"],
  ["store-delta", messages.delta, "011e00014101610111010a01000c010601000001610503784079"],
  ["store-digest", messages.digest, "012001000101610100"],
  ["store-sync", messages.sync, "011f010000000101610100010141000101610111010a01000c010601000001610503784079"],
];
const V1_SNAPSHOT = "0121016119010d010001014111010a01000c0106010000016105037840790100010161010001014101016101";

/** The version-1 bytes (hex) of a builtin's fixture state. */
function v1Hex(name: string): string {
  const fixture = V1_STATES[name];
  if (fixture === undefined) throw new Error(`no version-1 fixture for ${name}`);
  return fixture[1];
}

/** The version-2 frame of a version-1 frame's content: same tag and body, then the checksum. */
const checkedFormOf = (v1: Uint8Array): string => hex(Uint8Array.from(withChecksum([2, ...v1.subarray(1)])));

describe("framed codec: the checksum (version 2) and the old format (version 1)", () => {
  it("version-1 bytes of every builtin still decode to the state they held; re-encoding writes the same body in a version-2 frame", () => {
    for (const [name, [value, h]] of Object.entries(V1_STATES)) {
      const codec = resolveBuiltin(name).codec!;
      const state = codec.decode(bytesOf(h));
      expect(resolveBuiltin(name).value(state), name).toEqual(value);
      expect(hex(codec.encode(state)), name).toBe(checkedFormOf(bytesOf(h)));
      expect(codec.size!(state), name).toBe(bytesOf(h).length + 4);
    }
  });

  it("version-1 clock codecs and store messages still decode, and re-encode as the same body plus the checksum", () => {
    for (const [what, codec, h] of V1_MESSAGES) {
      const decoded = codec.decode(bytesOf(h));
      expect(hex(codec.encode(decoded)), what).toBe(checkedFormOf(bytesOf(h)));
    }
    const restored = StoreReplica.restore(store, bytesOf(V1_SNAPSHOT));
    expect(restored.id).toBe("a");
    expect(restored.value()).toEqual({ customers: { A: { email: "x@y", phone: [], tags: [], views: 0 } } });
    expect(hex(restored.snapshot())).toBe(checkedFormOf(bytesOf(V1_SNAPSHOT)));
  });

  it("a flipped byte in a version-1 encoding can still decode to another state (no checksum there); in version 2 it is a DecodeError", () => {
    // The example: rga "xy" whose content byte 'x' becomes 'y' decodes, same ids, as "yy".
    const v1 = bytesOf(v1Hex("rga"));
    const flipped = v1.slice();
    flipped[flipped.length - 2] = 0x79;
    expect(resolveBuiltin("rga").value(resolveBuiltin("rga").codec!.decode(flipped))).toBe("yy");
    const v2 = resolveBuiltin("rga").codec!.encode(resolveBuiltin("rga").codec!.decode(v1));
    const bad = v2.slice();
    bad[bad.length - 6] = 0x79;
    expect(() => resolveBuiltin("rga").codec!.decode(bad)).toThrow(DecodeError);
    expect(() => resolveBuiltin("rga").codec!.decode(bad)).toThrow(`cannot decode rga at byte ${bad.length - 4}: checksum mismatch`);
  });

  it("names a bad version, a cut frame, and (intact) bytes of another type", () => {
    const codec = resolveBuiltin("g-counter").codec!;
    const good = codec.encode(codec.decode(bytesOf(v1Hex("g-counter"))));
    expect(() => codec.decode(new Uint8Array(0))).toThrow("unexpected end of input");
    expect(() => codec.decode(Uint8Array.from([3, ...good.subarray(1)]))).toThrow("unsupported format version 3 (expected 2, or 1 without checksum)");
    expect(() => codec.decode(good.subarray(0, 5))).toThrow("unexpected end of input (a version-2 frame is at least 6 bytes)");
    expect(() => codec.decode(good.subarray(0, good.length - 1))).toThrow("checksum mismatch");
    const set = resolveBuiltin("g-set").codec!.encode(resolveBuiltin("g-set").init("a"));
    expect(() => codec.decode(set)).toThrow("these bytes encode a g-set, not a g-counter");
  });

  it("every builtin's codec, configured or not, has the unchecked form its nesting types write", () => {
    const configured = [
      ...Object.values(crdts),
      resolveBuiltin({ type: "lww-register", clock: "physical" }),
      resolveBuiltin({ type: "or-map", value: { type: "record", fields: { n: "g-counter", m: { type: "lww-map", clock: "hlc" } } } }),
      resolveBuiltin({ type: "store", collections: { a: "rga", b: { type: "or-map", value: "mv-register" } } }),
    ];
    for (const c of configured) {
      const unchecked = nestedCodec(c.codec!);
      expect(unchecked, c.name).not.toBe(c.codec);
      expect(unchecked.encode(c.init("a"))[0], c.name).toBe(1);
    }
  });

  it("a nested state is written unchecked (the outer checksum covers it); a checked frame nested instead is refused as not canonical", () => {
    const record = resolveBuiltin("record");
    const s = record.update(record.init("a"), { op: "set", args: ["email", "x@y"] }, { replica: "a", now: () => 1 }).state;
    const bytes = record.codec!.encode(s);
    // header, field count, field index, nested length, then the nested lww-register frame: version 1.
    expect(bytes[5]).toBe(1);
    const nested = resolveBuiltin("lww-register").codec!.encode(s.get("email"));
    const forged = Uint8Array.from(withChecksum([2, 10, 1, at(Array.from(bytes), 3), nested.length, ...nested]));
    expect(() => record.codec!.decode(forged)).toThrow(/field "email": .*format version 2 where version 1 is expected/);
  });
});
