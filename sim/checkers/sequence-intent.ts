/**
 * The sequence checks, for list and text types (value: a string; `sequence` in the contract).
 * Values agreeing is not enough: a text every replica shows identically may still have lost
 * what someone typed, or put it somewhere else (Automerge 0.4.2 lost list elements that way).
 *
 * Characters are followed by identity, so the run's inserted characters must all differ (explore
 * types fresh ones: swarm.ts `freshText`); a run that types one character twice is not checked,
 * and says so. Each local update is read as the difference of the replica's text before and
 * after: characters that appeared were typed, each block of them between a left and a right
 * neighbour (or the ends); characters that vanished were deleted. At the end, on every replica:
 *
 * - `sequence-intent` (the strong list specification, Attiya et al. 2016, as the Fugue paper
 *   uses it): every character typed and never deleted is there, none deleted is, none nobody
 *   typed is, and each stands after its left neighbour and before its right one — the nearest
 *   still shown along the chain of left (right) neighbours, since a neighbour's own neighbour
 *   was on the same side.
 * - `no-interleaving` (Weidner and Kleppmann, "The Art of the Fugue"): when a replica typed
 *   character f right after e (f's left neighbour is e: typing forwards), nothing stands between
 *   them that was typed to the left of e; typing backwards (f's right neighbour is e), nothing
 *   between them was typed to the right of e. Something typed between them by someone who had
 *   seen e is no interleaving.
 */
import { failedCheck, type CheckResult } from "../run-types.ts";
import type { Replica } from "../engine/replica.ts";

type Char = {
  ch: string;
  node: string;
  t: number;
  o: number;
  seq: number;
  /** Left and right neighbour when typed (undefined: the start or the end). */
  left: Char | undefined;
  right: Char | undefined;
  /** The character this replica typed just before this one. */
  prev: Char | undefined;
  deleted: { o: number; seq: number } | null;
  /** Its update was lost unsynced in a crash before anyone saw it. */
  lost: boolean;
};

const MAX_PROBLEMS_SHOWN = 3;

export class SequenceIntent {
  private readonly chars = new Map<string, Char>();
  private readonly lastTyped = new Map<number, Char>();
  private before = "";
  private repeated = "";

  /** False once a character was typed twice: the checks cannot follow characters then. */
  get checkable(): boolean {
    return this.repeated === "";
  }

  /** `r` is about to issue an update: its text now. */
  beforeUpdate(r: Replica): void {
    const v = r.value();
    this.before = typeof v === "string" ? v : "";
  }

  /** `r` has issued update `seq`: what appeared was typed, what vanished was deleted. */
  issued(r: Replica, seq: number, t: number): void {
    const v = r.value();
    if (typeof v !== "string" || this.repeated) return;
    const before = new Set(this.before);
    const after = new Set(v);
    for (const ch of before)
      if (!after.has(ch)) {
        const c = this.chars.get(ch);
        if (c && !c.deleted) c.deleted = { o: r.index, seq };
      }
    const typed = [...v];
    if (after.size !== typed.length && this.before.length - before.size < typed.length - after.size) {
      const twice = typed.find((ch, i) => typed.indexOf(ch) !== i)!;
      this.repeated = `"${twice}" was typed twice (${r.name}'s text shows it twice after its update at t=${t})`;
      return;
    }
    for (let i = 0; i < typed.length; i++) {
      const ch = typed[i]!;
      if (before.has(ch)) continue;
      if (this.chars.has(ch)) {
        const first = this.chars.get(ch)!;
        this.repeated = `"${ch}" was typed twice (${first.node} at t=${first.t}, ${r.name} at t=${t})`;
        return;
      }
      let k = i + 1;
      while (k < typed.length && !before.has(typed[k]!)) k++;
      const left = i > 0 ? this.chars.get(typed[i - 1]!) : undefined;
      const right = k < typed.length ? this.chars.get(typed[k]!) : undefined;
      const c: Char = { ch, node: r.name, t, o: r.index, seq, left, right, prev: this.lastTyped.get(r.index), deleted: null, lost: false };
      this.chars.set(ch, c);
      this.lastTyped.set(r.index, c);
    }
  }

  /** Update (o, seq) was lost unsynced in a crash before anyone saw it: it never happened. */
  retract(o: number, seq: number): void {
    for (const c of this.chars.values()) {
      if (c.deleted && c.deleted.o === o && c.deleted.seq === seq) c.deleted = null;
      if (c.o === o && c.seq === seq) c.lost = true;
    }
  }

  private notChecked(name: string, expected: boolean): CheckResult {
    const why = `not checked: ${this.repeated} — the sequence checks follow characters by identity`;
    // Asked for by name but not verifiable: never let the expectation pass unverified.
    return { name, ok: !expected, expected, detail: why };
  }

