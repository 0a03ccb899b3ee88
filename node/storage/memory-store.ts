/**
 * A NodeStore in memory: nothing survives the process. It stands in for the SQLite store
 * (sqlite-store.ts) in tests of the wire and wherever a node need not outlive its process; a
 * node restarted over it starts empty and catches up from its peers by anti-entropy.
 *
 * `write(fn)` runs `fn` and resolves at once: memory is as durable as it gets here. The
 * sequencer's log is core's MemoryStorage. The store replica keeps its state itself
 * (`backing` is undefined: StoreReplica's own in-memory default).
 */
import { randomUUID } from "node:crypto";
import { MemoryStorage, type SequencerStorage, type StoreBacking } from "../../core/index.ts";
import type { NodeStore, NodeStoreOptions } from "./node-store.ts";

/** A NodeStore, but the backing may be left to the replica (its in-memory default). */
export type NodeStoreLike = Omit<NodeStore, "backing"> & { readonly backing: StoreBacking | undefined };

export class MemoryNodeStore implements NodeStoreLike {
  readonly nodeId: string;
  readonly schema: { collections: Record<string, unknown> };
  readonly backing = undefined;
  readonly sequencer: SequencerStorage = new MemoryStorage();
  private closed = false;

  constructor(options: NodeStoreOptions & { schema: { collections: Record<string, unknown> } }) {
    this.nodeId = options.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
    this.schema = options.schema;
  }

  write<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the node store is closed"));
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** The memory store behind the same signature as the disk store's opener (the directory is not touched). */
export function openMemoryStore(_dir: string, options: NodeStoreOptions): Promise<NodeStoreLike> {
  return Promise.resolve(new MemoryNodeStore({ ...options, schema: options.schema ?? { collections: { customers: "record" } } }));
}
