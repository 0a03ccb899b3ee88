/**
 * durability: every acknowledged write survives crashes — it is reflected in the final value.
 *
 * An update is acknowledged when its log record is durable (storage.syncLagMs 0: at once;
 * otherwise at the node's next group commit, traced as `ack`). Unacknowledged writes may be
 * lost in a crash (they are then retracted: for every checker they never happened, and the
 * detail counts them); acknowledged ones never.
 *
 * Judged at the end, Jepsen "set-full" style, by what the type promises:
 * - every type: each acknowledged update is among the updates every replica has applied;
 * - sets (g-set, 2p-set, or-set, op-or-set): an acknowledged add's element is present, unless
 *   some remove of it could have removed it (2P-Set: any remove; OR-Sets: a remove that is not
 *   causally before the add). Missing ones are reported as **lost**;
 * - counters: ackedInc − allDec ≤ final ≤ allInc − ackedDec (the acknowledged total is there);
 * - registers (bare, record fields, LWW-Map keys): an acknowledged write's value is shown, or
 *   another write of the same register that is not causally before it was applied (it may
 *   have won, by the type's own rule).
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";
import type { RegisterKind } from "./no-lost-writes.ts";

export type DurabilityKind = "set" | "2p-set" | "counter" | "register" | "any";

type W = { o: number; seq: number; op: string; args: readonly unknown[]; t: number; node: string; k: Knowledge | null; ackedAt: number };

const SETS: Record<string, DurabilityKind> = { "g-set": "set", "or-set": "set", "op-or-set": "set", "2p-set": "2p-set" };
const COUNTERS = ["g-counter", "pn-counter", "op-counter"];

export function durabilityKind(crdtName: string, counterLike: boolean, registers: boolean): DurabilityKind {
  if (SETS[crdtName]) return SETS[crdtName]!;
  if (COUNTERS.includes(crdtName) || counterLike) return "counter";
  return registers ? "register" : "any";
}

const at = (w: W) => `${w.node}:${w.seq} ${w.op} ${JSON.stringify(w.args)} acknowledged at t=${w.ackedAt}`;
const amount = (w: W) => (typeof w.args[0] === "number" ? (w.args[0] as number) : w.args.length === 0 ? 1 : 0);

export class Durability {
  /** Per origin, by seq: the live (not retracted) updates. */
  private readonly writes: (W | undefined)[][];
  private unackedLost = 0;

  constructor(
    nodes: number,
    private readonly kind: DurabilityKind,
    private readonly fields: Record<string, RegisterKind> | null,
  ) {
    this.writes = Array.from({ length: nodes }, () => []);
  }

  /** Whether the checker needs each update's causal past (sets and registers do). */
  private get needsPast(): boolean {
    return this.kind === "set" || this.kind === "register";
  }

  issued(r: Replica, seq: number, op: string, args: readonly unknown[], t: number): void {
    this.writes[r.index]![seq] = { o: r.index, seq, op, args, t, node: r.name, k: this.needsPast ? r.knowledge.clone() : null, ackedAt: -1 };
  }

  acked(o: number, seq: number, t: number): void {
    const w = this.writes[o]![seq];
    if (w && w.ackedAt < 0) w.ackedAt = t;
  }

  /** Lost unsynced at a crash (never acknowledged, never seen elsewhere): it never happened. */
  retract(o: number, seq: number): void {
    if (this.writes[o]![seq]) this.unackedLost++;
    this.writes[o]![seq] = undefined;
  }

  private all(): W[] {
    return this.writes.flatMap((l) => l.filter((w): w is W => w !== undefined));
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    const all = this.all();
    const acked = all.filter((w) => w.ackedAt >= 0);
    const lost: string[] = [];

    // Every type: the acknowledged update is among what every replica has applied.
    for (const w of acked) {
      const missing = replicas.filter((r) => !r.knowledge.has(w.o, w.seq)).map((r) => r.name);
      if (missing.length) lost.push(`${at(w)} is not applied at ${missing.join(", ")}`);
    }

    if (this.kind === "set") this.sets(replicas, all, acked, lost, false);
    else if (this.kind === "2p-set") this.sets(replicas, all, acked, lost, true);
    else if (this.kind === "counter") this.counters(replicas, all, acked, lost);
    else if (this.kind === "register") this.registers(replicas, all, acked, lost);

    const scope = `${acked.length} of ${all.length} surviving updates acknowledged; ${this.unackedLost} unacknowledged update${this.unackedLost === 1 ? "" : "s"} lost in crashes (allowed)`;
    if (lost.length === 0) return { name: "durability", ok: true, expected, detail: `every acknowledged write is reflected in the final value (${scope})` };
    const more = lost.length > 3 ? ` (+${lost.length - 3} more)` : "";
    return { name: "durability", ok: false, expected, detail: `lost: ${lost.slice(0, 3).join("; ")}${more} (${scope})` };
  }

  private sets(replicas: readonly Replica[], all: W[], acked: W[], lost: string[], anyRemove: boolean): void {
    const removes = new Map<string, W[]>();
    for (const w of all)
      if (w.op === "remove" && w.args.length > 0) {
        const key = canonicalKey(w.args[0]);
        const list = removes.get(key);
        if (list) list.push(w);
        else removes.set(key, [w]);
      }
    const lostElems = new Set<string>();
    for (const r of replicas) {
      const v = r.value();
      const present = new Set(Array.isArray(v) ? v.map((x) => canonicalKey(x)) : []);
      for (const w of acked) {
        if (w.op !== "add" || w.args.length === 0) continue;
        const key = canonicalKey(w.args[0]);
        if (present.has(key) || lostElems.has(key)) continue;
        const explained = (removes.get(key) ?? []).some((rm) => anyRemove || !w.k!.has(rm.o, rm.seq));
        if (!explained) {
          lostElems.add(key);
          lost.push(`element ${key} (${at(w)}) is missing at ${r.name} and no remove could have removed it`);
        }
      }
    }
  }

  private counters(replicas: readonly Replica[], all: W[], acked: W[], lost: string[]): void {
    const sum = (ws: W[], op: string) => ws.reduce((a, w) => a + (w.op === op ? amount(w) : 0), 0);
    const low = sum(acked, "inc") - sum(all, "dec");
    const high = sum(all, "inc") - sum(acked, "dec");
    for (const r of replicas) {
      const v = r.value();
      if (typeof v !== "number" || v < low || v > high)
        lost.push(`${r.name} ends at ${r.valueJson()}, outside [${low}, ${high}] (acknowledged incs − all decs, all incs − acknowledged decs)`);
    }
  }

  private registers(replicas: readonly Replica[], all: W[], acked: W[], lost: string[]): void {
    const keyOf = (w: W): string | undefined => {
      if (w.op !== "set" || !this.fields) return undefined;
      if (w.args.length === 1 && this.fields[""]) return "";
      if (w.args.length === 2 && typeof w.args[0] === "string" && (this.fields[w.args[0]] || this.fields["*"])) return w.args[0];
      return undefined;
    };
    const valueOf = (w: W) => canonicalKey(w.args[w.args.length - 1]);
    for (const w of acked) {
      const key = keyOf(w);
      if (key === undefined) continue;
      const rivals = all.filter((x) => x !== w && keyOf(x) === key && !w.k!.has(x.o, x.seq));
      for (const r of replicas) {
        const value = r.value();
        const raw = key === "" ? value : (value as Record<string, unknown> | null)?.[key];
        const shown = Array.isArray(raw) && this.fields![key === "" ? "" : key] === "mv" ? raw : [raw];
        if (shown.some((x) => canonicalKey(x) === valueOf(w))) continue;
        if (rivals.some((x) => r.knowledge.has(x.o, x.seq))) continue;
        lost.push(`${key === "" ? "the register" : key} = ${valueOf(w)} (${at(w)}) is not shown at ${r.name} and no later or concurrent write replaced it`);
        break;
      }
    }
  }
}
