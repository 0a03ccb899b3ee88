/**
 * Append-only binary writer: LEB128 varints, zigzag signed ints, length-prefixed UTF-8.
 * Varints keep small counters and dots to one or two bytes, which is where CRDT metadata lives.
 */
import { crc32c } from "./crc32c.ts";

const utf8 = new TextEncoder();

// Scratch buffers shared by every Writer: encoding is synchronous and `finish()` copies out,
// so per-message encodes allocate only their result. A nested Writer (an encoder calling another
// while one is open: a record's field, a store's object) takes the next level's buffer; levels
// are taken and given back last-in first-out (a Writer that is never finished, or one finished
// out of order, only leaves its level taken: later Writers go one deeper, never share it).
const scratch: Uint8Array[] = [];
let scratchDepth = 0;
/** Levels beyond this get a buffer of their own (a pathological nesting keeps no memory). */
const MAX_SCRATCH_DEPTH = 8;

export class Writer {
  private buf: Uint8Array;
  private pos = 0;
  /** The scratch level this Writer holds, or -1. */
  private readonly level: number;

  /** `ownBuffer`: never take a scratch buffer (a Writer kept and reused, see `reset`). */
  constructor(ownBuffer = false) {
    if (ownBuffer || scratchDepth >= MAX_SCRATCH_DEPTH) {
      this.level = -1;
      this.buf = new Uint8Array(64);
    } else {
      this.level = scratchDepth++;
      this.buf = scratch[this.level] ??= new Uint8Array(this.level === 0 ? 1024 : 256);
    }
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Starts over, keeping the buffer (only for a Writer made with `ownBuffer`). */
  reset(): void {
    this.pos = 0;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    if (this.level >= 0) scratch[this.level] = next;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.pos++] = b & 0xff;
    return this;
  }

  /** Unsigned integer up to 2^53 - 1, 7 bits per byte. */
  uint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uint out of range: ${n}`);
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  /** Signed safe integer, zigzag-mapped so that small magnitudes stay small. */
  int(n: number): this {
    if (!Number.isSafeInteger(n)) throw new RangeError(`int out of range: ${n}`);
    return this.uint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(x: number): this {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, x, true);
    this.pos += 8;
    return this;
  }

  string(s: string): this {
    // Fast path for ASCII (replica ids, most keys): byte length = string length, no TextEncoder.
    const n = s.length;
    if (n < 128 && isAscii(s)) {
      this.ensure(n + 1);
      this.buf[this.pos++] = n;
      for (let i = 0; i < n; i++) this.buf[this.pos++] = s.charCodeAt(i);
      return this;
    }
    const bytes = utf8.encode(s);
    this.uint(bytes.length);
    return this.raw(bytes);
  }

  /** A length-prefixed byte string (a nested encoding, say): read back with Reader.bytes. */
  bytes(bytes: Uint8Array): this {
    this.uint(bytes.length);
    return this.raw(bytes);
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** The bytes written so far, not copied: valid only until the next write (e.g. to checksum them). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Appends the CRC-32C of every byte written so far, as `u32` (a frame's checksum; no view of the bytes is made). */
  checksum(): this {
    return this.u32(crc32c(this.buf, 0, this.pos));
  }

  /** Unsigned 32-bit integer in four bytes, little-endian (a checksum: fixed width, not a varint). */
  u32(n: number): this {
    this.ensure(4);
    this.buf[this.pos++] = n & 0xff;
    this.buf[this.pos++] = (n >>> 8) & 0xff;
    this.buf[this.pos++] = (n >>> 16) & 0xff;
    this.buf[this.pos++] = (n >>> 24) & 0xff;
    return this;
  }

  /** The encoded bytes (a copy); the Writer must not be used afterwards. */
  finish(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    // Given back only by the innermost holder (see the scratch buffers above).
    if (this.level >= 0 && this.level === scratchDepth - 1) scratchDepth--;
    return out;
  }
}

/** How many bytes `Writer.uint(n)` writes (and throws where it throws): sizing without writing. */
export function uintSize(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uint out of range: ${n}`);
  let k = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    k++;
  }
  return k;
}

/** How many bytes `Writer.string(s)` writes: its length prefix and its UTF-8 bytes. */
export function stringSize(s: string): number {
  const n = s.length;
  if (n < 128 && isAscii(s)) return n + 1;
  const bytes = utf8.encode(s).length;
  return uintSize(bytes) + bytes;
}

/** Whether every code unit of `s` is ASCII (one UTF-8 byte each): the short-string fast paths above. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
