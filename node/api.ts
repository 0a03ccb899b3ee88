/** What a node offers, embedded (openNode) or remote (connect): the same calls either way. */
import type { Change, ErrorKind } from "./protocol/index.ts";
import { type ObjectKey, type ObjectState, sqlValueSchema, type TxnUpdate, type WriteAck } from "./protocol/requests.ts";

export type { ObjectKey, TxnUpdate };

/** A SQL statement's answer: a SELECT's rows (each an object, MV and SET columns as arrays), or the number of rows a write wrote. */
export type SqlAnswer = { kind: "rows"; columns: string[]; rows: Record<string, unknown>[] } | { kind: "write"; count: number };

export interface NodeApi {
  /** Applies one store op (`update("customers", "A", "set", ["phone", "555-0101"])`); resolves once durable on the node. */
  update(collection: string, id: string, op: string, args: unknown[]): Promise<void>;
  /** `update`, resolving with the node's acknowledgement: the write's dot, what the node had applied when it made it, and the object's delta (WriteAck). */
  write(collection: string, id: string, op: string, args: unknown[]): Promise<WriteAck>;
  /**
   * Applies several store ops as one transaction: one durable write on this node, resolved once
   * durable; every other node applies all of them together or none (a peer that received part
   * holds it back). Rejects with "bad-request" (nothing applied) if any op is wrong.
   */
  txn(updates: readonly TxnUpdate[]): Promise<void>;
  /** Several objects' values (null where absent), in the order asked, read at once: never part of a transaction (read atomicity). */
  getMany(keys: readonly ObjectKey[]): Promise<unknown[]>;
  /** An object's value (MV fields as sorted arrays), or null when absent. */
  get(collection: string, id: string): Promise<unknown>;
  /** An object's CRDT state (its type's encoding, base64; null when absent) and the collection's causal context, durable (ObjectState): for history checkers. */
  state(collection: string, id: string): Promise<ObjectState>;
  /** Every object of a collection, ascending by id. */
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  /** Calls `fn` on each change of the collection; returns the unsubscribe. */
  subscribe(collection: string, fn: (change: Change) => void): () => void;
  /** The next number of a named sequence, from the node serving it. Rejects with kind "unavailable" when none is reachable. */
  next(name: string): Promise<number>;
  /**
   * Runs one SQL statement (docs/sql.md) on a node started with a SQL schema; `$1`, `$2`, … are
   * `params[0]`, `params[1]`, …. A write resolves once durable on the node. Rejects with kind
   * "bad-request" (one line: a syntax error's line and column, an unknown column, …; nothing
   * applied), "unavailable" (NEXTVAL with no reachable sequencer) or "failed".
   */
  sql(text: string, params?: readonly unknown[]): Promise<SqlAnswer>;
  close(): Promise<void>;
}

/** A request the node answered with an error: `kind` says whether to retry ("unavailable"), fix the request ("bad-request") or look at the node ("failed"). */
export class RequestError extends Error {
  override name = "RequestError";
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The answer of a `sql` request from its wire value (`{ columns, rows }` or `{ count }`); `from` names the node for the error. */
export function sqlAnswer(value: unknown, from: string): SqlAnswer {
  const v = sqlValueSchema.safeParse(value);
  if (!v.success) throw new RequestError("failed", `${from} answered a sql request with neither rows nor a count: ${JSON.stringify(value)?.slice(0, 200)}`);
  return "count" in v.data ? { kind: "write", count: v.data.count } : { kind: "rows", ...v.data };
}
