/**
 * The compact trace file (format version 2, docs/reading-a-run.md "The trace file"): a header
 * line, then one line per event — a rare event as its canonical line, a per-message event as a
 * positional record that carries what changed — then a trailer line. Written in chunks as the run
 * goes: nothing here grows with the run but one vv and value text per replica.
 *
 *   header    {"format":"memoconductor-trace","version":2,"nodes":[…],"keyframeEvery":K}
 *   update    [1, dt, node, "op", "argsJson", seq, vv, value]
 *   send      [2, dt, dmsg, from, to, kind, bytes]
 *   deliver   [3, dt, dmsg, to, from, vv, value]
 *   drop      [4, dt, dmsg, reason]
 *   duplicate [5, dt, dmsg, msg − of]
 *   hold      [6, dt, dmsg]      release [7, dt, dmsg]
 *   rare      {"t":…,"type":…}  (the canonical line itself)
 *   trailer   {"end":true,"lines":N}   (N canonical lines; absent when the run was stopped)
 *
 * `dt` is the time since the previous record's, `dmsg` the message id less the previous
 * record's; nodes are indices into the header's `nodes`; `kind` and `reason` are codes
 * (lines.ts); vv and value are splices against the replica's previous texts (splice.ts).
 * Every field of a kind sits at the same position: a reader can lay a run out in columns.
 */
import type { DropReason } from "../run-types.ts";
import { deliverLine, dropLine, duplicateLine, holdLine, KIND_NAME, sendLine, updateLine } from "./lines.ts";
import type { TraceSink } from "./sink.ts";
import { spliceJson } from "./splice.ts";

export const FORMAT = "memoconductor-trace";
export const VERSION = 2;
/** Events of one replica between two of its keyframes. */
export const KEYFRAME_EVERY = 256;
/** Characters buffered before a chunk is handed to `out`. */
const CHUNK = 1 << 20;

export const Rec = { update: 1, send: 2, deliver: 3, drop: 4, duplicate: 5, hold: 6, release: 7 } as const;
const REASON_CODE: Record<DropReason, number> = { loss: 0, partition: 1, crash: 2, dedup: 3, step: 4 };

export function headerLine(names: readonly string[], keyframeEvery: number): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, nodes: names, keyframeEvery });
}

export const trailerLine = (lines: number): string => `{"end":true,"lines":${lines}}`;

export class CompactWriter implements TraceSink {
  private buf = "";
  private t = 0;
  private msg = 0;
  private count = 0;
  private readonly vv: (string | undefined)[];
  private readonly value: (string | undefined)[];
  private readonly since: number[];
  private readonly q: string[];

  constructor(
    names: readonly string[],
    private readonly out: (chunk: string) => void,
    private readonly keyframeEvery = KEYFRAME_EVERY,
  ) {
    this.vv = names.map(() => undefined);
    this.value = names.map(() => undefined);
    this.since = names.map(() => 0);
    this.q = names.map((n) => JSON.stringify(n));
    this.put(headerLine(names, keyframeEvery));
  }

  private put(line: string): void {
    this.buf += line + "\n";
    if (this.buf.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buf === "") return;
    this.out(this.buf);
    this.buf = "";
  }

  /** Writes the trailer and the last chunk: the file is whole. */
  end(): void {
    this.put(trailerLine(this.count));
    this.flush();
  }

  /**
   * The record's leading `dt,dmsg` — or null when t or msg is not a safe integer (then the
   * event is written as its canonical line: a difference of such numbers may not add back).
   */
  private delta(t: number, msg: number): string | null {
    if (!Number.isSafeInteger(t) || !Number.isSafeInteger(msg)) return null;
    const s = `${t - this.t},${msg - this.msg}`;
    this.t = t;
    this.msg = msg;
    return s;
  }

  /** The vv and value splices of replica `i` after an event, a keyframe every `keyframeEvery`. */
  private state(i: number, vv: string, value: string): string {
    const prevVv = this.vv[i];
    const prevValue = this.value[i];
    this.vv[i] = vv;
    this.value[i] = value;
    if (prevVv === undefined || prevValue === undefined || ++this.since[i]! >= this.keyframeEvery) {
      this.since[i] = 0;
      return `${JSON.stringify(vv)},${JSON.stringify(value)}`;
    }
    return `${spliceJson(prevVv, vv)},${spliceJson(prevValue, value)}`;
  }

  rare(line: string): void {
    this.count++;
    this.put(line);
  }

  update(t: number, node: number, op: string, argsJson: string, seq: number, vv: string, value: string): void {
    this.count++;
    if (!Number.isSafeInteger(t) || !Number.isSafeInteger(seq)) return this.put(updateLine(t, this.q[node]!, op, argsJson, seq, vv, value));
    const dt = t - this.t;
    this.t = t;
    this.put(`[${Rec.update},${dt},${node},${JSON.stringify(op)},${JSON.stringify(argsJson)},${seq},${this.state(node, vv, value)}]`);
  }

  send(t: number, msg: number, from: number, to: number, kind: number, bytes: number): void {
    this.count++;
    const d = this.delta(t, msg);
    if (d === null) return this.put(sendLine(t, msg, this.q[from]!, this.q[to]!, KIND_NAME[kind]!, bytes));
    this.put(`[${Rec.send},${d},${from},${to},${kind},${bytes}]`);
  }

  deliver(t: number, msg: number, to: number, from: number, vv: string, value: string): void {
    this.count++;
    const d = this.delta(t, msg);
    if (d === null) return this.put(deliverLine(t, msg, this.q[to]!, this.q[from]!, vv, value));
    this.put(`[${Rec.deliver},${d},${to},${from},${this.state(to, vv, value)}]`);
  }

  drop(t: number, msg: number, reason: DropReason): void {
    this.count++;
    const d = this.delta(t, msg);
    if (d === null) return this.put(dropLine(t, msg, reason));
    this.put(`[${Rec.drop},${d},${REASON_CODE[reason]}]`);
  }

  duplicate(t: number, msg: number, of: number): void {
    this.count++;
    const d = this.delta(t, msg);
    if (d === null || !Number.isSafeInteger(of)) return this.put(duplicateLine(t, msg, of));
    this.put(`[${Rec.duplicate},${d},${msg - of}]`);
  }

  hold(t: number, msg: number, release: boolean): void {
    this.count++;
    const d = this.delta(t, msg);
    if (d === null) return this.put(holdLine(t, msg, release));
    this.put(`[${release ? Rec.release : Rec.hold},${d}]`);
  }
}
