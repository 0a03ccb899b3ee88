/**
 * RAMP's one error type: malformed messages, keys on the wrong or an unknown shard, a
 * timestamp reused for another value. Raised before any state changes.
 */
import { CrdtError } from "../errors.ts";

export class RampError extends CrdtError {
  override name = "RampError";
}
