/**
 * The client side of a service, per node: one volatile client process (created on first use,
 * dropped by a crash), one timer at its earliest due time, and the node's availability tally
 * with the latency of its answered requests (virtual ms from invocation to answer, retries
 * included: what the user behind that node waited).
 * Shared by the sequencer and RAMP services, whose core clients both expose `wakeAt()`.
 */
import type { Tally } from "./host.ts";
import { latencySummary } from "./latency-summary.ts";

export class ClientTable<C extends { wakeAt(): number | undefined }> {
  private readonly clients: (C | null)[];
  private readonly wakeAt: (number | undefined)[];
  private readonly tallies: (Tally | undefined)[];
  /** Per node: request key → invocation time, until the request's outcome. */
  private readonly pending: Map<string, number>[];
  /** Per node: latencies of the answered requests. */
  private readonly latencies: number[][];

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
    this.pending = Array.from({ length: n }, () => new Map());
    this.latencies = Array.from({ length: n }, () => []);
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
    this.pending[node]!.clear();
  }

  /** Request `key` (unique per node) was invoked at `node` at time t. */
  invoked(node: number, key: string, t: number): void {
    this.pending[node]!.set(key, t);
  }

  /** Counts an outcome at `node` (only a node that asked has a tally); an answer at time t adds its latency. */
  outcome(node: number, ok: boolean, key: string, t: number): void {
    const tally = this.tallies[node];
    if (tally) {
      if (ok) tally.succeeded++;
      else tally.timedOut++;
    }
    const t0 = this.pending[node]!.get(key);
    if (t0 === undefined) return;
    this.pending[node]!.delete(key);
    if (ok) this.latencies[node]!.push(t - t0);
  }

  tally(node: number): Tally | undefined {
    const t = this.tallies[node];
    if (!t) return undefined;
    const latency = latencySummary(this.latencies[node]!);
    return { ...t, unfinished: t.attempted - t.succeeded - t.timedOut, ...(latency ? { latencyMs: latency } : {}) };
  }
}
