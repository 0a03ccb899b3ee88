/**
 * add-wins (OR-Set): an element must be in the final value exactly when one of its adds
 * survived. An add is cancelled when a remove of the element observed it, or when a later add
 * of the same element observed it (the re-add replaces its dot, as ORSWOT does) and that add
 * was itself cancelled. "Observed" means the add was in the issuer's knowledge (the updates it
 * had applied) when it issued its own update; the check is exact for any interleaving, causal
 * delivery or not.
 *
 * Kept in bounded memory: an add survives exactly when it is observed by no later add or remove
 * of its element, or only through adds that survive — so some add survives exactly when some add
 * is observed by no later op at all (follow observers upwards: every chain ends at a remove or
 * at such an add). The checker keeps, per element, the adds no op has observed yet (`open`), and
 * tests each new op's knowledge against them when it is issued. With a disk, an update lost in a
 * crash before its sync never happened (`retract`): an op is then held, with a snapshot of its
 * knowledge, until it is durable, and only then tests the open adds — the window is the sync lag.
 *
 * An enable-wins flag (`ew-flag`) is checked as the OR-Set of one element: `enable` its add,
 * `disable` its remove, the value `true` exactly when an enable survived (an enable concurrent
 * with a disable leaves the flag set).
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";

type Add = { o: number; seq: number; t: number; node: string };
type Elem = { json: string; adds: number; removes: number; open: Map<string, Add> };
/** An op not yet durable: it may still be retracted. */
type Held = { e: Elem; o: number; seq: number; add: boolean; k: Knowledge };

const keyOf = (o: number, seq: number) => `${o}:${seq}`;
/** The one element of a flag: it is present while the flag is set. */
const FLAG = "the flag";

export class AddWins {
  private readonly elems = new Map<string, Elem>();
  /** Per node, its ops not yet durable, in issue order (only with a disk). */
  private readonly held: Held[][];

  constructor(
    nodes: number,
    /** Updates can be lost in a crash before their sync (the run has a disk). */
    private readonly retractable: boolean,
    /** The type is an enable-wins flag: one element, ops `enable` / `disable`, a boolean value. */
    private readonly flag = false,
  ) {
    this.held = Array.from({ length: nodes }, () => []);
  }

  private elem(x: unknown): Elem {
    const json = canonicalKey(x) ?? "null";
    let e = this.elems.get(json);
    if (!e) this.elems.set(json, (e = { json, adds: 0, removes: 0, open: new Map() }));
    return e;
  }

  /** The open adds of `e` that knowledge `k` holds are observed: no longer open (an add never observes itself). */
  private observe(e: Elem, k: Knowledge, o: number, seq: number): void {
    for (const [key, a] of e.open) if ((a.o !== o || a.seq !== seq) && k.has(a.o, a.seq)) e.open.delete(key);
  }

  /** After node r issued update `seq` (its knowledge already includes it). */
  issued(r: Replica, seq: number, op: string, args: readonly unknown[], t: number): void {
    if (this.flag ? op !== "enable" && op !== "disable" : args.length === 0 || (op !== "add" && op !== "remove")) return;
    const e = this.elem(this.flag ? FLAG : args[0]);
    const add = op === "add" || op === "enable";
    if (add) e.adds++;
    else e.removes++;
    if (this.retractable) this.held[r.index]!.push({ e, o: r.index, seq, add, k: r.knowledge.clone() });
    else this.observe(e, r.knowledge, r.index, seq);
    if (add) e.open.set(keyOf(r.index, seq), { o: r.index, seq, t, node: r.name });
  }

  /** Node o's own update `seq` is durable: it and those before it can no longer be retracted. */
  acked(o: number, seq: number): void {
    const held = this.held[o]!;
    let n = 0;
    while (n < held.length && held[n]!.seq <= seq) {
      const h = held[n++]!;
      this.observe(h.e, h.k, h.o, h.seq);
    }
    if (n > 0) held.splice(0, n);
  }

  /** Update (o, seq) was lost before anyone saw it (unsynced at a crash): it never happened. */
  retract(o: number, seq: number): void {
    const held = this.held[o]!;
    const i = held.findIndex((h) => h.seq === seq);
    if (i < 0) return;
    const h = held[i]!;
    held.splice(i, 1);
    if (h.add) {
      h.e.adds--;
      h.e.open.delete(keyOf(o, seq));
    } else h.e.removes--;
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    for (let o = 0; o < this.held.length; o++) this.acked(o, Infinity);
    let checked = 0;
    for (const r of replicas) {
      const raw = r.value();
      const v = this.flag && typeof raw === "boolean" ? (raw ? [FLAG] : []) : raw;
      if (!Array.isArray(v)) return { name: "add-wins", ok: false, expected, detail: `${r.name}: final value ${r.valueJson()} is not an array of elements` };
      const present = new Set(v.map((x) => canonicalKey(x)));
      for (const e of this.elems.values()) {
        checked++;
        // The earliest add that nothing observed: it survives.
        const survivor = e.open.values().next().value;
        if (survivor && !present.has(e.json)) {
          const detail =
            `${r.name}: ${e.json} is missing, but its add at t=${survivor.t} by ${survivor.node} ` +
            `(update ${survivor.node}:${survivor.seq}) was observed by none of its ${e.removes} removes`;
          return { name: "add-wins", ok: false, expected, detail, at: { t: survivor.t, node: survivor.node } };
        }
        if (!survivor && e.adds > 0 && present.has(e.json)) {
          const detail = `${r.name}: ${e.json} is present, but every one of its ${e.adds} adds was observed by a remove`;
          return { name: "add-wins", ok: false, expected, detail };
        }
      }
    }
    return { name: "add-wins", ok: true, expected, detail: `${this.elems.size} elements, each present exactly when an add survived every remove (${checked} checks)` };
  }
}
