/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI (RFC 3720),
 * ext4 and SCTP: it detects every error of up to 3 flipped bits and every burst of up to 32 bits
 * in frames of the sizes we write, and misses a random corruption with probability 2^-32.
 *
 * Slice-by-8: eight 256-entry tables let the loop fold in eight bytes per step with no
 * data-dependent branch (about 8× a byte-at-a-time loop); the tail is done a byte at a time.
 * The tables are computed once at import (pure: the same for every process).
 */
const POLY = 0x82f63b78;

// TABLES[k * 256 + b]: the CRC of byte b followed by k zero bytes.
const TABLES = new Int32Array(8 * 256);
for (let b = 0; b < 256; b++) {
  let c = b;
  for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLES[b] = c;
}
for (let k = 1; k < 8; k++)
  for (let b = 0; b < 256; b++) {
    // Table k extends table k - 1 by one zero byte.
    const prev = TABLES[(k - 1) * 256 + b] ?? 0;
    TABLES[k * 256 + b] = (prev >>> 8) ^ (TABLES[prev & 0xff] ?? 0);
  }

/** The CRC-32C of `bytes[start, end)`, as an unsigned 32-bit integer. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  // Checked once here, so that every read below is in range: a range past the bytes would
  // otherwise read undefined as 0 and give a wrong checksum instead of an error.
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= bytes.length))
    throw new RangeError(`crc32c: range [${start}, ${end}) is not within the ${bytes.length} bytes`);
  // The non-null assertions below are proven, not hoped: byte reads stay within [start, end)
  // (checked above; the 8-byte loop stops 7 short of end), and every table index is a byte
  // (masked with 0xff, or a byte read) plus an offset of at most 0x700, below TABLES.length.
  // A check per read would cost this inner loop its speed (bench: codec suites).
  const t = TABLES;
  let crc = ~0;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    crc ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    crc =
      t[0x700 + (crc & 0xff)]! ^
      t[0x600 + ((crc >>> 8) & 0xff)]! ^
      t[0x500 + ((crc >>> 16) & 0xff)]! ^
      t[0x400 + (crc >>> 24)]! ^
      t[0x300 + bytes[i + 4]!]! ^
      t[0x200 + bytes[i + 5]!]! ^
      t[0x100 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
  return ~crc >>> 0;
}
