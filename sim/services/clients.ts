/**
 * The client side of a service, per node: one volatile client process (created on first use,
 * dropped by a crash), one timer at its earliest due time, and the node's availability tally.
 * Shared by the sequencer and RAMP services, whose core clients both expose `wakeAt()`.
 */
import type { Tally } from "./host.ts";

export class ClientTable<C extends { wakeAt(): number | undefined }> {
  private readonly clients: (C | null)[];
  private readonly wakeAt: (number | undefined)[];
  private readonly tallies: (Tally | undefined)[];

  constructor(
    n: number,
    /** Makes the client of `node` (its current incarnation). */
    private readonly make: (node: number) => C,
    /** Schedules the client timer of `node` at `at`. */
    private readonly schedule: (node: number, at: number) => void,
  ) {
    this.clients = new Array(n).fill(null);
    this.wakeAt = new Array(n).fill(undefined);
    this.tallies = new Array(n).fill(undefined);
  }

  /** The client of `node`, or null when it has none (never asked, or lost in a crash). */
  at(node: number): C | null {
    return this.clients[node] ?? null;
  }

  /** The client of `node`, made if needed; counts one more request attempted there. */
  attempt(node: number): C {
    let c = this.clients[node];
    if (c === null || c === undefined) this.clients[node] = c = this.make(node);
    const t = (this.tallies[node] ??= { attempted: 0, succeeded: 0, timedOut: 0, unfinished: 0 });
    t.attempted++;
    return c;
  }

  /** The client timer scheduled for `due` fired: returns the client to tick, or null. */
  fired(node: number, due: number): C | null {
    if (this.wakeAt[node] === due) this.wakeAt[node] = undefined;
    return this.at(node);
  }

  /** Keeps one timer per client at its earliest due time (a later stale one is harmless: tick is idempotent). */
  arm(node: number): void {
    const w = this.clients[node]?.wakeAt();
    if (w === undefined) return;
    const cur = this.wakeAt[node];
    if (cur !== undefined && cur <= w) return;
    this.wakeAt[node] = w;
    this.schedule(node, w);
  }

  /** A crash of `node`: its client process and whatever it waited for are gone. */
  drop(node: number): void {
    this.clients[node] = null;
    this.wakeAt[node] = undefined;
  }

  /** Counts an outcome at `node` (only a node that asked has a tally). */
  outcome(node: number, ok: boolean): void {
    const t = this.tallies[node];
    if (t) ok ? t.succeeded++ : t.timedOut++;
  }

  tally(node: number): Tally | undefined {
    const t = this.tallies[node];
    return t && { ...t, unfinished: t.attempted - t.succeeded - t.timedOut };
  }
}
