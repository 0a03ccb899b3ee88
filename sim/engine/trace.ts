/**
 * The canonical trace (sim/run-types.ts TraceEvent): one JSON object per line with a fixed key
 * order per event type, built by hand so that no object's key order (user data) leaks in.
 * Every event is also fed to the traceHash (see trace-hash.ts) identically with or without
 * `trace`; lines are only built when the trace is kept.
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { Knowledge } from "./knowledge.ts";
import { TraceHash } from "./trace-hash.ts";

/** What the trace needs from a replica to print `vv` and `value` after an event. */
export interface TracedReplica {
  readonly index: number;
  readonly knowledge: Knowledge;
  valueJson(): string;
}

/** Message kind names by MsgKind number (event.ts). */
const KIND_NAME = ["delta", "state", "ae", "op", "ops", "digest"];
/** Why a message had no effect: lost, cut by a partition, its recipient crashed, or (op mode) a duplicate the layer dropped. */
export type DropReason = "loss" | "partition" | "crash" | "dedup";
const DROP_CODE: Record<DropReason, number> = { loss: 0, partition: 1, crash: 2, dedup: 3 };

const Tag = {
  Update: 1,
  Send: 2,
  Deliver: 3,
  Drop: 4,
  Duplicate: 5,
  Hold: 6,
  Release: 7,
  Line: 8,
  OpName: 9,
  ArgNumber: 10,
  ArgJson: 11,
} as const;

export class Trace {
  readonly hash = new TraceHash();
  readonly lines: string[] | null;
  private readonly q: string[];
  private readonly sorted: number[];
  /** Op names seen so far → small ints; a name is hashed in full once, when first seen. */
  private readonly opIds = new Map<string, number>();

  constructor(
    readonly names: readonly string[],
    keep: boolean,
  ) {
    this.lines = keep ? [] : null;
    this.q = names.map((n) => JSON.stringify(n));
    this.sorted = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  }

  private vv(r: TracedReplica): string {
    return r.knowledge.vvJson(this.names, this.sorted);
  }

  /** Rare events: the line is hashed as text, and kept when tracing. */
  rare(line: string): void {
    this.hash.line(Tag.Line, line);
    if (this.lines) this.lines.push(line);
  }

