// automerge-text.mjs
/**
 * Automerge 0.4.2 (the exact version in ./package.json; `npm install --prefix
 * examples/automerge-0.4.2` installs it) as a MemoConductor text plugin: a document `{ t: [...] }`
 * whose list holds one character per element. A state is a replica's document (immutable in
 * Automerge, so a copy is the same object); an update's delta is the changesets the edit made
 * (Automerge 0.4's unit of replication, as plain JSON); merge applies a delta's changesets, or
 * what a whole document has that this one lacks (anti-entropy), queued changesets included.
 * Ops are the sequence ops of the builtin `rga`: `insert [index, text]`, `delete [index, count]`.
 *
 * 0.4.2 loses list elements ("list elements sometimes disappear", fixed in 0.4.3): walking the
 * list, it looks for the next sibling of an element by comparing ids as strings ("actor:elem"),
 * not in the order it sorted them, and skips elements — the same ones on every replica, so every
 * convergence check passes; `sequence-intent` sees a typed character gone. The canary table
 * (bench/suites/canaries.ts) hunts it. Every replica starts from one base document, whose list
 * id is fixed here (Automerge would draw a random uuid), and actor ids are replica names, so runs
 * replay bit for bit.
 */
import A from "automerge";

const LIST = "00000000-0000-0000-0000-0000000000a1";
const BASE = JSON.stringify([
  "~#iL",
  [
    [
      "~#iM",
      [
        "actor",
        "00",
        "seq",
        1,
        "deps",
        ["^1", []],
        "message",
        null,
        "ops",
        [
          "^0",
          [
            ["^1", ["action", "makeList", "obj", LIST]],
            ["^1", ["action", "link", "obj", "00000000-0000-0000-0000-000000000000", "key", "t", "value", LIST]],
          ],
        ],
      ],
    ],
  ],
]);

/** Changesets `doc` has applied or holds queued (plain JSON). */
const queued = (doc) => doc._state.getIn(["opSet", "queue"]).toJS();

/** @type {import("memoconductor/core").StateCrdt<{ doc: any } | { changes: any[] }, string>} */
const automergeText = {
  kind: "state",
  name: "automerge-0.4.2-text",
  sequence: {},
  ops: [
    { op: "insert", args: [{ int: [0, 20] }, { string: 2 }], weight: 3 },
    { op: "delete", args: [{ int: [0, 20] }, { int: [1, 3] }] },
  ],
  init: (replica) => ({ doc: A.load(BASE, `mc-${replica}`) }),
  update(s, op) {
    const doc = s.doc;
    const len = doc.t.length;
    const index = Math.max(0, Math.min(Number(op.args[0]) || 0, len));
    let next = doc;
    if (op.op === "insert") {
      const text = [...String(op.args[1] ?? "")];
      if (text.length > 0) next = A.changeset(doc, (d) => d.t.insertAt(index, ...text));
    } else if (op.op === "delete") {
      const count = Math.max(0, Math.min(Number(op.args[1]) || 0, len - index));
      if (count > 0) next = A.changeset(doc, (d) => d.t.deleteAt(index, count));
    } else throw new Error(`automerge-0.4.2-text: unknown op "${op.op}" (ops: insert, delete)`);
    const changes = next === doc ? [] : A.getDeltasAfter(next, A.getVClock(doc));
    return { state: { doc: next }, delta: { changes } };
  },
  merge(a, b) {
    if (!("doc" in a)) return { changes: [...a.changes, ...("doc" in b ? [...A.getDeltasAfter(b.doc, {}), ...queued(b.doc)] : b.changes)] };
    const changes = "doc" in b ? [...A.getDeltasAfter(b.doc, A.getVClock(a.doc)), ...queued(b.doc)] : b.changes;
    return changes.length > 0 ? { doc: A.applyDeltas(a.doc, changes) } : a;
  },
  value: (s) => ("doc" in s ? s.doc : A.applyDeltas(A.load(BASE, "mc-value"), s.changes)).t.join(""),
  clone: (s) => ("doc" in s ? { doc: s.doc } : { changes: [...s.changes] }),
};

export default automergeText;
