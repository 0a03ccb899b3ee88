/**
 * What the storage tests write: one replica-style update per write (read the live object, its
 * vector and the collection's knowledge, change them, put them back, log the delta), on a
 * schema of an or-set and a pn-counter collection. Shared by the tests and the crash child.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CausalContext, resolveBuiltin, type StoreBacking, type StoreCrdt, VersionVector } from "../../../core/index.ts";

export const SCHEMA = { collections: { tags: "or-set", views: "pn-counter" } };
export const storeCrdt = resolveBuiltin({ type: "store", ...SCHEMA }) as StoreCrdt;

/** `inc [by]` on views[id] by `origin`; returns the dot it took. */
export function bump(b: StoreBacking, id: string, origin = "n1", by = 1): number {
  const type = storeCrdt.typeOf("views");
  const cc = b.knowledge("views") ?? new CausalContext();
  const seq = cc.next(origin)[1];
  const { state, delta } = type.update(b.object("views", id) ?? type.init(origin), { op: "inc", args: [by] }, { replica: origin, now: () => 0 });
  const vv = b.vv("views", id) ?? new VersionVector();
  vv.set(origin, seq);
  b.put("views", id, state, vv);
  b.logPut("views", origin, seq, { id, delta });
  b.putKnowledge("views", cc);
  return seq;
}

/** The value of views[id] (0 when absent). */
export function views(b: StoreBacking, id: string): number {
  const s = b.object("views", id);
  return s === undefined ? 0 : (storeCrdt.typeOf("views").value(s) as number);
}

/** Temp directories, removed by `cleanup()` (call it in afterEach). */
export function tempDirs(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make: () => {
      const d = mkdtempSync(join(tmpdir(), "memo-store-"));
      made.push(d);
      return d;
    },
    cleanup: () => {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
