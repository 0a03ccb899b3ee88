import { DecodeError } from "../errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Bounds-checked reader matching {@link Writer}. Every failure is a DecodeError naming what was
 * being read (`what` is the type being decoded) and the byte offset.
 */
export class Reader {
  private pos = 0;
  constructor(
    private readonly input: Uint8Array,
    readonly what: string,
  ) {
    if (!(input instanceof Uint8Array)) throw new DecodeError(what, 0, "input is not a Uint8Array");
  }

  fail(reason: string): never {
    throw new DecodeError(this.what, this.pos, reason);
  }

  get offset(): number {
    return this.pos;
  }

  byte(): number {
    const b = this.input[this.pos];
    if (b === undefined) this.fail("unexpected end of input"); // names the offset of the missing byte
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
        // One encoding per number (what Writer.uint gives): a trailing zero group would let two
        // byte strings decode to the same value, so a checksum or hash over them would differ.
        if (b === 0 && i > 0) this.fail("non-minimal varint");
        return result;
      }
      scale *= 0x80;
    }
    return this.fail("varint longer than 8 bytes");
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.input.length) this.fail("unexpected end of input in float");
    const x = new DataView(this.input.buffer, this.input.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return x;
  }

  string(): string {
    const len = this.uint();
    if (this.pos + len > this.input.length) this.fail(`string of ${len} bytes runs past the end`);
    const start = this.pos;
    this.pos += len;
    try {
      return utf8.decode(this.input.subarray(start, start + len));
    } catch {
      this.pos = start;
      return this.fail("invalid UTF-8 in string");
    }
  }

  /** A length-prefixed byte string (Writer.bytes), as a view into the input: no copy. */
  bytes(): Uint8Array {
    const len = this.uint();
    if (len > this.input.length - this.pos) this.fail(`byte string of ${len} bytes runs past the end`);
    const out = this.input.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A length prefix for a collection; rejects counts that cannot fit in the remaining bytes. */
  count(minBytesPerItem = 1): number {
    const n = this.uint();
    if (n * minBytesPerItem > this.input.length - this.pos) this.fail(`count ${n} exceeds the remaining input`);
    return n;
  }

  /** Bytes left to read (an optional trailing part is present when this is above 0). */
  get remaining(): number {
    return this.input.length - this.pos;
  }

  /** Asserts the whole input was consumed: trailing garbage is malformed input too. */
  end(): void {
    if (this.pos !== this.input.length) this.fail(`${this.input.length - this.pos} trailing bytes`);
  }
}
