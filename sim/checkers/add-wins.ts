/**
 * add-wins (OR-Set): an element must be in the final value exactly when one of its adds
 * survived. An add is cancelled when a remove of the element observed it, or when a later add
 * of the same element observed it (the re-add replaces its dot, as ORSWOT does) and that add
 * was itself cancelled. "Observed" means the add was in the issuer's knowledge (the updates it
 * had applied) when it issued its own update; every add and remove keeps a snapshot of that
 * knowledge, so the check is exact for any interleaving, causal delivery or not.
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";

type Add = { o: number; seq: number; t: number; node: string; k: Knowledge };
type Remove = { o: number; seq: number; k: Knowledge };
type Elem = { json: string; adds: Add[]; removes: Remove[] };

export class AddWins {
  private readonly elems = new Map<string, Elem>();

  private elem(x: unknown): Elem {
    const json = canonicalKey(x) ?? "null";
    let e = this.elems.get(json);
    if (!e) this.elems.set(json, (e = { json, adds: [], removes: [] }));
    return e;
  }

  /** After node r issued update `seq` (its knowledge already includes it). */
  issued(r: Replica, seq: number, op: string, args: readonly unknown[], t: number): void {
    if (args.length === 0) return;
    if (op === "add") this.elem(args[0]).adds.push({ o: r.index, seq, t, node: r.name, k: r.knowledge.clone() });
    else if (op === "remove") this.elem(args[0]).removes.push({ o: r.index, seq, k: r.knowledge.clone() });
  }

  /** Update (o, seq) was lost before anyone saw it (unsynced at a crash): it never happened. */
  retract(o: number, seq: number): void {
    for (const e of this.elems.values()) {
      e.adds = e.adds.filter((a) => a.o !== o || a.seq !== seq);
      e.removes = e.removes.filter((x) => x.o !== o || x.seq !== seq);
    }
  }

  /** The adds of `e` that no remove cancelled, directly or through a re-add (memoised per element). */
  private survivors(e: Elem): Add[] {
    const cancelled = new Map<Add, boolean>();
    const isCancelled = (a: Add): boolean => {
      const known = cancelled.get(a);
      if (known !== undefined) return known;
      cancelled.set(a, false); // a re-add never observes itself; this also cuts any cycle
      const out = e.removes.some((x) => x.k.has(a.o, a.seq)) || e.adds.some((b) => b !== a && b.k.has(a.o, a.seq) && isCancelled(b));
      cancelled.set(a, out);
      return out;
    };
    return e.adds.filter((a) => !isCancelled(a));
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    let checked = 0;
    const survivors = new Map([...this.elems.values()].map((e) => [e, this.survivors(e)]));
    for (const r of replicas) {
      const v = r.value();
      if (!Array.isArray(v)) return { name: "add-wins", ok: false, expected, detail: `${r.name}: final value ${r.valueJson()} is not an array of elements` };
      const present = new Set(v.map((x) => canonicalKey(x)));
      for (const e of this.elems.values()) {
        checked++;
        const survivor = survivors.get(e)![0];
        if (survivor && !present.has(e.json)) {
          const detail =
            `${r.name}: ${e.json} is missing, but its add at t=${survivor.t} by ${survivor.node} ` +
            `(update ${survivor.node}:${survivor.seq}) was observed by none of its ${e.removes.length} removes`;
          return { name: "add-wins", ok: false, expected, detail, at: { t: survivor.t, node: survivor.node } };
        }
        if (!survivor && e.adds.length > 0 && present.has(e.json)) {
          const detail = `${r.name}: ${e.json} is present, but every one of its ${e.adds.length} adds was observed by a remove`;
          return { name: "add-wins", ok: false, expected, detail };
        }
      }
    }
    return { name: "add-wins", ok: true, expected, detail: `${this.elems.size} elements, each present exactly when an add survived every remove (${checked} checks)` };
  }
}
