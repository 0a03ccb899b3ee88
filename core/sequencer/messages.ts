/**
 * Wire messages of the sequencer (invoice numbers and other globally-sequenced counters).
 * Plain JSON objects, so the simulator can put them on its network and the trace can print them.
 *
 * A request carries the client's reply address, a request id that is unique for that client for
 * its whole life (retries resend the same id, which is what makes them idempotent) and `done`:
 * every request of this client with an id below `done` is finished (answered or given up), so
 * the sequencer may forget them — this bounds the deduplication table.
 */
import { SequencerError } from "./errors.ts";

export type NextRequest = {
  type: "seq.next";
  client: string;
  requestId: number;
  name: string;
  done: number;
};

/** The answer: `n` is the number assigned to (client, requestId) for `name`, durable already. */
export type Assigned = {
  type: "seq.assigned";
  client: string;
  requestId: number;
  name: string;
  n: number;
};

export type SequencerMessage = NextRequest | Assigned;

/** A message to send: the adapter routes it to node `to`. */
export type Outgoing = { to: string; msg: SequencerMessage };

export const MAX_NAME_LENGTH = 256;

function fail(what: string, reason: string): never {
  throw new SequencerError(`malformed ${what}: ${reason}`);
}

function plainObject(x: unknown, what: string): Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) fail(what, "not an object");
  return x as Record<string, unknown>;
}

function id(o: Record<string, unknown>, field: string, what: string): string {
  const v = o[field];
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_NAME_LENGTH)
    fail(what, `${field} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters, got ${JSON.stringify(v)}`);
  return v;
}

function count(o: Record<string, unknown>, field: string, what: string, min: number): number {
  const v = o[field];
  if (!Number.isSafeInteger(v) || (v as number) < min) fail(what, `${field} must be a safe integer >= ${min}, got ${JSON.stringify(v)}`);
  return v as number;
}

function exactFields(o: Record<string, unknown>, fields: string[], what: string): void {
  for (const k of Object.keys(o)) if (!fields.includes(k)) fail(what, `unknown field "${k}"`);
}

/** Validates an incoming request; throws SequencerError naming the bad field. */
export function parseNextRequest(x: unknown): NextRequest {
  const what = "seq.next request";
  const o = plainObject(x, what);
  if (o.type !== "seq.next") fail(what, `type must be "seq.next", got ${JSON.stringify(o.type)}`);
  exactFields(o, ["type", "client", "requestId", "name", "done"], what);
  const client = id(o, "client", what);
  const requestId = count(o, "requestId", what, 0);
  const name = id(o, "name", what);
  const done = count(o, "done", what, 0);
  // The request itself is outstanding, so the client cannot have finished with it.
  if (done > requestId) fail(what, `done (${done}) must not exceed requestId (${requestId})`);
  return { type: "seq.next", client, requestId, name, done };
}

/** Validates an incoming reply; throws SequencerError naming the bad field. */
export function parseAssigned(x: unknown): Assigned {
  const what = "seq.assigned reply";
  const o = plainObject(x, what);
  if (o.type !== "seq.assigned") fail(what, `type must be "seq.assigned", got ${JSON.stringify(o.type)}`);
  exactFields(o, ["type", "client", "requestId", "name", "n"], what);
  return {
    type: "seq.assigned",
    client: id(o, "client", what),
    requestId: count(o, "requestId", what, 0),
    name: id(o, "name", what),
    n: count(o, "n", what, 1),
  };
}
