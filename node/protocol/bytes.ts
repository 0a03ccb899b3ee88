/**
 * The few primitives a node frame is written with: unsigned varints, length-prefixed byte
 * strings and UTF-8 strings. The payloads that carry store state (deltas, digests, sync answers)
 * are core's own framed encodings, nested here as byte strings; this layer only lays them out.
 * Every read is bounds-checked and fails with a DecodeError naming the offset.
 */
import { DecodeError } from "../../core/index.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** A frame larger than this is refused before it is read (a peer cannot make a node allocate without bound). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private head: number[] = [];
  private total = 0;

  private flushHead(): void {
    if (this.head.length === 0) return;
    this.chunks.push(Uint8Array.from(this.head));
    this.head = [];
  }

  byte(b: number): this {
    this.head.push(b & 0xff);
    this.total++;
    return this;
  }

  uint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not an unsigned safe integer: ${n}`);
    let x = n;
    while (x >= 0x80) {
      this.byte((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    return this.byte(x);
  }

  bytes(b: Uint8Array): this {
    this.uint(b.length);
    this.flushHead();
    this.chunks.push(b);
    this.total += b.length;
    return this;
  }

  string(s: string): this {
    return this.bytes(encoder.encode(s));
  }

  u32(n: number): this {
    return this.byte(n)
      .byte(n >>> 8)
      .byte(n >>> 16)
      .byte(n >>> 24);
  }

  get length(): number {
    return this.total;
  }

  finish(): Uint8Array {
    this.flushHead();
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export class ByteReader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    readonly what: string,
  ) {}

  fail(reason: string): never {
    throw new DecodeError(this.what, this.pos, reason);
  }

  get offset(): number {
    return this.pos;
  }

  byte(): number {
    const b = this.buf[this.pos];
    if (b === undefined) this.fail("unexpected end of input");
    this.pos++;
    return b;
  }

  uint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) this.fail("integer exceeds 2^53");
        // One encoding per number: a trailing zero group would let two byte strings mean the same.
        if (b === 0 && i > 0) this.fail("non-minimal varint");
        return result;
      }
      scale *= 0x80;
    }
    return this.fail("varint longer than 8 bytes");
  }

  /** A count of items each at least `minBytes` long: bounded by what is left, so a forged count cannot make the reader loop. */
  count(minBytes: number): number {
    const n = this.uint();
    if (n * minBytes > this.buf.length - this.pos) this.fail(`count ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    return n;
  }

  bytes(): Uint8Array {
    const n = this.uint();
    if (n > this.buf.length - this.pos) this.fail(`length ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const b = this.bytes();
    try {
      return utf8.decode(b);
    } catch {
      return this.fail("invalid UTF-8");
    }
  }

  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.buf.length - this.pos} trailing bytes`);
  }
}
