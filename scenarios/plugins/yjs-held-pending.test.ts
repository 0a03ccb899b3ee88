/**
 * Yjs holds an edit pending although what it needs has arrived (examples/yjs-held-pending/): the
 * behaviour of Yjs itself, pinned so that a Yjs that changes it is noticed, and the adapter's copy
 * of a doc, which must show what the doc shows, pending edits held as Yjs holds them (the old
 * copy integrated them, and explore reported a false idempotence failure).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { simulate } from "../../sim/index.ts";
import yjsText, { type YState } from "./yjs-text.ts";

const repro = fileURLToPath(new URL("../../examples/yjs-held-pending/repro.mjs", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/yjs-held-pending-idempotence.json", import.meta.url));

/** The repro's history, as updates: `a0`, `a1`, `b0` (needs A:0 only), and the rest. */
function history() {
  const edit = (doc: Y.Doc, id: number, fn: (t: Y.Text) => void) => {
    doc.clientID = id;
    const before = Y.encodeStateVector(doc);
    fn(doc.getText("t"));
    return Y.encodeStateAsUpdate(doc, before);
  };
  const [a, b, c] = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const a0 = edit(a, 1, (t) => t.insert(0, "x"));
  const a1 = edit(a, 1, (t) => t.insert(1, "y"));
  const a2 = edit(a, 1, (t) => t.insert(2, "z"));
  Y.applyUpdate(b, a0);
  const b0 = edit(b, 2, (t) => t.insert(0, "B"));
  const c0 = edit(c, 3, (t) => t.insert(0, "c"));
  const c1 = edit(c, 3, (t) => t.insert(1, "d"));
  return { a0, a1, before: [c1, a2, b0, c0, a0] };
}

describe("Yjs holding an edit pending after its dependency arrived", () => {
  it("is what the bundled Yjs does (the plain-Yjs repro prints HELD)", () => {
    const out = execFileSync(process.execPath, [repro], { encoding: "utf8" });
    expect(out).toContain(`after A:0: doc "xcd", its copy "Bxcd"`);
    expect(out.trim().split("\n").at(-1)).toMatch(/^HELD:/);
  });

  it("the adapter's copy of such a doc shows what the doc shows, and re-applying a message to it changes nothing", () => {
    const { a0, a1, before } = history();
    const state: YState = yjsText.init("n1");
    for (const update of before) yjsText.merge(state, { doc: null, update });
    expect(yjsText.value(state)).toBe("xcd"); // B:0 held
    const copy = yjsText.clone!(state);
    expect(yjsText.value(copy)).toBe("xcd");
    expect(yjsText.value(yjsText.merge(copy, { doc: null, update: a0 }))).toBe("xcd");
    // The copy is a doc of its own: A:1 releases the held edit in both, alike.
    yjsText.merge(state, { doc: null, update: a1 });
    expect(yjsText.value(state)).toBe("Bxyzcd");
    expect(yjsText.value(yjsText.merge(copy, { doc: null, update: a1 }))).toBe("Bxyzcd");
  });

  it("explore's shrunk scenario (a false idempotence failure before the fix) passes every check", async () => {
    const run = await simulate(fixture, { trace: false });
    expect(run.summary.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
