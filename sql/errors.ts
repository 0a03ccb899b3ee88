/**
 * SqlError: everything a statement can get wrong, in one line — a syntax error with its line and
 * column, an unknown table or column with the known ones, a type mismatch naming the column and
 * its CRDT, a construct outside the subset with what to use instead. A statement that throws
 * has applied nothing.
 */
export type SqlErrorKind = "syntax" | "unknown" | "type" | "refused" | "conflict" | "unavailable";

export class SqlError extends Error {
  override name = "SqlError";
  constructor(
    readonly kind: SqlErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The sequencer behind NEXTVAL could not give a number (not configured, unreachable, timed out). */
export class SequencerUnavailableError extends SqlError {
  override name = "SequencerUnavailableError";
  constructor(message: string) {
    super("unavailable", message);
  }
}
