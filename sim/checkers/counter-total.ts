/**
 * counter-total (counters): the final value equals the sum of every `inc` issued minus every
 * `dec`. To point at the first offending event, each update's amount is attached to its dot
 * (DotWeights), so every replica knows the total of the updates it has applied; whenever its
 * update set has no gaps (a state-based counter may legitimately run ahead of a gapped set),
 * its value must equal that total. A register-style counter that overwrites a concurrent
 * increment fails there, at the merge that lost it.
 */
import { failedCheck, type CheckAt, type CheckResult } from "../run-types.ts";
import { describe, type Replica } from "../engine/replica.ts";

function amountOf(op: string, args: readonly unknown[]): number {
  const n = args.length === 0 ? 1 : args[0];
  if (typeof n !== "number") return 0;
  return op === "inc" ? n : op === "dec" ? -n : 0;
}

/** Per origin, the narrowest array its weights fit in: most counters add small integers. */
const I8 = 0;
const I32 = 1;
const F64 = 2;

/** The narrowest kind that holds weight `w` exactly (-0 is held as 0: a sum never tells them apart). */
function kindOf(w: number): number {
  if ((w | 0) !== w) return F64;
  return w >= -128 && w <= 127 ? I8 : I32;
}

export class CounterTotal {
  /**
   * Per origin, the weight of each seq (index seq). A typed array grown fourfold: storing into a
   * growing JS array cost the engine's update path several times more. One byte a weight while
   * they fit (a whole int32, or a float64, once one does not): a run issues hundreds of thousands
   * of updates, and every fresh page a wider array touches is a page fault.
   */
  readonly weights: (Int8Array | Int32Array | Float64Array)[];
  /** Per origin, the kind of its weights array (I8, I32, F64): it only widens. */
  private readonly kinds: number[];
  /** Per origin, the highest seq issued (a weight at or below it was set by `issue`). */
  private readonly top: number[];
  /** Per origin, the seqs that are answers (op mode, a type that answers; else never made). */
  private readonly answers: (Set<number> | undefined)[] = [];
  private issued = 0;
  private updates = 0;
  private first = "";
  private at: CheckAt | undefined = undefined;

  constructor(nodes: number) {
    this.weights = Array.from({ length: nodes }, () => new Int8Array(64));
    this.kinds = new Array<number>(nodes).fill(I8);
    this.top = new Array<number>(nodes).fill(0);
  }

  /** Before node `o`'s update `seq` is applied (so that its weight counts at once). */
  issue(o: number, seq: number, op: string, args: readonly unknown[]): void {
    const w = amountOf(op, args);
    let ws = this.weights[o]!;
    const kind = this.kinds[o]!;
    if (seq >= ws.length || (kind !== F64 && kindOf(w) > kind)) ws = this.grow(o, seq, w);
    ws[seq] = w;
    if (seq > this.top[o]!) this.top[o] = seq;
    this.issued += w;
    this.updates++;
  }

  /**
   * Op mode: node `o`'s answer `seq` (an op a merge or effect answered with). It weighs 0: the
   * total is of the `inc`s and `dec`s clients issued, and an answer is none of them — a type whose
   * answers change the count (say, one that re-sends an increment as its own op) ends above it,
   * and fails. Noted so that no earlier weight stays at its seq and a retraction of it (lost
   * unsynced in a crash) does not uncount an update.
   */
  answered(o: number, seq: number): void {
    let ws = this.weights[o]!;
    if (seq >= ws.length) ws = this.grow(o, seq, 0);
    ws[seq] = 0;
    if (seq > this.top[o]!) this.top[o] = seq;
    (this.answers[o] ??= new Set()).add(seq);
  }

  // Out of line: `issue` runs on every update.
  private grow(o: number, seq: number, w: number): Int8Array | Int32Array | Float64Array {
    const old = this.weights[o]!;
    let size = old.length;
    while (size <= seq) size *= 4;
    const kind = Math.max(this.kinds[o]!, kindOf(w));
    const ws = kind === I8 ? new Int8Array(size) : kind === I32 ? new Int32Array(size) : new Float64Array(size);
    ws.set(old);
    this.weights[o] = ws;
    this.kinds[o] = kind;
    return ws;
  }

  /** Update (o, s) was lost before anyone saw it (unsynced at a crash): it never happened. */
  retract(o: number, seq: number): void {
    if (seq < 1 || seq > this.top[o]!) return;
    if (this.answers[o]?.delete(seq)) return;
    const w = this.weights[o]![seq]!;
    this.issued -= w;
    this.updates--;
    this.weights[o]![seq] = 0;
  }

  afterChange(r: Replica, t: number, what: number): void {
    if (this.first || !r.knowledge.gapFree()) return;
    if (r.valueKey() !== r.knowledge.total) this.mismatch(r, t, what);
  }

  // Out of line, like strong-convergence's message: afterChange runs after every delivery.
  private mismatch(r: Replica, t: number, what: number): void {
    this.at = { t, node: r.name };
    this.first = `t=${t} after ${describe(r, what)} at ${r.name}: value ${r.valueJson()}, but the ${r.knowledge.count} updates it has ` + `applied total ${r.knowledge.total}`;
  }

  result(replicas: readonly Replica[], expected: boolean): CheckResult {
    const wrong = replicas.filter((r) => r.valueKey() !== this.issued);
    const summary = `${this.updates} updates issued, inc − dec = ${this.issued}`;
    if (wrong.length === 0 && !this.first) return { name: "counter-total", ok: true, expected, detail: `every replica ends at ${this.issued} (${summary})` };
    const finals = wrong.map((r) => `${r.name}=${r.valueJson()}`).join(", ");
    const detail = [this.first, wrong.length ? `final ${finals}` : "", summary].filter(Boolean).join("; ");
    return failedCheck("counter-total", expected, detail, this.at);
  }
}
