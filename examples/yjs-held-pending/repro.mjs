// Plain Yjs, no MemoConductor: an edit that Yjs holds pending although everything it depends on
// has arrived. Found by `memoconductor explore` on scenarios/plugins/yjs-text.ts (docs/finding-bugs.md).
//
// Yjs keeps an update it cannot integrate yet as "pending", with a note of the first missing clock
// per client, and retries it when that clock arrives. When a retry re-reads several pending edits
// at once, an edit waiting for A:0 is noted as waiting for A:1 (a later edit of A in the same
// pending update is missing A:1). A:0 then arrives and does not wake it: B's "B" stays invisible
// until the unrelated A:1 comes. Nothing is lost — but a copy of the doc (encodeStateAsUpdate into a
// fresh doc) shows "B" at once, so the doc and its own copy disagree.
//
//   npm install && node repro.mjs     (or, inside the MemoConductor repository: node examples/yjs-held-pending/repro.mjs)
import * as Y from "yjs";

const A = 1,
  B = 2,
  C = 3;
/** The update that `fn`'s edit of `doc`, made as client `id`, produced. */
function edit(doc, id, fn) {
  doc.clientID = id;
  const before = Y.encodeStateVector(doc);
  fn(doc.getText("t"));
  return Y.encodeStateAsUpdate(doc, before);
}
const text = (doc) => JSON.stringify(doc.getText("t").toString());
function copyOf(doc) {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const a = new Y.Doc(),
  b = new Y.Doc(),
  c = new Y.Doc();
const a0 = edit(a, A, (t) => t.insert(0, "x")); // A:0
const a1 = edit(a, A, (t) => t.insert(1, "y")); // A:1
const a2 = edit(a, A, (t) => t.insert(2, "z")); // A:2, needs A:1
Y.applyUpdate(b, a0);
const b0 = edit(b, B, (t) => t.insert(0, "B")); // B:0, needs A:0 (its right neighbour) and nothing else
const c0 = edit(c, C, (t) => t.insert(0, "c"));
const c1 = edit(c, C, (t) => t.insert(1, "d")); // C:1, needs C:0

const doc = new Y.Doc();
const missing = () => JSON.stringify([...(doc.store.pendingStructs?.missing ?? [])]);
for (const [name, update] of [
  ["C:1", c1],
  ["A:2", a2],
  ["B:0", b0],
  ["C:0 (wakes the pending edits)", c0],
  ["A:0", a0],
]) {
  Y.applyUpdate(doc, update);
  console.log(`after ${name}: doc ${text(doc)}, its copy ${text(copyOf(doc))}, pending waits for ${missing()} (client:clock)`);
}
const held = doc.getText("t").toString() !== copyOf(doc).getText("t").toString();
Y.applyUpdate(doc, a0);
console.log(`A:0 applied again: doc ${text(doc)} (Yjs itself is idempotent here)`);
Y.applyUpdate(doc, a1);
console.log(`after A:1: doc ${text(doc)}, its copy ${text(copyOf(doc))}`);
console.log(held ? "HELD: B:0 stayed pending after A:0 arrived; only A:1 released it" : "NOT HELD: this Yjs integrates B:0 as soon as A:0 arrives");
