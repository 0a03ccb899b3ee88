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
 * - registers (bare, record fields, LWW-Map keys; a `set` or an LWW-Map `delete`): the value
 *   shown reflects the acknowledged write, or a write of the same register that is not
 *   causally before it and that the replica applied (it may rightly have won: a later or
 *   concurrent set, or a delete). Shown data from an older write, or nothing, is a loss.
 *
 * In op mode an answer (an op a merge or effect answered with, engine/issued.ts `noteAnswer`) is
 * an update of the replica that sent it, under its own dot: once acknowledged it must be applied
 * everywhere like any other. Its payload is the type's own, not a named op, so the judgments by
 * kind leave it out (an answer that removes a set's element does not explain the element's loss).
 */
import { canonicalKey } from "../../core/util/json.ts";
import { failedCheck, type CheckAt, type CheckResult } from "../run-types.ts";
import type { Knowledge } from "../engine/knowledge.ts";
import type { Replica } from "../engine/replica.ts";
import type { RegisterFields } from "./register-fields.ts";

export type DurabilityKind = "set" | "2p-set" | "counter" | "register" | "any";

type W = { o: number; seq: number; op: string; args: readonly unknown[]; t: number; node: string; k: Knowledge | null; ackedAt: number };

const SETS: Record<string, DurabilityKind> = { "g-set": "set", "or-set": "set", "op-or-set": "set", "2p-set": "2p-set" };
const COUNTERS = ["g-counter", "pn-counter", "op-counter"];

export function durabilityKind(crdtName: string, counterLike: boolean, registers: boolean): DurabilityKind {
  if (SETS[crdtName]) return SETS[crdtName]!;
  if (COUNTERS.includes(crdtName) || counterLike) return "counter";
  return registers ? "register" : "any";
}

/**
 * What `durability` calls an answer among the updates it holds to their acknowledgement: no client
 * op has this name, so its value judgments (set adds and removes, counter incs and decs, register
 * writes) never count an answer; only "every acknowledged update is applied everywhere" does.
 */
export const ANSWER_OP = "(answer)";

/** The effect of a delete (and of a key no write has reached): the key is absent. */
const ABSENT = "<absent>";
const at = (w: W) => `${w.node}:${w.seq} ${w.op} ${JSON.stringify(w.args)} acknowledged at t=${w.ackedAt}`;
const amount = (w: W) => (typeof w.args[0] === "number" ? (w.args[0] as number) : w.args.length === 0 ? 1 : 0);

export class Durability {
  /** Per origin, by seq: the live (not retracted) updates. */
  private readonly writes: (W | undefined)[][];
  private unackedLost = 0;

  constructor(
    nodes: number,
    private readonly kind: DurabilityKind,
    private readonly fields: RegisterFields | null,
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

  /** Where the first lost write was acknowledged (the timeline marks it), set by `lose`. */
  private firstAt: CheckAt | undefined = undefined;

  private lose(lost: string[], text: string, w: W): void {
    if (lost.length === 0) this.firstAt = { t: w.ackedAt, node: w.node };
    lost.push(text);
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    this.firstAt = undefined;
    const all = this.all();
    const acked = all.filter((w) => w.ackedAt >= 0);
    const lost: string[] = [];

    // Every type: the acknowledged update is among what every replica has applied.
    for (const w of acked) {
      const missing = replicas.filter((r) => !r.knowledge.has(w.o, w.seq)).map((r) => r.name);
      if (missing.length) this.lose(lost, `${at(w)} is not applied at ${missing.join(", ")}`, w);
    }

    if (this.kind === "set") this.sets(replicas, all, acked, lost, false);
    else if (this.kind === "2p-set") this.sets(replicas, all, acked, lost, true);
    else if (this.kind === "counter") this.counters(replicas, all, acked, lost);
    else if (this.kind === "register") this.registers(replicas, all, acked, lost);

    if (all.length === 0 && this.unackedLost === 0) return { name: "durability", ok: true, expected, detail: "no CRDT writes to lose" };
    const answers = all.filter((w) => w.op === ANSWER_OP).length;
    const scope = `${acked.length} of ${all.length} surviving updates acknowledged${answers > 0 ? ` (${answers} of them answers)` : ""}; ${this.unackedLost} unacknowledged update${this.unackedLost === 1 ? "" : "s"} lost in crashes (allowed)`;
    if (lost.length === 0) return { name: "durability", ok: true, expected, detail: `every acknowledged write is reflected in the final value (${scope})` };
    const more = lost.length > 3 ? ` (+${lost.length - 3} more)` : "";
    const detail = `lost: ${lost.slice(0, 3).join("; ")}${more} (${scope})`;
    // The first entry may be a counter's total (no single write to blame): then there is no `at`.
    return failedCheck("durability", expected, detail, this.firstAt);
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
          this.lose(lost, `element ${key} (${at(w)}) is missing at ${r.name} and no remove could have removed it`, w);
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

  /**
   * Registers: a write of a register is `set` (its value) or, for keyed registers (LWW-Map
   * keys), `delete [key]` (the effect "absent"). An acknowledged write survived at a replica
   * when that replica's value reflects it, or reflects a *rival* it applied — a write of the
   * same register that is not causally before it (concurrent or later), which the type's rule
   * may rightly let win. A value that comes from neither (the register shows an older write,
   * or nothing) means the crash lost it.
   */
  private registers(replicas: readonly Replica[], all: W[], acked: W[], lost: string[]): void {
    const fields = this.fields!;
    const keyed = (k: unknown): k is string => typeof k === "string" && fields.kindOf(k) !== undefined;
    const writeOf = (w: W): { key: string; effect: string } | undefined => {
      if (w.op === "set" && w.args.length === 1 && fields.bare) return { key: "", effect: canonicalKey(w.args[0]) };
      if (w.op === "set" && w.args.length === 2 && keyed(w.args[0])) return { key: w.args[0], effect: canonicalKey(w.args[1]) };
      if (w.op === "delete" && w.args.length === 1 && keyed(w.args[0])) return { key: w.args[0], effect: ABSENT };
      return undefined;
    };
    const shown = (r: Replica, key: string): string[] => {
      const value = r.value();
      const raw = fields.shown(value, key);
      if (raw === undefined) return [ABSENT];
      if (Array.isArray(raw) && fields.kindAt(key) === "mv") return raw.length ? raw.map((x) => canonicalKey(x)) : [ABSENT];
      return [canonicalKey(raw)];
    };
    const writes = new Map<W, { key: string; effect: string }>();
    for (const w of all) {
      const x = writeOf(w);
      if (x) writes.set(w, x);
    }
    for (const w of acked) {
      const mine = writes.get(w);
      if (!mine) continue;
      const rivals = all.filter((x) => x !== w && writes.get(x)?.key === mine.key && !w.k!.has(x.o, x.seq));
      for (const r of replicas) {
        const now = shown(r, mine.key);
        if (now.includes(mine.effect)) continue;
        if (rivals.some((x) => r.knowledge.has(x.o, x.seq) && now.includes(writes.get(x)!.effect))) continue;
        const what = mine.effect === ABSENT ? "deleted" : `= ${mine.effect}`;
        const instead = now.map((e) => (e === ABSENT ? "nothing" : e)).join(", ");
        this.lose(lost, `${fields.bare ? "the register" : mine.key} ${what} (${at(w)}) is not reflected at ${r.name}, which shows ${instead} from no later or concurrent write`, w);
        break;
      }
    }
  }
}
