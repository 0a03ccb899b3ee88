/**
 * LWW-Register: one JSON value; of concurrent writes the one with the largest timestamp wins.
 *
 * Where the timestamp comes from is the whole story ("Distributed Data Without Tears": "Last-Write-Wins based on simple
 * timestamps can lead to lost data if a clock is out of sync"), so it is an option:
 * - `clock: "physical"`: (ctx.now(), 0), the node's own clock. A node whose clock is behind
 *   writes *after* seeing a write yet stamps it *earlier*, and its write is silently lost —
 *   everywhere, its own replica included. Kept to show exactly that.
 * - `clock: "hlc"` (default): the hybrid-logical-clock send rule applied to the largest
 *   timestamp this register has seen (merge keeps the max, so the register's own timestamp is
 *   that): l = max(now, l_seen), c = c_seen + 1 if l did not move, else 0. A write that follows
 *   another (has merged it) is therefore always stamped larger, however far behind the clock.
 *   Truly concurrent writes are still decided by timestamp: that is LWW's contract.
 *
 * Order of writes: (l, c), then the writer's replica id (larger wins), then — only possible when
 * one replica writes twice with the same physical reading — the value by compareJson (larger
 * wins, as Cassandra does), so merge is a total order and every merge order picks the same write.
 */
import { compareHlcThenReplica, type Hlc, hlcSend, isPhysicalReading, readHlc, writeHlc } from "../clock/hlc.ts";
import type { Ctx, Op, StateCrdt } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import { readJson, writeJson } from "../encoding/json-value.ts";
import { OpError } from "../errors.ts";
import { compareJson, type Json } from "../util/json.ts";
import { builtin, expectArity, expectJson, unknownOp } from "./_internals/builtin.ts";
import { frozenJson } from "./_internals/frozen-json.ts";

/** One write, frozen: states and deltas share it freely. */
export type LwwWrite = Readonly<{ value: Json; ts: Hlc; writer: string }>;
/** `write` is null until the first write reaches this replica. */
export type LwwRegisterState = { write: LwwWrite | null };
export type LwwClock = "physical" | "hlc";

const NAME = "lww-register";

/** Total order on writes: timestamp, then writer id, then value (zero only for identical writes). */
export function compareWrites(x: LwwWrite, y: LwwWrite): number {
  return compareHlcThenReplica(x.ts, x.writer, y.ts, y.writer) || compareJson(x.value, y.value);
}

/** Whether write `x` beats write `y` (a strict total order on distinct writes). */
export function beats(x: LwwWrite, y: LwwWrite): boolean {
  return compareWrites(x, y) > 0;
}

export function makeWrite(value: Json, ts: Hlc, writer: string): LwwWrite {
  return Object.freeze({ value: frozenJson(value), ts: Object.freeze({ l: ts.l, c: ts.c }), writer });
}

/**
 * The timestamp of a new write under `clock`, given the largest timestamp already seen for the
 * same register (`last`). Shared with the LWW-Map, whose every key is such a register. Throws
 * an OpError naming `crdt` and `op` when the node clock does not read an integer ms.
 */
export function stampWrite(crdt: string, op: string, clock: LwwClock, last: Hlc | undefined, ctx: Ctx): Hlc {
  const now = ctx.now();
  if (!isPhysicalReading(now)) throw new OpError(crdt, op, `the node clock (ctx.now()) must read an integer number of ms in [-2^52, 2^52), got ${now}`);
  return clock === "hlc" ? hlcSend(last, now) : { l: now, c: 0 };
}

/** Validates the `clock` option (shared with the LWW-Map). */
export function checkClock(v: unknown): string | undefined {
  return v === "hlc" || v === "physical" ? undefined : `must be "hlc" or "physical", got ${JSON.stringify(v)}`;
}

const make = ({ clock }: { clock: LwwClock }): StateCrdt<LwwRegisterState, Json> => ({
  kind: "state",
  name: NAME,
  ops: [{ op: "set", args: [{ int: [0, 9] }] }],
  init: () => ({ write: null }),
  update(state: LwwRegisterState, op: Op, ctx: Ctx) {
    if (op.op !== "set") unknownOp(NAME, op.op, ["set"]);
    expectArity(NAME, op.op, op.args, 1);
    expectJson(NAME, op.op, op.args[0]);
    const ts = stampWrite(NAME, op.op, clock, state.write?.ts, ctx);
    const write = makeWrite(op.args[0] as Json, ts, ctx.replica);
    // Only reachable under "physical": the write is stamped below what this replica already
    // holds, so it loses here and would lose everywhere. It is void; send nothing.
    if (state.write !== null && !beats(write, state.write)) return { state, delta: { write: null } };
    state.write = write;
    return { state, delta: { write } };
  },
  merge(a, b) {
    if (b.write !== null && (a.write === null || beats(b.write, a.write))) a.write = b.write;
    return a;
  },
  value: (s) => (s.write === null ? null : s.write.value),
  clone: (s) => ({ write: s.write }),
  isBottom: (s) => s.write === null,
  codec: framedCodec(
    NAME,
    (w, s) => {
      if (s.write === null) w.byte(0);
      else {
        w.byte(1);
        writeHlc(w, s.write.ts);
        w.string(s.write.writer);
        writeJson(w, s.write.value);
      }
    },
    (r) => {
      const flag = r.byte();
      if (flag > 1) r.fail(`bad presence flag ${flag} (expected 0 or 1)`);
      if (flag === 0) return { write: null };
      const ts = readHlc(r);
      const writer = r.string();
      return { write: makeWrite(readJson(r), ts, writer) };
    },
  ),
});

export const lwwRegister = builtin(NAME, { clock: "hlc" as LwwClock }, { clock: checkClock }, make);
