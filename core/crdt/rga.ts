/**
 * RGA: a replicated text sequence (state-based with delta mutators). The engine — run-length
 * items, chunked position index with a cursor, YjsMod/FugueMax ordering of concurrent inserts
 * (no interleaving of concurrently typed runs), tombstones, pending buffers — is described and
 * implemented in ./_internals/seq-rga.ts; the state in ./_internals/seq-rga-state.ts and its
 * canonical codec in ./_internals/seq-rga-codec.ts.
 *
 * - insert [index, text]: index a non-negative integer, clamped to the length; text a string
 *   of well-formed UTF-16 (indices count UTF-16 code units, and a surrogate pair is never
 *   split). Delta: the inserted run with its origins (state-shaped, a few small objects).
 * - delete [index, count]: count a non-negative integer, clamped to what follows index.
 *   Delta: the deleted id ranges.
 * - value: the string.
 * Deltas arriving before the characters they refer to wait inside the state (pending), so
 * merge is idempotent, commutative and associative whatever the delivery order.
 */
import type { Ctx, Op, OpSpec, StateCrdt } from "../contract.ts";
import { framedCodec } from "../encoding/framed-codec.ts";
import { OpError } from "../errors.ts";
import { builtin, unknownOp } from "./_internals/builtin.ts";
import { type Del } from "./_internals/seq-rga.ts";
import { readRga, writeRga } from "./_internals/seq-rga-codec.ts";
import { mergeRga, RgaState as RgaStateClass, valueRga } from "./_internals/seq-rga-state.ts";

// Local aliases: under a CommonJS transpile (tsx) every use of an imported binding is a getter
// call, which shows up on the per-keystroke path.
const RgaState = RgaStateClass;

export { RgaStateClass as RgaState };

const NAME = "rga";
const OPS = ["insert", "delete"];

/** Validates a sequence op's arguments (throws an OpError naming the op); shared with LSeq. */
export function seqArgs(crdt: string, op: Op): void {
  if (op.op !== "insert" && op.op !== "delete") unknownOp(crdt, op.op, OPS);
  const args = op.args;
  if (!Array.isArray(args) || args.length !== 2)
    throw new OpError(crdt, op.op, `expects 2 arguments (index, ${op.op === "insert" ? "text" : "count"}), got ${Array.isArray(args) ? args.length : "no array"}`);
  const index = args[0];
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) throw new OpError(crdt, op.op, `index must be a non-negative integer, got ${JSON.stringify(index)}`);
  const x = args[1];
  if (op.op === "insert") {
    if (typeof x !== "string") throw new OpError(crdt, op.op, `text must be a string, got ${JSON.stringify(x) ?? typeof x}`);
    if (!(x as unknown as { isWellFormed(): boolean }).isWellFormed()) throw new OpError(crdt, op.op, "text has a lone surrogate (not well-formed UTF-16)");
  } else if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new OpError(crdt, op.op, `count must be a non-negative integer, got ${JSON.stringify(x)}`);
}

/** Sequence op alphabet for random workloads and law tests: small indices so edits collide. */
export const SEQ_OPS: OpSpec[] = [
  { op: "insert", args: [{ int: [0, 6] }, { string: 3 }], weight: 3 },
  { op: "delete", args: [{ int: [0, 6] }, { int: [0, 3] }], weight: 1 },
];

export const rga = builtin(NAME, {}, {}, (): StateCrdt<RgaStateClass, string> => ({
  kind: "state",
  name: NAME,
  ops: SEQ_OPS,
  sequence: {},
  init: () => new RgaState(),
  update(state: RgaStateClass, op: Op, ctx: Ctx) {
    seqArgs(NAME, op);
    const index = op.args[0] as number,
      x = op.args[1];
    const doc = state.doc ?? state.full();
    const p = index < doc.length ? index : doc.length;
    if (op.op === "insert") {
      const text = x as string;
      if (text.length === 0) return { state, delta: new RgaState() };
      const ri = doc.rep(ctx.replica);
      const ctr = doc.insertLocal(ri, p, text);
      const L = doc.oL,
        R = doc.oR;
      const run = { rep: ctx.replica, ctr, text, l: L === null ? null : doc.nameOf(L.rep), lc: doc.oLc, r: R === null ? null : doc.nameOf(R.rep), rc: R === null ? -1 : R.ctr };
      return { state, delta: new RgaState(null, [run], null) };
    }
    const n = Math.min(x as number, doc.length - p);
    if (n === 0) return { state, delta: new RgaState() };
    const dels: Del[] = [];
    doc.deleteLocal(p, n, dels);
    return { state, delta: new RgaState(null, null, dels) };
  },
  merge: mergeRga,
  value: valueRga,
  clone: (s) => s.clone(),
  codec: framedCodec(NAME, writeRga, readRga),
}));
