/**
 * Durable storage of each node's replica: what survives a crash. The model today is "every
 * applied update and merge is synced before it is acknowledged", so the durable copy is always
 * the latest state and recovery loses nothing. A later storage model (sync lag, torn writes)
 * replaces this one class: the engine only calls `persist` after each change and `recover` at
 * restart, and never keeps state across a crash any other way.
 */
import type { Knowledge } from "./knowledge.ts";

export type Durable<S> = { state: S; knowledge: Knowledge };

export class SyncedStorage<S> {
  private readonly disk: Durable<S>[] = [];

  /** Called after every change to node `i`'s replica (update, merge). */
  persist(i: number, state: S, knowledge: Knowledge): void {
    // Synced on every write: the disk holds the live objects themselves, no copy needed
    // because nothing mutates them once the node is down.
    const d = this.disk[i];
    if (d === undefined) this.disk[i] = { state, knowledge };
    else if (d.state !== state || d.knowledge !== knowledge) {
      d.state = state;
      d.knowledge = knowledge;
    }
  }

  /** The state a restarting node comes back with. */
  recover(i: number): Durable<S> | undefined {
    return this.disk[i];
  }
}
