/**
 * Typed errors of the core. Every one leaves the state it was raised about untouched:
 * mutators validate before they write, decoders build a fresh state and only return it whole.
 */

export class CrdtError extends Error {
  override name = "CrdtError";
}

/** An operation the type does not know, or one with wrong arguments. Names the op. */
export class OpError extends CrdtError {
  override name = "OpError";
  constructor(
    readonly crdt: string,
    readonly op: string,
    readonly reason: string,
  ) {
    super(`${crdt}: op "${op}": ${reason}`);
  }
}

/** Malformed encoded bytes. Names what was being read and where. */
export class DecodeError extends CrdtError {
  override name = "DecodeError";
  constructor(
    readonly what: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`cannot decode ${what} at byte ${offset}: ${reason}`);
  }
}

/** A builtin type was configured with an option it does not take, or a bad value. */
export class CrdtOptionError extends CrdtError {
  override name = "CrdtOptionError";
  constructor(
    readonly crdt: string,
    readonly option: string,
    readonly reason: string,
  ) {
    super(`${crdt}: option "${option}": ${reason}`);
  }
}