  update(t: number, r: TracedReplica, op: string, args: readonly unknown[], seq: number): void {
    const h = this.hash;
    let opId = this.opIds.get(op);
    if (opId === undefined) {
      opId = this.opIds.size;
      this.opIds.set(op, opId);
      h.tag(Tag.OpName);
      h.str(op);
    }
    h.tag(Tag.Update);
    h.uint(t);
    h.uint(r.index);
    h.uint(seq);
    h.uint(opId);
    h.uint(args.length);
    // Numbers are hashed as themselves, anything else as canonical JSON (typed, so 1 ≠ "1").
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === "number") {
        h.tag(Tag.ArgNumber);
        h.num(a);
      } else {
        h.tag(Tag.ArgJson);
        h.str(canonicalKey(a) ?? "null");
      }
    }
    if (this.lines) {
      const argsJson = canonicalKey(args);
      const node = this.q[r.index]!;
      this.lines.push(
        `{"t":${t},"type":"update","node":${node},"op":${JSON.stringify(op)},"args":${argsJson},` + `"id":[${node},${seq}],"vv":${this.vv(r)},"value":${r.valueJson()}}`,
      );
    }
  }

  send(t: number, msg: number, from: number, to: number, kind: number, bytes: number): void {
    const h = this.hash;
    // The msg id is implied (ids are handed out in send order), the kind rides in the tag word,
    // and the link is one word when node indices fit 16 bits.
    if (from < 0x8000 && to < 0x8000) h.rec3(Tag.Send | (kind << 8), t, (from << 16) | to, bytes);
    else {
      h.tag(Tag.Send | (kind << 8));
      h.uint(t);
      h.uint(0xffff0000);
      h.uint(from);
      h.uint(to);
      h.uint(bytes);
    }
    if (this.lines !== null) this.sendLine(this.lines, t, msg, from, to, kind, bytes);
  }

  // The JSON lines of the per-message events are built out of line: V8 counts a callee's whole
  // bytecode against the caller's inlining budget, and these template strings were most of
  // `send`/`deliver`, so the engine's delivery path ran out of budget before inlining the merge.
  private sendLine(lines: string[], t: number, msg: number, from: number, to: number, kind: number, bytes: number): void {
    lines.push(`{"t":${t},"type":"send","msg":${msg},"from":${this.q[from]},"to":${this.q[to]},"kind":"${KIND_NAME[kind]}","bytes":${bytes}}`);
  }

  deliver(t: number, msg: number, r: TracedReplica, from: number): void {
    // Recipient and sender are those of the message's send record: not repeated here.
    this.hash.rec2(Tag.Deliver, t, msg);
    if (this.lines !== null) this.deliverLine(this.lines, t, msg, r, from);
  }

  private deliverLine(lines: string[], t: number, msg: number, r: TracedReplica, from: number): void {
    lines.push(`{"t":${t},"type":"deliver","msg":${msg},"to":${this.q[r.index]},"from":${this.q[from]},` + `"vv":${this.vv(r)},"value":${r.valueJson()}}`);
  }

  drop(t: number, msg: number, reason: DropReason): void {
    const h = this.hash;
    h.tag(Tag.Drop);
    h.uint(t);
    h.uint(msg);
    h.uint(DROP_CODE[reason]);
    if (this.lines) this.lines.push(`{"t":${t},"type":"drop","msg":${msg},"reason":"${reason}"}`);
  }

  duplicate(t: number, msg: number, of: number): void {
    const h = this.hash;
    h.tag(Tag.Duplicate);
    h.uint(t);
    h.uint(msg);
    h.uint(of);
    if (this.lines) this.lines.push(`{"t":${t},"type":"duplicate","msg":${msg},"of":${of}}`);
  }

  hold(t: number, msg: number): void {
    this.hash.tag(Tag.Hold);
    this.hash.uint(t);
    this.hash.uint(msg);
    if (this.lines) this.lines.push(`{"t":${t},"type":"hold","msg":${msg}}`);
  }

  release(t: number, msg: number): void {
    this.hash.tag(Tag.Release);
    this.hash.uint(t);
    this.hash.uint(msg);
    if (this.lines) this.lines.push(`{"t":${t},"type":"release","msg":${msg}}`);
  }

  /** `{t, type, node}` events: crash, restart, pause, resume (`by` the nemesis when it is the cause). */
  nodeEvent(t: number, type: string, node: number, by = "step"): void {
    this.rare(`{"t":${t},"type":"${type}","node":${this.q[node]}${by === "step" ? "" : `,"by":"${by}"`}}`);
  }

  /**
   * A restart, with what the replica recovered from durable storage (its version vector and
   * value), so a viewer can show what the crash kept. Hashed as text like every rare line.
   */
  restart(t: number, r: TracedReplica, by = "step"): void {
    this.rare(`{"t":${t},"type":"restart","node":${this.q[r.index]}${by === "step" ? "" : `,"by":"${by}"`},"vv":${this.vv(r)},"value":${r.valueJson()}}`);
  }

  /** Node-name pairs as canonical JSON: [["a","b"],…]. */
  links(pairs: readonly (readonly [number, number])[]): string {
    return `[${pairs.map(([a, b]) => `[${this.q[a]},${this.q[b]}]`).join(",")}]`;
  }

  groups(groups: readonly (readonly number[])[]): string {
    return `[${groups.map((g) => `[${g.map((i) => this.q[i]).join(",")}]`).join(",")}]`;
  }

  nodeName(i: number): string {
    return this.q[i]!;
  }

  digest(): string {
    return this.hash.digest();
  }
}
