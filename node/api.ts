/** What a node offers, embedded (openNode) or remote (connect): the same calls either way. */
import type { Change, ErrorKind } from "./protocol/index.ts";

export interface NodeApi {
  /** Applies one store op (`update("customers", "A", "set", ["phone", "555-0101"])`); resolves once durable on the node. */
  update(collection: string, id: string, op: string, args: unknown[]): Promise<void>;
  /** An object's value (MV fields as sorted arrays), or null when absent. */
  get(collection: string, id: string): Promise<unknown>;
  /** Every object of a collection, ascending by id. */
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  /** Calls `fn` on each change of the collection; returns the unsubscribe. */
  subscribe(collection: string, fn: (change: Change) => void): () => void;
  /** The next number of a named sequence, from the node serving it. Rejects with kind "unavailable" when none is reachable. */
  next(name: string): Promise<number>;
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
