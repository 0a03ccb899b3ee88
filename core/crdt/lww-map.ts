/**
 * LWW-Map: string keys, each an LWW-Register of a JSON value (same timestamps, same `clock`
 * option "hlc" | "physical", same total order on writes — see lww-register.ts).
 *
 * - set [key, v]: a timestamped write of v under key.
 * - delete [key]: a timestamped write of "absent" — a tombstone. A delete is a write like any
 *   other: it beats older writes and loses to newer ones, so a set concurrent with a delete is
 *   decided by timestamp, exactly as two concurrent sets are. The tombstone must be kept (it is
 *   the only thing that tells a replica holding an older set that the key is gone), so deleted
 *   keys cost one entry (timestamp + writer, no value) forever. Deleting a key this replica has
 *   never seen still writes the tombstone: "delete k" means "k is absent as of now", and it
 *   must beat an older set of k still in flight.
 * - value: an object of the live keys (tombstoned keys omitted), keys in sorted order.
 *
 * Timestamps under "hlc" follow the key's own register: the send rule is applied to the
 * largest timestamp this replica holds *for that key*, so a write (or delete) that follows
 * another write of the same key is always stamped larger, whatever the node clock reads. Keys
 * are independent registers, so no cross-key ordering is promised (or needed).
 *
 * Order of entries for one key: lww-register's order (timestamp, writer, value), then — only
 * when a set and a delete tie on all three, i.e. one replica under "physical" writing null and
 * deleting in the same millisecond — the delete wins. Total, so every merge order agrees.
 *
 * Under "physical", a write stamped below what the key already holds here loses locally and
 * everywhere: it is void and sends an empty delta (as in lww-register).
 */
import { type Hlc, readHlc, writeHlc } from "../clock/hlc.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import { readJson, writeJson } from "../encoding/json-value.ts";
import { OpError } from "../errors.ts";
import { compareStrings, type Json } from "../util/json.ts";
import { builtin, expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { objectOf } from "./_internals/object-of.ts";
import { checkClock, compareWrites, type LwwClock, type LwwWrite, makeWrite, stampWrite } from "./lww-register.ts";

/** One key's latest write; `deleted` marks a tombstone (its write's value is null). Frozen. */
export type LwwMapEntry = Readonly<{ write: LwwWrite; deleted: boolean }>;
/** key → entry. Entries are frozen, so states and deltas share them. */
export type LwwMapState = Map<string, LwwMapEntry>;

const NAME = "lww-map";
const OPS = ["set", "delete"];
const KEYS = ["a", "b", "c"];

export function entryBeats(x: LwwMapEntry, y: LwwMapEntry): boolean {
  return (compareWrites(x.write, y.write) || Number(x.deleted) - Number(y.deleted)) > 0;
}

function entry(value: Json, ts: Hlc, writer: string, deleted: boolean): LwwMapEntry {
  return Object.freeze({ write: makeWrite(value, ts, writer), deleted });
}

export function expectKey(crdt: string, op: string, key: unknown): string {
  if (typeof key !== "string") throw new OpError(crdt, op, `the key must be a string, got ${JSON.stringify(key) ?? String(key)}`);
  return key;
}

const make = ({ clock }: { clock: LwwClock }): StateCrdt<LwwMapState, Record<string, Json>> => ({
  kind: "state",
  name: NAME,
  // Few keys and values, so concurrent sets and deletes of one key are common.
  ops: [
    { op: "set", args: [{ pick: KEYS }, { int: [0, 4] }], weight: 3 },
    { op: "delete", args: [{ pick: KEYS }], weight: 1 },
  ],
  init: () => new Map(),
  update(state: LwwMapState, op: Op, ctx: Ctx) {
    if (!OPS.includes(op.op)) unknownOp(NAME, op.op, OPS);
    expectArity(NAME, op.op, op.args, op.op === "set" ? 2 : 1);
    const key = expectKey(NAME, op.op, op.args[0]);
    if (op.op === "set") expectJson(NAME, op.op, op.args[1]);
    const held = state.get(key);
    const ts = stampWrite(NAME, op.op, clock, held?.write.ts, ctx);
    const e = op.op === "set" ? entry(op.args[1] as Json, ts, ctx.replica, false) : entry(null, ts, ctx.replica, true);
    if (held && !entryBeats(e, held)) return { state, delta: new Map() }; // void ("physical" only)
    state.set(key, e);
    return { state, delta: new Map([[key, e]]) };
  },
  merge(a, b) {
    for (const [k, e] of b) {
      const mine = a.get(k);
      if (!mine || entryBeats(e, mine)) a.set(k, e);
    }
    return a;
  },
  value(s) {
    const live: [string, Json][] = [];
    for (const [k, e] of s) if (!e.deleted) live.push([k, e.write.value]);
    return objectOf(live);
  },
  clone: (s) => new Map(s),
  codec: framedCodec(
    // Layout: count, then per key ascending: key, tag (0 value, 1 tombstone), timestamp, writer, [value].
    NAME,
    (w, s) => {
      const keys = [...s.keys()].sort(compareStrings);
      w.uint(keys.length);
      for (const k of keys) {
        const e = s.get(k)!;
        w.string(k).byte(e.deleted ? 1 : 0);
        writeHlc(w, e.write.ts);
        w.string(e.write.writer);
        if (!e.deleted) writeJson(w, e.write.value);
      }
    },
    (r) => {
      const n = r.count(5);
      const out: LwwMapState = new Map();
      let prev: string | undefined;
      for (let i = 0; i < n; i++) {
        const k = r.string();
        if (prev !== undefined && compareStrings(prev, k) >= 0) r.fail(`keys not strictly sorted (${JSON.stringify(prev)} then ${JSON.stringify(k)})`);
        prev = k;
        const tag = r.byte();
        if (tag > 1) r.fail(`bad entry tag ${tag} (expected 0 value or 1 tombstone)`);
        const ts = readHlc(r);
        const writer = r.string();
        out.set(k, tag === 1 ? entry(null, ts, writer, true) : entry(readJson(r), ts, writer, false));
      }
      return out;
    },
  ),
});

export const lwwMap = builtin(NAME, { clock: "hlc" as LwwClock }, { clock: checkClock }, make);
