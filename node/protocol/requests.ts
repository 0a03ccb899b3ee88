/**
 * What a client asks a node and what the node answers, as JSON inside request, response and
 * event frames (frames.ts). Validated with zod on arrival: a request that does not parse is a
 * DecodeError like any malformed frame (the connection is closed), never a half-understood call.
 *
 * - update: one store op on one object (`set ["phone", "555-0101"]` on customers/A); answered
 *   once the write is durable with its acknowledgement (WriteAck): the update's dot, what the
 *   node had applied of the collection when it wrote it, and the object's delta.
 * - get / list: an object's value (null when absent), or every object of a collection.
 * - state: an object's CRDT state in its type's encoding and the collection's causal context
 *   (ObjectState): what a history checker needs to tell which writes a value came from.
 * - next: the sequencer's request (client id, request id, `done`, as core's NextRequest), so a
 *   retry of the same id is answered with the same number and forwarding keeps the client's id.
 * - watch: after `{ ok: true }`, one event frame per change of the collection, tagged with the
 *   watch request's id.
 * - txn: several updates (each as `update`'s) made one transaction: one durable write, applied
 *   on every other node together or not at all; answered `{ ok: true }` once durable.
 * - getMany: several objects' values read at once over durable state (never part of a
 *   transaction: read atomicity), in the order asked (null when absent).
 * - sql: one statement with its `$1`… parameters, on a node started with a SQL schema; answered
 *   `{ columns, rows }` for a SELECT, `{ count }` for a write once it is durable.
 */
import { z } from "zod";
import type { CausalContextJson } from "../../core/index.ts";

const name = z.string().min(1).max(1024);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A statement's length and parameter count: a multi-row INSERT fits easily, a runaway one is refused before it is parsed. */
export const MAX_SQL_CHARS = 1_000_000;
export const MAX_SQL_PARAMS = 65_535;

/** Objects a getMany may ask for at once. */
export const MAX_GET_MANY = 10_000;
/** Updates in one transaction (core's MAX_TXN_UPDATES). */
export const MAX_TXN = 4096;

/** One update of a `txn` request (and of `client txn`'s JSON). */
export type TxnUpdate = { collection: string; id: string; op: string; args: unknown[] };
/** One object of a `getMany` request (and of `client get-many`'s JSON). */
export type ObjectKey = { collection: string; id: string };
// Written out above for the API reference; the schemas are held to them.
const updateSchema: z.ZodType<TxnUpdate> = z.strictObject({ collection: name, id: name, op: name, args: z.array(z.unknown()) });
const keySchema: z.ZodType<ObjectKey> = z.strictObject({ collection: name, id: name });
export const txnUpdatesSchema = z.array(updateSchema).min(1).max(MAX_TXN);
export const objectKeysSchema = z.array(keySchema).min(1).max(MAX_GET_MANY);

export const clientRequestSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("update"), collection: name, id: name, op: name, args: z.array(z.unknown()) }),
  z.strictObject({ type: z.literal("get"), collection: name, id: name }),
  z.strictObject({ type: z.literal("state"), collection: name, id: name }),
  z.strictObject({ type: z.literal("list"), collection: name }),
  z.strictObject({ type: z.literal("next"), name: z.string().min(1).max(256), client: z.string().min(1).max(256), requestId: count, done: count }),
  z.strictObject({ type: z.literal("watch"), collection: name }),
  z.strictObject({ type: z.literal("txn"), updates: txnUpdatesSchema }),
  z.strictObject({ type: z.literal("getMany"), keys: objectKeysSchema }),
  z.strictObject({ type: z.literal("sql"), text: z.string().min(1).max(MAX_SQL_CHARS), params: z.array(z.unknown()).max(MAX_SQL_PARAMS) }),
]);
export type ClientRequest = z.infer<typeof clientRequestSchema>;

/** Why a request failed: `unavailable` (no reachable node serves it, retry later), `bad-request` (the request itself is wrong), `failed` (the write did not become durable). */
export const ERROR_KINDS = ["unavailable", "bad-request", "failed"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const clientResponseSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown().optional() }),
  z.strictObject({ ok: z.literal(false), kind: z.enum(ERROR_KINDS), error: z.string() }),
]);
export type ClientResponse = { ok: true; value?: unknown } | { ok: false; kind: ErrorKind; error: string };

/** The value of a successful sql answer: a SELECT's columns and rows, or how many rows a write wrote. */
export const sqlValueSchema = z.union([z.strictObject({ columns: z.array(z.string()), rows: z.array(z.record(z.string(), z.unknown())) }), z.strictObject({ count })]);

export const changeSchema = z.strictObject({ collection: name, id: name, value: z.unknown() });
/** One object's new value, as a watcher sees it. */
/** One changed object, as `watch` reports it (written out, not inferred, so the API reference can name it). */
export type Change = { collection: string; id: string; value: unknown };

const causalContextJson: z.ZodType<CausalContextJson> = z.strictObject({
  vv: z.record(z.string(), count),
  cloud: z.array(z.tuple([z.string(), count])),
});

/**
 * What a node answers an `update` with, once the write is durable: the write's identity and
 * causal past, so that a history records which write it was.
 * - `origin`, `seq`: the update's dot (the node's id, its seq in the collection);
 * - `known`: the collection's causal context right after the write, inside the same write —
 *   every update (dot) the node had applied when it made this one, this one included;
 * - `delta`: the object's delta, base64 of its type's framed encoding (absent for a type without
 *   a codec): a register's write identity (an MV entry's dot, an LWW write's timestamp) is in it.
 */
export type WriteAck = { origin: string; seq: number; known: CausalContextJson; delta?: string | undefined };
export const writeAckSchema: z.ZodType<WriteAck> = z.strictObject({ origin: name, seq: count, known: causalContextJson, delta: z.string().optional() });

/**
 * What a node answers a `state` request with, from durable state: the object's state, base64 of
 * its type's framed encoding (null when the collection holds no such object), and the
 * collection's causal context (every update the node has applied).
 */
export type ObjectState = { state: string | null; known: CausalContextJson };
export const objectStateSchema: z.ZodType<ObjectState> = z.strictObject({ state: z.string().nullable(), known: causalContextJson });
