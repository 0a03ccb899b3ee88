/**
 * Yjs as a MemoConductor plugin: a Y.Doc holding one Y.Text, driven through the state-based
 * contract. A state is a replica's doc; an update's delta is the Yjs update bytes that the edit
 * produced (Yjs's own delta); merge is Y.applyUpdate — of the delta's bytes, or of a whole doc
 * encoded as an update (anti-entropy). Ops are the sequence ops of the builtin `rga`:
 * `insert [index, text]` and `delete [index, count]`, with indices clamped to the length.
 *
 * Determinism: a local edit is made under a clientID derived from the replica's name (Yjs would
 * pick a random one). Between edits a doc holds a reserved id that no replica writes with: Yjs
 * re-randomises a doc's id when a remote update carries edits under it — which happens here on
 * purpose (a restarted replica reloads its own edits, the checkers replay a replica's own
 * deltas) — so the id of record is set only for the duration of an edit.
 *
 * Change events: each replica's doc (and each copy) has a Y.Text observer whose deltas are kept
 * until `events` drains them — what an editor binding would be told; the change-events check
 * holds them to the text.
 */
import * as Y from "yjs";
import type { StateCrdt, TextDelta } from "../../core/contract.ts";

/** A replica's doc, or (for deltas) just the update bytes. */
export type YState = { doc: Y.Doc | null; update: Uint8Array | null };

function clientIdOf(replica: string): number {
  let h = 2166136261; // FNV-1a: a stable 32-bit id per replica name
  for (let i = 0; i < replica.length; i++) h = Math.imul(h ^ replica.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Never used for an edit: see above. */
const IDLE_ID = 0;

/**
 * A doc's guid names it as a subdocument, which no doc here is; left out, Yjs draws a UUID with
 * 31 calls to the OS's random source — a quarter of an explore sweep's time, the checks copying
 * a doc per delivery. A fixed one is cheap and deterministic.
 */
export const DOC_OPTIONS = { gc: true, guid: "memoconductor-yjs-text" } as const;

function newDoc(): Y.Doc {
  const doc = new Y.Doc(DOC_OPTIONS);
  doc.clientID = IDLE_ID;
  return doc;
}

/** The observer deltas a doc has emitted and `events` has not yet drained. */
const emitted = new WeakMap<Y.Doc, TextDelta[]>();

/** A replica's doc, or a copy of one: its text's changes are recorded as Yjs reports them. */
function observedDoc(): Y.Doc {
  const doc = newDoc();
  const out: TextDelta[] = [];
  emitted.set(doc, out);
  textOf(doc).observe((e) => void out.push(e.delta as TextDelta));
  return doc;
}

/**
 * A copy that Yjs treats exactly as the original, pending content included. Re-encoding the whole
 * doc (`encodeStateAsUpdate`, which adds the pending updates) into a fresh doc is not one: Yjs can
 * hold an edit pending although everything it needs has arrived (its note of what is missing
 * names a later clock than the edit needs, so the arrival does not wake it), and a fresh doc
 * integrates such an edit at once — the copy shows text the original does not. That made the
 * idempotence check (which re-applies a message to a copy) flag Yjs falsely; the finding and a
 * plain-Yjs reproduction are in examples/yjs-held-pending/. So: the integrated content goes
 * through an update, and the pending bookkeeping is carried over as it is.
 */
function copyDoc(from: Y.Doc): Y.Doc {
  const { pendingStructs, pendingDs } = from.store;
  from.store.pendingStructs = null;
  from.store.pendingDs = null;
  let integrated: Uint8Array;
  try {
    integrated = Y.encodeStateAsUpdate(from);
  } finally {
    from.store.pendingStructs = pendingStructs;
    from.store.pendingDs = pendingDs;
  }
  const doc = observedDoc();
  Y.applyUpdate(doc, integrated);
  // Yjs replaces these (never mutates the bytes), so the copy may share the update bytes.
  doc.store.pendingStructs = pendingStructs && { missing: new Map(pendingStructs.missing), update: pendingStructs.update };
  doc.store.pendingDs = pendingDs;
  return doc;
}

const bytesOf = (s: YState) => s.update ?? Y.encodeStateAsUpdate(s.doc!);
const textOf = (doc: Y.Doc) => doc.getText("t");

const yjsText: StateCrdt<YState, string> = {
  kind: "state",
  name: "yjs-text",
  ops: [
    { op: "insert", args: [{ int: [0, 20] }, { string: 2 }], weight: 3 },
    { op: "delete", args: [{ int: [0, 20] }, { int: [1, 3] }] },
  ],
  // Yjs keeps what is typed where it was typed (sequence-intent), but can split a run typed
  // forwards: a character typed after deleted text is anchored to the last tombstone, and a
  // concurrent insert anchored there may land first (examples/yjs-tombstone-interleaving/).
  sequence: { interleaves: "a character typed after deleted text is anchored to the tombstone, where a concurrent insert may land first" },
  init: () => ({ doc: observedDoc(), update: null }),
  update(s, op, ctx) {
    const doc = s.doc!;
    const before = Y.encodeStateVector(doc);
    const t = textOf(doc);
    const index = Math.max(0, Math.min(Number(op.args[0]) || 0, t.length));
    doc.clientID = clientIdOf(ctx.replica);
    try {
      if (op.op === "insert") t.insert(index, String(op.args[1] ?? ""));
      else if (op.op === "delete") t.delete(index, Math.max(0, Math.min(Number(op.args[1]) || 0, t.length - index)));
      else throw new Error(`yjs-text: unknown op "${op.op}" (ops: insert, delete)`);
    } finally {
      doc.clientID = IDLE_ID;
    }
    // The delta: exactly what this edit added (Yjs's update since the previous state vector).
    return { state: s, delta: { doc: null, update: Y.encodeStateAsUpdate(doc, before) } };
  },
  merge(a, b) {
    if (a.doc) {
      Y.applyUpdate(a.doc, bytesOf(b));
      return a;
    }
    // Two deltas merged (only the law checker does this): keep bytes.
    return { doc: null, update: Y.mergeUpdates([a.update!, bytesOf(b)]) };
  },
  value(s) {
    if (s.doc) return textOf(s.doc).toString();
    const doc = newDoc();
    Y.applyUpdate(doc, s.update!);
    return textOf(doc).toString();
  },
  events(s) {
    const out = s.doc ? emitted.get(s.doc) : undefined;
    return out ? out.splice(0) : [];
  },
  clone(s) {
    if (!s.doc) return { doc: null, update: s.update };
    return { doc: copyDoc(s.doc), update: null };
  },
};

export default yjsText;
