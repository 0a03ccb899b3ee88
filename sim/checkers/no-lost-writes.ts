/**
 * no-lost-writes (registers, register fields of a record, keys of an LWW-Map): a write that
 * happened-after another is never overwritten by it. At the end, every value a replica shows
 * for a register must come from a write that no other write of that register happened-after.
 *
 * "Happened-after" is causality as the harness saw it, never timestamps: write B happened
 * after write A when B's issuer had applied A when it issued B (the harness keeps a snapshot of
 * each writer's applied updates). LWW on physical clocks fails here when a clock is behind:
 * the later write gets the smaller timestamp and the earlier write wins; the detail names both
 * writes and what each node's clock read. LWW on a hybrid logical clock and the MV-Register
 * pass: the HLC stamps a write larger than everything its writer has seen, and an MV write
 * supersedes exactly what it has seen.
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";
import type { RegisterFields } from "./register-fields.ts";

type Write = { o: number; seq: number; t: number; clock: number; node: string; json: string; k: Knowledge };

export class NoLostWrites {
  private readonly writes = new Map<string, Write[]>();
  constructor(private readonly fields: RegisterFields) {}

  issued(r: Replica, seq: number, op: string, args: readonly unknown[], t: number): void {
    if (op !== "set") return;
    let key: string;
    let v: unknown;
    if (args.length === 1 && this.fields.bare) [key, v] = ["", args[0]];
    else if (args.length === 2 && typeof args[0] === "string" && this.fields.kindOf(args[0])) [key, v] = [args[0], args[1]];
    else return;
    let list = this.writes.get(key);
    if (!list) this.writes.set(key, (list = []));
    list.push({ o: r.index, seq, t, clock: r.clock.read(t), node: r.name, json: canonicalKey(v) ?? "null", k: r.knowledge.clone() });
  }

  /** Update (o, seq) was lost before anyone saw it (unsynced at a crash): it never happened. */
  retract(o: number, seq: number): void {
    for (const [key, list] of this.writes)
      this.writes.set(
        key,
        list.filter((w) => w.o !== o || w.seq !== seq),
      );
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    let shownCount = 0;
    for (const r of replicas) {
      const value = r.value();
      for (const [key, writes] of [...this.writes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const kind = this.fields.kindAt(key)!;
        const raw = this.fields.shown(value, key);
        if (raw === undefined) continue;
        const shown = kind === "mv" && Array.isArray(raw) ? raw : [raw];
        for (const v of shown) {
          shownCount++;
          const json = canonicalKey(v);
          const candidates: number[] = [];
          writes.forEach((w, i) => w.json === json && candidates.push(i));
          if (candidates.length === 0) continue;
          // A write can only have been observed by writes issued after it (the list is in issue
          // order): the search starts there, so the open candidate — usually near the end — is cheap.
          const later = (i: number): Write | undefined => {
            const c = writes[i]!;
            for (let j = i + 1; j < writes.length; j++) {
              const w = writes[j]!;
              if (w.json !== c.json && w.k.has(c.o, c.seq)) return w;
            }
            return undefined;
          };
          if (candidates.some((i) => !later(i))) continue;
          const c = writes[candidates[0]!]!;
          const w = later(candidates[0]!)!;
          const field = this.fields.bare ? "" : ` ${key}`;
          const detail =
            `${r.name} shows${field} = ${json} from ${c.node}'s write ${c.node}:${c.seq} at t=${c.t} (${c.node}'s clock read ${c.clock}), ` +
            `but ${w.node}'s write ${w.node}:${w.seq} of ${w.json} at t=${w.t} (${w.node}'s clock read ${w.clock}) happened after it ` +
            `(${w.node} had applied ${c.node}:${c.seq}) and was overwritten by it`;
          // Marked at the causally later write: the one that was lost.
          return { name: "no-lost-writes", ok: false, expected, detail, at: { t: w.t, node: w.node } };
        }
      }
    }
    const total = [...this.writes.values()].reduce((a, l) => a + l.length, 0);
    return { name: "no-lost-writes", ok: true, expected, detail: `${total} writes; each of ${shownCount} shown values comes from a write nothing overwrote causally` };
  }
}
