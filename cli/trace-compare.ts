/**
 * The recorded trace.jsonl against a replay's trace lines: where they first part, and how — a
 * line that differs, a file cut off mid-line, lines the file has beyond the replay's end, or
 * lines it lacks. Works on the file's text as stored (the traceHash cannot be recomputed from
 * it: the hash is fed compact records of the events, not their JSON lines, and leaves out what
 * a line carries beyond the event — the replica's vv and value), so the comparison is against
 * the lines the replay wrote.
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

/** The text of a trace file for these lines, as the run directory writes it. */
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

/** The file's lines, and why its last line is cut off (undefined when it is whole). */
export function recordedLines(text: string): { lines: string[]; cut?: string } {
  if (text === "") return { lines: [] };
  const whole = text.endsWith("\n");
  const lines = (whole ? text.slice(0, -1) : text).split("\n");
  if (!whole) return { lines, cut: "no newline at its end" };
  return isJson(lines.at(-1)!) ? { lines } : { lines, cut: "not JSON" };
}

export function compareTrace(text: string, replayed: readonly string[]): TraceDiff {
  const { lines, cut } = recordedLines(text);
  const common = Math.min(lines.length, replayed.length);
  for (let i = 0; i < common; i++) {
    const a = lines[i]!;
    const b = replayed[i]!;
    if (a === b) continue;
    if (cut !== undefined && i === lines.length - 1) return { kind: "truncated", line: i + 1, why: cut, recorded: a, replayed: b };
    let c = 0;
    while (c < a.length && a[c] === b[c]) c++;
    return { kind: "differs", line: i + 1, column: c + 1, recorded: a, replayed: b };
  }
  if (lines.length > replayed.length) return { kind: "extra", line: common + 1, count: lines.length - common, recorded: lines[common]! };
  if (lines.length < replayed.length) return { kind: "missing", line: common + 1, count: replayed.length - common, replayed: replayed[common]! };
  // Every line equal, and yet not the same bytes: only the final newline can be missing.
  if (cut !== undefined) return { kind: "truncated", line: lines.length, why: cut, recorded: lines.at(-1)!, replayed: replayed.at(-1) };
  return { kind: "same" };
}

/** A line shown in one terminal line: at most `width` characters around `column`, cut with "…". */
export function excerpt(line: string, column = 1, width = 120): string {
  if (line.length <= width) return line;
  const start = Math.max(0, Math.min(column - 1 - Math.floor(width / 3), line.length - width));
  return `${start > 0 ? "…" : ""}${line.slice(start, start + width)}${start + width < line.length ? "…" : ""}`;
}
