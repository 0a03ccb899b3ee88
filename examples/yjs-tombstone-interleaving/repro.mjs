// Plain Yjs, no MemoConductor: a run typed forwards is split by a concurrent insert, because Yjs
// anchors a character typed after a deleted one to the tombstone, not to the character the
// typist saw on its left. Found by `memoconductor explore` on the Yjs adapter with `sequence`
// declared (the no-interleaving check; docs/finding-bugs.md, on real libraries as plugins).
//
// A types "ab"; B sees it. Concurrently:
//   A types "x" between a and b, deletes b, then types "y" right after x: the run "xy", typed
//     forwards — but y's left origin is the tombstone b (Yjs skips the tombstones to the left of
//     the cursor position and anchors to the last one).
//   B types "e" right after b (b was visible to B): its left origin is b too.
// y and e now have the same left origin and Yjs orders such siblings by client id: with B's id
// below A's, e lands between x and y. (With B's id above A's the text is "axye"-shaped: whole.)
//
//   npm install && node repro.mjs     (or, inside the MemoConductor repository: node examples/yjs-tombstone-interleaving/repro.mjs)
import * as Y from "yjs";

const A = 20,
  B = 10;
/** The update that `fn`'s edit of `doc`, made as client `id`, produced. */
function edit(doc, id, fn) {
  doc.clientID = id;
  const before = Y.encodeStateVector(doc);
  fn(doc.getText("t"));
  return Y.encodeStateAsUpdate(doc, before);
}
const text = (doc) => doc.getText("t").toString();

const a = new Y.Doc(),
  b = new Y.Doc();
const ab = edit(a, A, (t) => t.insert(0, "ab"));
Y.applyUpdate(b, ab);
// Concurrently, nothing exchanged:
const x = edit(a, A, (t) => t.insert(1, "x")); // "axb"
const delB = edit(a, A, (t) => t.delete(2, 1)); // "ax"
const y = edit(a, A, (t) => t.insert(2, "y")); // "axy": y typed right after x
const e = edit(b, B, (t) => t.insert(2, "e")); // "abe": e typed right after b
for (const u of [x, delB, y]) Y.applyUpdate(b, u);
Y.applyUpdate(a, e);

console.log(`A typed "x" then "y" right after it; B concurrently typed "e" after "b", which A deleted`);
console.log(`A shows ${JSON.stringify(text(a))}, B shows ${JSON.stringify(text(b))}`);
const split = text(a).includes("xey");
console.log(split ? `A's run "xy" is split by B's "e": the interleaving no-interleaving flags` : `A's run "xy" is whole (this Yjs version anchors y elsewhere)`);
process.exitCode = split ? 0 : 1;
