/**
 * Where the trace writer (sim/engine/trace.ts) puts the events it keeps: one call per frequent
 * event, with its fields (so a compact sink never builds and re-parses a line), and the finished
 * line of every rare one. `CanonicalLines` keeps the canonical lines in memory (the Run's
 * `trace`); compact-writer.ts streams the compact file.
 */
import type { DropReason } from "../run-types.ts";
import { deliverLine, dropLine, duplicateLine, holdLine, KIND_NAME, sendLine, updateLine } from "./lines.ts";

export interface TraceSink {
  /** A rare event's canonical line (meta, faults, service events, the last `converged` line). */
  rare(line: string): void;
  update(t: number, node: number, op: string, argsJson: string, seq: number, vv: string, value: string): void;
  /** `kind`: a MsgKind number (KIND_NAME). */
  send(t: number, msg: number, from: number, to: number, kind: number, bytes: number): void;
  deliver(t: number, msg: number, to: number, from: number, vv: string, value: string): void;
  drop(t: number, msg: number, reason: DropReason): void;
  duplicate(t: number, msg: number, of: number): void;
  hold(t: number, msg: number, release: boolean): void;
}

/** The canonical lines, in memory: what `simulate()` returns as `Run.trace`. */
export class CanonicalLines implements TraceSink {
  readonly lines: string[] = [];
  private readonly q: string[];

  constructor(names: readonly string[]) {
    this.q = names.map((n) => JSON.stringify(n));
  }

  rare(line: string): void {
    this.lines.push(line);
  }

  update(t: number, node: number, op: string, argsJson: string, seq: number, vv: string, value: string): void {
    this.lines.push(updateLine(t, this.q[node]!, op, argsJson, seq, vv, value));
  }

  send(t: number, msg: number, from: number, to: number, kind: number, bytes: number): void {
    this.lines.push(sendLine(t, msg, this.q[from]!, this.q[to]!, KIND_NAME[kind]!, bytes));
  }

  deliver(t: number, msg: number, to: number, from: number, vv: string, value: string): void {
    this.lines.push(deliverLine(t, msg, this.q[to]!, this.q[from]!, vv, value));
  }

  drop(t: number, msg: number, reason: DropReason): void {
    this.lines.push(dropLine(t, msg, reason));
  }

  duplicate(t: number, msg: number, of: number): void {
    this.lines.push(duplicateLine(t, msg, of));
  }

  hold(t: number, msg: number, release: boolean): void {
    this.lines.push(holdLine(t, msg, release));
  }
}
