/**
 * The replicas' version vectors and values as the timeline keeps them: each distinct text once,
 * as a splice against the text its replica showed before (sim/trace-format/splice.ts), with the
 * whole text every KEYFRAME_DEPTH links so a reader rebuilds any one of them in a few steps.
 * A long run's texts are mostly near-copies of each other (a dotted version vector of several
 * KB that changes one number), so keeping them whole made 100,000 events hold ~650 M characters;
 * as splices the model grows with what changed. Decoding is query.js's textOf, shared with the page.
 */
import { splice } from "../../sim/trace-format/splice.ts";

/**
 * Entry i: a keyframe when p[i] < 0 (its text is mid[i]); else the text of entry prev[i] with
 * its first p[i] and last s[i] characters kept and mid[i] between them.
 */
export type TextTable = { prev: number[]; p: number[]; s: number[]; mid: string[] };

/** Links between two whole texts: at most this many splices applied to read one. */
export const KEYFRAME_DEPTH = 1024;

/** Texts longer than this are told apart by two hashes and their length rather than kept as map keys. */
const KEY_CHARS = 200;

/** Two 32-bit FNV-1a variants: a collision of both and the length is not a practical concern for a view. */
function key(text: string): string {
  if (text.length <= KEY_CHARS) return "=" + text;
  let a = 0x811c9dc5,
    b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return `#${text.length}:${a >>> 0}:${b >>> 0}`;
}

export class TextTableBuilder {
  readonly table: TextTable = { prev: [], p: [], s: [], mid: [] };
  private readonly ids = new Map<string, number>();
  private readonly depth: number[] = [];
  /** Per replica: the id and text it showed last, what its next new text is spliced against. */
  private readonly lastId: number[] = [];
  private readonly lastText: string[] = [];

  /** The id of `text`, the same for equal texts (ids compare as the texts do), shown by replica `lane`. */
  id(text: string, lane: number): number {
    const k = key(text);
    let i = this.ids.get(k);
    if (i === undefined) {
      const t = this.table;
      i = t.prev.length;
      this.ids.set(k, i);
      const prevId = this.lastId[lane] ?? -1;
      if (prevId < 0 || this.depth[prevId]! + 1 >= KEYFRAME_DEPTH) {
        t.prev.push(-1);
        t.p.push(-1);
        t.s.push(0);
        t.mid.push(text);
        this.depth.push(0);
      } else {
        const [p, s, mid] = splice(this.lastText[lane]!, text);
        t.prev.push(prevId);
        t.p.push(p);
        t.s.push(s);
        t.mid.push(mid);
        this.depth.push(this.depth[prevId]! + 1);
      }
    }
    this.lastId[lane] = i;
    this.lastText[lane] = text;
    return i;
  }
}
