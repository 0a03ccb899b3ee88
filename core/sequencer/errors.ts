/**
 * The sequencer's one error type. Raised before any state changes: a rejected message leaves the
 * sequencer (and its storage) exactly as it was, so the adapter can log it and carry on.
 */
import { CrdtError } from "../errors.ts";

export class SequencerError extends CrdtError {
  override name = "SequencerError";
}
