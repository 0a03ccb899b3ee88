/**
 * Transaction timestamps: (t, c) with t a per-client Lamport counter (bumped past every
 * timestamp the client has read and past its own clock reading) and c the client id. Unique per
 * transaction as long as client ids are unique and a client never reuses a t — a restarted
 * client must use a fresh id (e.g. with its incarnation) or start above its old counter.
 * Totally ordered: "later write" in RAMP means a larger timestamp.
 */
import { compareStrings } from "../util/json.ts";

export type Ts = { t: number; c: string };

/** The timestamp of the initial (never written) version of every key. */
export const BOTTOM: Ts = { t: 0, c: "" };

export function compareTs(a: Ts, b: Ts): number {
  return a.t !== b.t ? (a.t < b.t ? -1 : 1) : compareStrings(a.c, b.c);
}

export const tsKey = (ts: Ts): string => `${ts.t}/${ts.c}`;

export const maxTs = (a: Ts, b: Ts): Ts => (compareTs(a, b) >= 0 ? a : b);
