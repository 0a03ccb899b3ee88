/**
 * The traceHash feed. Frequent events (update, send, deliver, drop, …) are fed to sha256 as a
 * compact record of 32-bit words — the same words whether or not the JSON trace is kept, so
 * `--no-trace` runs pay no JSON cost yet prove the same hash. Rare events (meta, faults, the
 * final convergence line) are fed as their canonical JSON line. Records are batched into a
 * 64 KiB buffer because one native hash call per message would dominate the hot path.
 * Words are little-endian (every platform Node supports in practice).
 */
import { createHash, type Hash } from "node:crypto";

const WORDS = 1 << 14; // 64 KiB
const SLACK = 32; // words of room guaranteed after `tag` for one fixed-size record
const WIDE = 0xffffffff; // marks a number that does not fit one word: two float64 words follow
const utf8 = new TextEncoder();
const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);

export class TraceHash {
  private hash: Hash = createHash("sha256");
  private readonly words = new Uint32Array(WORDS);
  private readonly bytes = new Uint8Array(this.words.buffer);
  private pos = 0;
  /**
   * With keepFeed(): every byte fed to sha256 so far, in flushed chunks. A forked run (fork.ts)
   * whose first record changes (its meta line: a longer duration) re-hashes from it.
   */
  private feed: Uint8Array[] | null = null;

  private flush(): void {
    if (this.pos > 0) {
      const chunk = this.bytes.subarray(0, this.pos * 4);
      this.hash.update(chunk);
      if (this.feed) this.feed.push(chunk.slice());
    }
    this.pos = 0;
  }

  /** Keeps what is fed from now on (before the first record, for rebase()). */
  keepFeed(): void {
    this.feed = [];
  }

  /** Every byte fed so far, in one array (needs keepFeed). */
  fed(): Uint8Array {
    this.flush();
    const chunks = this.feed ?? [];
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** An independent copy at the same point of the stream: the hash state and the feed kept so far. */
  fork(): TraceHash {
    this.flush();
    const copy = new TraceHash();
    copy.hash = this.hash.copy();
    copy.feed = this.feed && [...this.feed];
    return copy;
  }

  /**
   * Replaces the first `length` bytes fed by `head` and re-hashes the rest after it: the same
   * state as a stream that began with `head` (needs keepFeed).
   */
  rebase(length: number, head: Uint8Array): void {
    const rest = this.fed().subarray(length);
    const bytes = new Uint8Array(head.length + rest.length);
    bytes.set(head);
    bytes.set(rest, head.length);
    this.hash = createHash("sha256").update(bytes);
    this.feed = [bytes];
  }

  /** Starts a record; guarantees room for ~SLACK words. */
  tag(code: number): void {
    if (this.pos > WORDS - SLACK) this.flush();
    this.words[this.pos++] = code;
  }

  /**
   * A whole record: `code` then three non-negative integers, the same words as `tag(code)` and
   * three `uint`s. The per-message records (send, deliver) come here: one call, one room check
   * and one position update instead of four (the engine's hot path is past V8's inlining budget,
   * so every small call there is a real call).
   */
  rec3(code: number, a: number, b: number, c: number): void {
    const p = this.pos;
    if (p > WORDS - SLACK || !(a >= 0 && a < WIDE && b >= 0 && b < WIDE && c >= 0 && c < WIDE)) {
      this.tag(code);
      this.uint(a);
      this.uint(b);
      this.uint(c);
      return;
    }
    const w = this.words;
    w[p] = code;
    w[p + 1] = a;
    w[p + 2] = b;
    w[p + 3] = c;
    this.pos = p + 4;
  }

  /** Like `rec3`, with two integers. */
  rec2(code: number, a: number, b: number): void {
    const p = this.pos;
    if (p > WORDS - SLACK || !(a >= 0 && a < WIDE && b >= 0 && b < WIDE)) {
      this.tag(code);
      this.uint(a);
      this.uint(b);
      return;
    }
    const w = this.words;
    w[p] = code;
    w[p + 1] = a;
    w[p + 2] = b;
    this.pos = p + 3;
  }

  /** A non-negative integer (wider ones take three words). */
  uint(n: number): void {
    if (n >= 0 && n < WIDE) this.words[this.pos++] = n;
    else this.wide(n);
  }

  private wide(x: number): void {
    this.words[this.pos++] = WIDE;
    this.num(x);
  }

  /** Any number as its float64 bits. */
  num(x: number): void {
    f64[0] = x;
    this.words[this.pos++] = f64Words[0]!;
    this.words[this.pos++] = f64Words[1]!;
  }

  /** Length-prefixed UTF-8, zero-padded to a word (call after `tag`). */
  str(s: string): void {
    const room = (WORDS - this.pos - 2) * 4;
    if (s.length * 3 > room) {
      this.flush();
      if (s.length * 3 > (WORDS - 2) * 4) {
        const b = utf8.encode(s);
        this.words[this.pos++] = b.length;
        this.flush();
        this.hash.update(b);
        return;
      }
    }
    const lenAt = this.pos++;
    const { written } = utf8.encodeInto(s, this.bytes.subarray(this.pos * 4));
    this.words[lenAt] = written;
    const used = (written + 3) >> 2;
    for (let i = this.pos * 4 + written; i < (this.pos + used) * 4; i++) this.bytes[i] = 0;
    this.pos += used;
  }

  /** A whole canonical line (rare events). */
  line(code: number, text: string): void {
    this.tag(code);
    this.str(text);
  }

  digest(): string {
    this.flush();
    return this.hash.digest("hex");
  }
}
