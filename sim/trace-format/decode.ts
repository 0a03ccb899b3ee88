/**
 * Reads a trace file's lines back into the canonical lines, byte for byte what the engine keeps
 * in memory (sim/run-types.ts): a version-1 file (no header, the canonical lines themselves) line
 * for line, a version-2 file (compact-writer.ts) by undoing its records. One line at a time, with
 * one vv and value text per replica as its whole state: a reader of a long run holds no more.
 */
import { FORMAT, Rec, VERSION } from "./compact-writer.ts";
import { deliverLine, DROP_REASONS, dropLine, duplicateLine, holdLine, KIND_NAME, sendLine, updateLine } from "./lines.ts";
import { applySplice } from "./splice.ts";

/** A line that is not what its format says: `line` is its 1-based number in the file. */
export class TraceFormatError extends Error {
  override name = "TraceFormatError";
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export type TraceHeader = { format: string; version: number; nodes: string[]; keyframeEvery: number };

export class TraceDecoder {
  /** 1 for a file without a header (the canonical lines), else the header's. */
  version = 1;
  header: TraceHeader | null = null;
  /** The trailer's count of canonical lines, once read: the file is whole. */
  endLines: number | null = null;
  /** Canonical lines given out so far. */
  lines = 0;
  private lineNo = 0;
  private q: string[] = [];
  private t = 0;
  private msg = 0;
  private vv: (string | undefined)[] = [];
  private value: (string | undefined)[] = [];

  /** The canonical line of the file's next line, or null for a header or trailer. */
  next(text: string): string | null {
    const n = ++this.lineNo;
    if (this.endLines !== null) throw new TraceFormatError(n, "a line after the trailer");
    if (n === 1 && text.startsWith(`{"format":`)) return this.readHeader(text);
    if (this.version === 1 || text.startsWith(`{"t":`)) {
      this.lines++;
      return text;
    }
    if (text.startsWith(`{"end":`)) return this.readTrailer(text);
    let r: unknown;
    try {
      r = JSON.parse(text);
    } catch (e) {
      throw new TraceFormatError(n, `not JSON (${(e as Error).message})`);
    }
    // Every record starts [kind, dt] and, but for an update, dmsg; the rest is checked per kind.
    if (!Array.isArray(r) || typeof r[0] !== "number" || typeof r[1] !== "number" || (r[0] !== Rec.update && typeof r[2] !== "number"))
      throw new TraceFormatError(n, "not a trace record");
    const line = this.record(r, n);
    this.lines++;
    return line;
  }

  private readHeader(text: string): null {
    let h: Partial<TraceHeader>;
    try {
      h = JSON.parse(text) as Partial<TraceHeader>;
    } catch (e) {
      throw new TraceFormatError(1, `header not JSON (${(e as Error).message})`);
    }
    if (h.format !== FORMAT || !Array.isArray(h.nodes) || !h.nodes.every((x) => typeof x === "string") || typeof h.keyframeEvery !== "number")
      throw new TraceFormatError(1, `not a ${FORMAT} header`);
    if (h.version !== VERSION) throw new TraceFormatError(1, `trace format version ${String(h.version)}; this reader knows versions 1 and ${VERSION}`);
    this.version = h.version;
    this.header = h as TraceHeader;
    this.q = h.nodes.map((x) => JSON.stringify(x));
    this.vv = h.nodes.map(() => undefined);
    this.value = h.nodes.map(() => undefined);
    return null;
  }

  private readTrailer(text: string): null {
    const m = /^\{"end":true,"lines":(\d+)\}$/.exec(text);
    if (!m) throw new TraceFormatError(this.lineNo, "a malformed trailer");
    if (Number(m[1]) !== this.lines) throw new TraceFormatError(this.lineNo, `the trailer counts ${m[1]} events, the file has ${this.lines}`);
    this.endLines = this.lines;
    return null;
  }

  private node(i: unknown, n: number): string {
    const q = typeof i === "number" ? this.q[i] : undefined;
    if (q === undefined) throw new TraceFormatError(n, `no node ${String(i)}`);
    return q;
  }

  /** Replica `i`'s texts after applying the record's splices. */
  private state(i: number, vvSp: unknown, valueSp: unknown, n: number): [string, string] {
    const vv = applySplice(this.vv[i], vvSp);
    const value = applySplice(this.value[i], valueSp);
    if (vv === undefined || value === undefined) throw new TraceFormatError(n, "a vv or value change that does not fit the replica's previous one");
    this.vv[i] = vv;
    this.value[i] = value;
    return [vv, value];
  }

  private record(r: unknown[], n: number): string {
    const t = (this.t += r[1] as number);
    if (r[0] === Rec.update) {
      const [, , node, op, args, seq, vvSp, valueSp] = r;
      if (typeof op !== "string" || typeof args !== "string" || typeof seq !== "number") throw new TraceFormatError(n, "a malformed update record");
      const [vv, value] = this.state(node as number, vvSp, valueSp, n);
      return updateLine(t, this.node(node, n), op, args, seq, vv, value);
    }
    const msg = (this.msg += r[2] as number);
    switch (r[0]) {
      case Rec.send: {
        const kind = KIND_NAME[r[5] as number];
        if (kind === undefined || typeof r[6] !== "number") throw new TraceFormatError(n, "a malformed send record");
        return sendLine(t, msg, this.node(r[3], n), this.node(r[4], n), kind, r[6]);
      }
      case Rec.deliver: {
        const to = this.node(r[3], n);
        const [vv, value] = this.state(r[3] as number, r[5], r[6], n);
        return deliverLine(t, msg, to, this.node(r[4], n), vv, value);
      }
      case Rec.drop: {
        const reason = DROP_REASONS[r[3] as number];
        if (reason === undefined) throw new TraceFormatError(n, "a malformed drop record");
        return dropLine(t, msg, reason);
      }
      case Rec.duplicate:
        if (typeof r[3] !== "number") throw new TraceFormatError(n, "a malformed duplicate record");
        return duplicateLine(t, msg, msg - r[3]);
      case Rec.hold:
      case Rec.release:
        return holdLine(t, msg, r[0] === Rec.release);
      default:
        throw new TraceFormatError(n, `unknown record kind ${String(r[0])}`);
    }
  }
}
