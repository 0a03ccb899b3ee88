/**
 * The recorded trace.jsonl against a replay's trace lines: where they first part, and how — a
 * line that differs, a file cut off mid-line, lines the file has beyond the replay's end, or
 * lines it lacks. Compares canonical lines (a compact file decoded, an old one as it is), one
 * line of each side at a time (the traceHash cannot be recomputed from a file: the hash is fed
 * compact records of the events, not their JSON lines, and leaves out what a line carries beyond
 * the event — the replica's vv and value), so the comparison is against the lines the replay wrote.
 */
import { createHash } from "node:crypto";

export type TraceDiff =
  | { kind: "same" }
  /** Line `line` (1-based) differs, first at `column` (1-based). */
  | { kind: "differs"; line: number; column: number; recorded: string; replayed: string }
  /** The file's last line, `line`, is cut off: no final newline, or not JSON. */
  | { kind: "truncated"; line: number; why: string; recorded: string; replayed: string | undefined }
  /** The file goes on for `count` lines from `line`, where the replay has ended. */
  | { kind: "extra"; line: number; count: number; recorded: string }
  /** The file ends before `line`; the replay has `count` more lines from there. */
  | { kind: "missing"; line: number; count: number; replayed: string };

/** The text of a trace file for these lines, as the canonical (version 1) format writes it. */
export const traceText = (lines: readonly string[]): string => lines.map((l) => l + "\n").join("");

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const isJson = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

/** A recorded file's last line when it is cut off, and why. */
export type Cut = { text: string; why: string };

/** The file's lines, and why its last line is cut off (undefined when it is whole). */
export function recordedLines(text: string): { lines: string[]; cut?: string } {
  if (text === "") return { lines: [] };
  const whole = text.endsWith("\n");
  const lines = (whole ? text.slice(0, -1) : text).split("\n");
  if (!whole) return { lines, cut: "no newline at its end" };
  return isJson(lines.at(-1)!) ? { lines } : { lines, cut: "not JSON" };
}

/** A recorded trace file's text against a replay's lines (in memory: the tests' form of compareLines). */
export function compareTrace(text: string, replayed: readonly string[]): TraceDiff {
  const { lines, cut } = recordedLines(text);
  const torn = cut === "no newline at its end" ? lines.pop() : undefined;
  return compareLines(lines, () => (torn === undefined ? undefined : { text: torn, why: cut! }), replayed);
}

/**
 * Walks the recorded canonical lines and the replay's side by side, one line of each in memory.
 * `cut` is asked once the recorded lines have run out: the line the file ends with mid-way, if
 * any (not among `recorded`). A whole last line that is not JSON is cut off too.
 */
export function compareLines(recorded: Iterable<string>, cut: () => Cut | undefined, replayed: Iterable<string>): TraceDiff {
  const rec = recorded[Symbol.iterator]();
  const rep = replayed[Symbol.iterator]();
  let line = 0;
  let a = rec.next();
  for (;;) {
    const b = rep.next();
    line++;
    if (a.done) {
      const c = cut();
      if (c !== undefined) return { kind: "truncated", line, why: c.why, recorded: c.text, replayed: b.done ? undefined : b.value };
      if (b.done) return { kind: "same" };
      return { kind: "missing", line, count: 1 + drain(rep), replayed: b.value };
    }
    const next = rec.next();
    if (b.done) return { kind: "extra", line, count: 1 + (next.done ? 0 : 1 + drain(rec)), recorded: a.value };
    if (a.value !== b.value) {
      if (next.done && cut() === undefined && !isJson(a.value)) return { kind: "truncated", line, why: "not JSON", recorded: a.value, replayed: b.value };
      let c = 0;
      while (c < a.value.length && a.value[c] === b.value[c]) c++;
      return { kind: "differs", line, column: c + 1, recorded: a.value, replayed: b.value };
    }
    a = next;
  }
}

function drain(it: Iterator<string>): number {
  let n = 0;
  while (!it.next().done) n++;
  return n;
}

/** A line shown in one terminal line: at most `width` characters around `column`, cut with "…". */
export function excerpt(line: string, column = 1, width = 120): string {
  if (line.length <= width) return line;
  const start = Math.max(0, Math.min(column - 1 - Math.floor(width / 3), line.length - width));
  return `${start > 0 ? "…" : ""}${line.slice(start, start + width)}${start + width < line.length ? "…" : ""}`;
}
