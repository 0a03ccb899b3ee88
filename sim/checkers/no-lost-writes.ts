/**
 * no-lost-writes (registers, and register fields of a record): a write that happened-after
 * another is never overwritten by it. At the end, every value a replica shows for a register
 * must come from a write that no other write of that register happened-after ("happened-after"
 * = the later write's issuer had applied the earlier one). LWW under clock skew fails here:
 * the skewed node's older write carries the larger timestamp and wins.
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";

export type RegisterKind = "lww" | "mv";
type Write = { o: number; seq: number; t: number; node: string; json: string; k: Knowledge };

const KIND: Record<string, RegisterKind> = { "lww-register": "lww", "mv-register": "mv" };

/** Register fields of a type: "" for a bare register, field names for a record; else null. */
export function registerFields(crdtName: string, spec: unknown): Record<string, RegisterKind> | null {
  if (KIND[crdtName]) return { "": KIND[crdtName]! };
  if (crdtName !== "record" || spec === null || typeof spec !== "object") return null;
  const fields = (spec as { fields?: unknown }).fields;
  if (!fields || typeof fields !== "object") return null;
  const out: Record<string, RegisterKind> = {};
  for (const name of Object.keys(fields).sort()) {
    const f = (fields as Record<string, unknown>)[name];
    const type = typeof f === "string" ? f : (f as { type?: string } | null)?.type;
    if (type && KIND[type]) out[name] = KIND[type]!;
  }
  return Object.keys(out).length ? out : null;
}

export class NoLostWrites {
  private readonly writes = new Map<string, Write[]>();
  constructor(private readonly fields: Record<string, RegisterKind>) {}

  issued(r: Replica, seq: number, op: string, args: readonly unknown[], t: number): void {
    if (op !== "set") return;
    let key: string;
    let v: unknown;
    if (args.length === 1 && this.fields[""]) [key, v] = ["", args[0]];
    else if (args.length === 2 && typeof args[0] === "string" && this.fields[args[0]]) [key, v] = [args[0], args[1]];
    else return;
    let list = this.writes.get(key);
    if (!list) this.writes.set(key, (list = []));
    list.push({ o: r.index, seq, t, node: r.name, json: canonicalKey(v) ?? "null", k: r.knowledge.clone() });
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    let shownCount = 0;
    for (const r of replicas) {
      const value = r.value();
      for (const [key, writes] of this.writes) {
        const kind = this.fields[key]!;
        const raw = key === "" ? value : (value as Record<string, unknown> | null)?.[key];
        if (raw === undefined) continue;
        const shown = kind === "mv" && Array.isArray(raw) ? raw : [raw];
        for (const v of shown) {
          shownCount++;
          const json = canonicalKey(v);
          const candidates = writes.filter((w) => w.json === json);
          if (candidates.length === 0) continue;
          const later = (c: Write) => writes.find((w) => w !== c && w.json !== c.json && w.k.has(c.o, c.seq));
          if (candidates.some((c) => !later(c))) continue;
          const c = candidates[0]!;
          const w = later(c)!;
          const field = key === "" ? "" : ` ${key}`;
          const detail =
            `${r.name} shows${field} = ${json}, written at t=${c.t} by ${c.node} (${c.node}:${c.seq}), but ${w.node}'s ` +
            `write of ${w.json} at t=${w.t} (${w.node}:${w.seq}) happened after it and was overwritten`;
          return { name: "no-lost-writes", ok: false, expected, detail };
        }
      }
    }
    const total = [...this.writes.values()].reduce((a, l) => a + l.length, 0);
    return { name: "no-lost-writes", ok: true, expected, detail: `${total} writes; each of ${shownCount} shown values comes from a write nothing overwrote causally` };
  }
}
