/**
 * What a sequencer run records, for the checkers. Clients record `invoke` when they ask and
 * `ok` / `unavailable` when they learn the outcome; the sequencer records `assign` when a number
 * becomes durable (that is its assignment order — numbers staged and lost in a crash were never
 * assigned). The history is in the order events happened (the simulator's global time order).
 */
export type SeqEvent =
  | { type: "invoke"; client: string; requestId: number; name: string }
  | { type: "ok"; client: string; requestId: number; name: string; n: number }
  | { type: "unavailable"; client: string; requestId: number; name: string }
  | { type: "assign"; client: string; requestId: number; name: string; n: number };

export type { CheckResult } from "../history-check.ts";

export const requestKey = (client: string, requestId: number): string => `${JSON.stringify(client)}#${requestId}`;
