/**
 * Fresh characters for a sequence type's swarm scenario: every insert types characters never
 * typed before in the run, so the sequence checks (sim/checkers/sequence-intent.ts) can follow
 * each one by identity. Readable ones first (a–z, A–Z, digits, Greek, Cyrillic), then CJK
 * ideographs — all in the Basic Multilingual Plane, one UTF-16 unit each, so indices and lengths
 * mean what they meant with letters. Replacing the text draws nothing from the swarm's stream:
 * the schedule of a seed stays as it was.
 */
import type { Step } from "../scenario/types.ts";

const RANGES: readonly [number, number][] = [
  [0x61, 0x7a],
  [0x41, 0x5a],
  [0x30, 0x39],
  [0x3b1, 0x3c9],
  [0x391, 0x3a1],
  [0x3a3, 0x3a9],
  [0x430, 0x44f],
  [0x410, 0x42f],
  [0x4e00, 0x9fff],
];

/** The k-th fresh character (k from 0); past the last range, undefined. */
export function freshChar(k: number): string | undefined {
  for (const [lo, hi] of RANGES) {
    if (k <= hi - lo) return String.fromCharCode(lo + k);
    k -= hi - lo + 1;
  }
  return undefined;
}

/** Rewrites every `insert [index, text]` step's text as fresh characters of the same length. */
export function freshenInserts(steps: Step[]): void {
  let k = 0;
  for (const s of steps) {
    if (!("op" in s) || s.op !== "insert" || !Array.isArray(s.args) || typeof s.args[1] !== "string") continue;
    let text = "";
    for (let i = 0; i < s.args[1].length; i++) text += freshChar(k++) ?? "";
    s.args = [s.args[0], text, ...s.args.slice(2)];
  }
}