  intent(replicas: readonly Replica[], expected: boolean): CheckResult {
    if (this.repeated) return this.notChecked("sequence-intent", expected);
    const problems: string[] = [];
    for (const r of replicas) {
      const text = textOf(r);
      const pos = positions(text);
      for (const c of this.chars.values()) {
        const shown = pos.has(c.ch);
        if (!c.deleted && !c.lost && !shown) problems.push(`${r.name} lost ${describe(c)}: never deleted, not in its text`);
        else if (c.lost && shown) problems.push(`${r.name} shows ${describe(c)}, whose update a crash lost before anyone saw it`);
        else if (c.deleted && shown) problems.push(`${r.name} shows ${describe(c)}, which was deleted`);
      }
      for (const ch of pos.keys()) if (!this.chars.has(ch)) problems.push(`${r.name} shows "${ch}", which nobody typed`);
      if (pos.size !== [...text].length) problems.push(`${r.name} shows a character twice, though each was typed once`);
      for (const [ch, p] of pos) {
        const c = this.chars.get(ch);
        if (!c) continue;
        const l = nearest(c, "left", pos);
        const rr = nearest(c, "right", pos);
        if (l && pos.get(l.ch)! > p) problems.push(`${r.name} shows ${describe(c)} before "${l.ch}", its left neighbour when typed`);
        if (rr && pos.get(rr.ch)! < p) problems.push(`${r.name} shows ${describe(c)} after "${rr.ch}", its right neighbour when typed`);
      }
      if (problems.length > 0) return this.failed("sequence-intent", expected, problems, text);
    }
    return { name: "sequence-intent", ok: true, expected, detail: `${this.chars.size} typed characters, each kept in place on every replica` };
  }

  interleaving(replicas: readonly Replica[], expected: boolean): CheckResult {
    if (this.repeated) return this.notChecked("no-interleaving", expected);
    const problems: string[] = [];
    let pairs = 0;
    for (const r of replicas) {
      const text = textOf(r);
      const pos = positions(text);
      const at = [...text];
      for (const f of this.chars.values()) {
        const e = f.prev;
        if (!e || !pos.has(e.ch) || !pos.has(f.ch)) continue;
        const forwards = f.left === e;
        if (!forwards && f.right !== e) continue;
        pairs++;
        const [from, to] = forwards ? [pos.get(e.ch)!, pos.get(f.ch)!] : [pos.get(f.ch)!, pos.get(e.ch)!];
        for (let p = from + 1; p < to; p++) {
          const x = this.chars.get(at[p]!);
          if (!x) continue;
          const anchor = nearest(x, forwards ? "left" : "right", pos);
          const outside = forwards ? (anchor ? pos.get(anchor.ch)! : -1) < from : (anchor ? pos.get(anchor.ch)! : at.length) > to;
          if (outside) {
            problems.push(
              `${r.name}: ${describe(x)} stands inside ${e.node}'s run "${e.ch}${f.ch}" (typed ${forwards ? "forwards" : "backwards"}), typed concurrently at the same place`,
            );
            break;
          }
        }
      }
      if (problems.length > 0) return this.failed("no-interleaving", expected, problems, text);
    }
    return {
      name: "no-interleaving",
      ok: true,
      expected,
      detail: `${pairs / Math.max(1, replicas.length)} pairs of characters typed one after the other, none split by concurrent typing`,
    };
  }

  private failed(name: string, expected: boolean, problems: string[], text: string): CheckResult {
    const more = problems.length > MAX_PROBLEMS_SHOWN ? ` (and ${problems.length - MAX_PROBLEMS_SHOWN} more)` : "";
    const detail = `${problems.slice(0, MAX_PROBLEMS_SHOWN).join("; ")}${more}; text ${JSON.stringify(text)}`;
    return failedCheck(name, expected, detail, undefined, kindOf(problems[0]!));
  }
}

function textOf(r: Replica): string {
  const v = r.value();
  return typeof v === "string" ? v : "";
}

function positions(text: string): Map<string, number> {
  const pos = new Map<string, number>();
  let i = 0;
  for (const ch of text) pos.set(ch, i++);
  return pos;
}

/** The nearest character still shown along c's chain of left (right) neighbours; undefined: the end. */
function nearest(c: Char, side: "left" | "right", pos: Map<string, number>): Char | undefined {
  let n = c[side];
  while (n && !pos.has(n.ch)) n = n[side];
  return n;
}

function describe(c: Char): string {
  return `"${c.ch}" (typed by ${c.node} at t=${c.t})`;
}

/** A problem's kind, for the failure's signature: without the node, the characters, the times. */
function kindOf(problem: string): string {
  return problem
    .replace(/^\S+?:? /, "")
    .replace(/ \(typed by [^)]*\)/g, "")
    .replace(/\S+'s run/g, "a run")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, "#");
}
