/**
 * Codec fuzz: real encodings — states and deltas of every builtin reached by random op histories,
 * version vectors, causal contexts and the store's messages and snapshots — with one fault each:
 * a flipped bit, a byte overwritten, a cut, or a splice (a slice of another real encoding put in
 * place of some bytes, or between two). Decoding the result must either throw a DecodeError, and
 * nothing else, or give a state whose encoding is exactly those bytes, which then are a real
 * encoding (the original, or the donor of a splice that copied it whole). Never a different state
 * without an error: that would be silent, permanent divergence once merged (issue 16, item 7).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CausalContext } from "../clock/causal-context.ts";
import { causalContextCodec, versionVectorCodec } from "../clock/codec.ts";
import { VersionVector } from "../clock/version-vector.ts";
import type { Codec, StateCrdt } from "../contract.ts";
import { DecodeError } from "../errors.ts";
import { crdts, resolveBuiltin } from "../registry.ts";
import { StoreReplica } from "../store/replica.ts";
import { snapshotCodec } from "../store/snapshot.ts";
import type { StoreCrdt } from "../store/store-crdt.ts";
import { historyArbitrary, replay } from "../_test/crdt-laws.ts";
import { opArbitrary } from "../_test/op-arbitrary.ts";
import { at } from "../_test/at.ts";
import { checkProperty } from "../_test/prop.ts";

type Fault =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "byte"; at: number; value: number }
  | { kind: "cut"; at: number }
  | { kind: "splice"; at: number; replace: number; from: number; length: number };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("byte" as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), replace: fc.nat(), from: fc.nat(), length: fc.nat() }),
);

/** `bytes` with one fault; positions are taken modulo what fits, so every fault applies. */
function injure(bytes: Uint8Array, donor: Uint8Array, f: Fault): Uint8Array {
  const n = bytes.length;
  if (f.kind === "cut") return bytes.slice(0, f.at % n);
  if (f.kind === "flip" || f.kind === "byte") {
    const out = bytes.slice();
    out[f.at % n] = f.kind === "flip" ? at(Array.from(bytes), f.at % n) ^ (1 << f.bit) : f.value;
    return out;
  }
  const i = f.at % (n + 1);
  const j = i + (f.replace % (n - i + 1));
  const a = f.from % (donor.length + 1);
  const b = a + (f.length % (donor.length - a + 1));
  return Uint8Array.from([...bytes.subarray(0, i), ...donor.subarray(a, b), ...bytes.subarray(j)]);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The property for one codec: `encodings` are real ones; one is injured (the donor of a splice is another). */
function survivesFaults<S>(codec: Codec<S>, encodings: fc.Arbitrary<Uint8Array[]>, numRuns: number): void {
  checkProperty(
    fc.property(encodings, fc.nat(), fc.nat(), fc.array(faultArb, { minLength: 1, maxLength: 6 }), (all, t, d, faults) => {
      const target = at(all, t % all.length);
      const donor = at(all, d % all.length);
      for (const f of faults) {
        const bytes = injure(target, donor, f);
        let state: S;
        try {
          state = codec.decode(bytes);
        } catch (e) {
          if (e instanceof DecodeError) continue;
          throw new Error(`${JSON.stringify(f)} on ${hex(target)} gave ${hex(bytes)}: decode threw ${String(e)}, not a DecodeError`);
        }
        expect(hex(codec.encode(state)), `${JSON.stringify(f)} on ${hex(target)}: decoded, but not to the state these bytes encode`).toBe(hex(bytes));
        expect([hex(target), hex(donor)], `${JSON.stringify(f)} on ${hex(target)}: decoded to a state that is neither the original nor the donor`).toContain(hex(bytes));
      }
    }),
    { numRuns },
  );
}

/** Encodings of the states and deltas a random history of `crdt` reaches. */
function historyEncodings(crdt: StateCrdt): fc.Arbitrary<Uint8Array[]> {
  return historyArbitrary(crdt).map((steps) => {
    const { states, deltas } = replay(crdt, steps);
    return [...states, ...deltas].map((s) => crdt.codec!.encode(s));
  });
}

const dotArb = fc.tuple(fc.constantFrom("a", "b", "ü", ""), fc.integer({ min: 1, max: 300 }));
const vvEncodings = fc
  .array(fc.dictionary(fc.constantFrom("a", "b", "c", "__proto__"), fc.nat(200)), { minLength: 1, maxLength: 4 })
  .map((vvs) => vvs.map((o) => versionVectorCodec.encode(VersionVector.from(o))));
const ccEncodings = fc
  .array(fc.array(dotArb, { maxLength: 30 }), { minLength: 1, maxLength: 4 })
  .map((cs) => cs.map((ds) => causalContextCodec.encode(CausalContext.from({ cloud: ds }))));

// A store of two collections (records and sets), driven through StoreReplicas by ops from its own alphabet.
const store = resolveBuiltin({ type: "store", collections: { customers: "record", tags: "or-set" } }) as unknown as StoreCrdt;
const storeStep = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("op" as const), at: fc.nat(2), op: opArbitrary(store.ops), now: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deliver" as const), msg: fc.nat(), to: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("sync" as const), from: fc.nat(2), to: fc.nat(2) }) },
);
type Messages = { delta: Uint8Array[]; digest: Uint8Array[]; sync: Uint8Array[]; snapshot: Uint8Array[] };
const storeMessages: fc.Arbitrary<Messages> = fc.array(storeStep, { maxLength: 25 }).map((steps) => {
  let clock = 0;
  const replicas = ["a", "b", "c"].map((id) => new StoreReplica(id, store, () => clock));
  const out: Messages = { delta: [], digest: [], sync: [], snapshot: [] };
  const sent = [];
  for (const s of steps) {
    if (s.kind === "op") {
      clock = s.now;
      const r = at(replicas, s.at);
      const message = r.update(s.op);
      sent.push(message);
      out.delta.push(r.codecs.delta.encode(message));
    } else if (s.kind === "deliver") {
      if (sent.length > 0) at(replicas, s.to).receive(at(sent, s.msg % sent.length));
    } else if (s.from !== s.to) {
      const from = at(replicas, s.from),
        to = at(replicas, s.to);
      const answer = from.missing(to.digest());
      out.sync.push(from.codecs.sync.encode(answer));
      to.applySync(answer);
    }
  }
  for (const r of replicas) {
    out.digest.push(r.codecs.digest.encode(r.digest()));
    out.sync.push(r.codecs.sync.encode(r.missing(new Map())));
    out.snapshot.push(r.snapshot());
  }
  if (out.delta.length === 0) {
    const first = at(replicas, 0);
    out.delta.push(first.codecs.delta.encode(first.update({ op: "add", args: ["tags", "A", "x"] })));
  }
  return out;
});

describe("codec fuzz: a flipped bit or byte, a cut or a splice of a real encoding is a DecodeError, never a different state", () => {
  for (const [name, crdt] of Object.entries(crdts)) it(`${name}: states and deltas of random histories`, () => survivesFaults(crdt.codec!, historyEncodings(crdt), 120));

  it("version vectors", () => survivesFaults(versionVectorCodec, vvEncodings, 300));
  it("causal contexts", () => survivesFaults(causalContextCodec, ccEncodings, 300));

  const codecs = new StoreReplica("x", store).codecs;
  const messageCodecs: [keyof Messages, Codec<any>][] = [
    ["delta", codecs.delta],
    ["digest", codecs.digest],
    ["sync", codecs.sync],
    ["snapshot", snapshotCodec(store)],
  ];
  for (const [kind, codec] of messageCodecs)
    it(`store ${kind} messages of random histories`, () =>
      survivesFaults(
        codec,
        storeMessages.map((m) => m[kind]),
        120,
      ));
});
