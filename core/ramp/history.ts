/**
 * What RAMP clients record, for the read-atomic checker. `write-invoke` carries what the
 * transaction writes (its timestamp identifies it); `read-ok` carries, per key read, the version
 * returned (timestamp, value and the sibling keys from its metadata).
 */
import type { Json } from "../util/json.ts";
import type { Ts } from "./timestamp.ts";

export type ReadVersion = { ts: Ts; value: Json; keys: string[] };

export type RampEvent =
  | { type: "write-invoke"; client: string; ts: Ts; writes: Record<string, Json> }
  | { type: "write-ok"; client: string; ts: Ts }
  /** Prepare did not finish before the deadline: the transaction was abandoned, never visible. */
  | { type: "write-unavailable"; client: string; ts: Ts }
  | { type: "read-invoke"; client: string; read: number; keys: string[] }
  | { type: "read-ok"; client: string; read: number; versions: Record<string, ReadVersion> }
  | { type: "read-unavailable"; client: string; read: number };

export type { CheckResult } from "../history-check.ts";
