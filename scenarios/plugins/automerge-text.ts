/**
 * Automerge as a MemoConductor plugin: an Automerge document `{ t: <text> }` driven through the
 * state-based contract. A state is a replica's document; an update's delta is the binary change
 * the edit made (Automerge's own unit of replication); merge applies a delta's changes, or
 * Automerge.merge's a whole document (anti-entropy). A change that arrives before the changes
 * it depends on waits until they come — in this state's own `pending` list, not in Automerge's
 * internal queue: a queued change is invisible to Automerge.merge, so a replica holding one and
 * syncing its whole document would drop it (the law checker caught exactly that). Ops are
 * the sequence ops of the builtin `rga`: `insert [index, text]`, `delete [index, count]`, clamped.
 *
 * Every replica starts from the same base document (one shared creation of `t`): replicas that
 * each created their own `t` would hold concurrent, conflicting text objects. Actor ids come
 * from replica names and change times are fixed at 0, so runs replay bit-for-bit.
 */
import * as A from "@automerge/automerge";
import type { StateCrdt } from "../../core/contract.ts";

type D = { t: string };
/** A replica's document and the changes still waiting for their dependencies; or (deltas) just changes. */
export type AmState = { doc: A.Doc<D> | null; changes: Uint8Array[] | null; pending?: Uint8Array[] };

const BASE = A.save(A.change(A.init<D>({ actor: "00" }), { time: 0 }, (d) => void (d.t = "")));
const actorOf = (replica: string) => Buffer.from(`mc:${replica}`, "utf8").toString("hex");
const hashOf = (c: Uint8Array) => A.decodeChange(c).hash;

/** Applies the changes whose dependencies `doc` has, repeatedly; returns the doc and the rest. */
function applyReady(doc: A.Doc<D>, changes: Uint8Array[]): { doc: A.Doc<D>; pending: Uint8Array[] } {
  const has = (h: string) => A.hasHeads(doc, [h]);
  let rest = changes.filter((c) => !has(hashOf(c)));
  for (let progress = true; progress && rest.length;) {
    const ready = rest.filter((c) => A.decodeChange(c).deps.every(has));
    progress = ready.length > 0;
    if (progress) doc = A.applyChanges(doc, ready)[0];
    rest = rest.filter((c) => !has(hashOf(c)));
  }
  return { doc, pending: rest };
}

const docOf = (s: AmState): A.Doc<D> => s.doc ?? applyReady(A.load<D>(BASE), s.changes!).doc;

const automergeText: StateCrdt<AmState, string> = {
  kind: "state",
  name: "automerge-text",
  ops: [
    { op: "insert", args: [{ int: [0, 20] }, { string: 2 }], weight: 3 },
    { op: "delete", args: [{ int: [0, 20] }, { int: [1, 3] }] },
  ],
  init: (replica) => ({ doc: A.load<D>(BASE, { actor: actorOf(replica) }), changes: null }),
  update(s, op) {
    const doc = s.doc!;
    const len = doc.t.length;
    const index = Math.max(0, Math.min(Number(op.args[0]) || 0, len));
    let next = doc;
    if (op.op === "insert") next = A.change(doc, { time: 0 }, (d) => A.splice(d, ["t"], index, 0, String(op.args[1] ?? "")));
    else if (op.op === "delete") {
      const count = Math.max(0, Math.min(Number(op.args[1]) || 0, len - index));
      if (count > 0) next = A.change(doc, { time: 0 }, (d) => A.splice(d, ["t"], index, count));
    } else throw new Error(`automerge-text: unknown op "${op.op}" (ops: insert, delete)`);
    const change = next === doc ? null : A.getLastLocalChange(next);
    s.doc = next;
    return { state: s, delta: { doc: null, changes: change ? [change] : [] } };
  },
  merge(a, b) {
    if (!a.doc) return { doc: null, changes: [...a.changes!, ...(b.changes ?? A.getAllChanges(b.doc!))] };
    const base = b.doc ? A.merge(a.doc, b.doc) : a.doc;
    const { doc, pending } = applyReady(base, [...(a.pending ?? []), ...(b.changes ?? []), ...(b.pending ?? [])]);
    return pending.length ? { doc, changes: null, pending } : { doc, changes: null };
  },
  value: (s) => docOf(s).t,
  clone: (s) =>
    s.doc ? { doc: A.clone(s.doc, { actor: A.getActorId(s.doc) }), changes: null, ...(s.pending ? { pending: [...s.pending] } : {}) } : { doc: null, changes: [...s.changes!] },
};

export default automergeText;
