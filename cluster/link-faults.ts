/**
 * The network of a cluster run, as the proxies between its nodes see it: which directed links
 * are blocked (partitions, one-way cuts), and what each message that may pass meets — loss,
 * duplication and a latency drawn from the scenario's distribution. Per direction, delivery
 * stays in order (a WebSocket is one TCP stream): a message never overtakes the one before it.
 */
import { latencySampler, type LatencySampler, type Rng, STREAM, Streams, type NetworkSpec } from "../sim/index.ts";

export type LinkStats = { sent: number; delivered: number; dropped: number; duplicated: number; held: number };

type Held = { send: () => void };

export class LinkFaults {
  private blocked = new Set<string>();
  private readonly lastDue = new Map<string, number>();
  private readonly held = new Map<string, Held[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly latency: LatencySampler;
  private readonly rLatency: Rng;
  private readonly rLoss: Rng;
  private readonly rDup: Rng;
  readonly stats: LinkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, held: 0 };

  constructor(
    private readonly net: NetworkSpec,
    seed: number,
  ) {
    const streams = new Streams(seed);
    this.latency = latencySampler(net.latency);
    this.rLatency = streams.get(STREAM.latency);
    this.rLoss = streams.get(STREAM.loss);
    this.rDup = streams.get(STREAM.duplicate);
  }

  /** A partition replaces the blocked links; a cut (`replace` false) adds to them. */
  block(links: readonly (readonly [string, string])[], replace: boolean): void {
    if (replace) this.blocked = new Set();
    for (const [a, b] of links) this.blocked.add(`${a}>${b}`);
    if (replace) this.release();
  }

  /** Unblocks every link; held messages go on, each with a fresh latency. */
  heal(): void {
    this.blocked = new Set();
    this.release();
  }

  /** Messages held on links no longer blocked go on (a partition that replaced another unblocks some). */
  private release(): void {
    for (const [key, list] of this.held) {
      if (this.blocked.has(key)) continue;
      this.held.delete(key);
      for (const h of list) this.later(key, h.send);
    }
  }

  isBlocked(from: string, to: string): boolean {
    return this.blocked.has(`${from}>${to}`);
  }

  /**
   * One message from → to: `send` delivers it. `first`: the link's opening message (its hello),
   * which loss and duplication spare so that the link comes up at all; a partition holds it
   * until the heal (in either partition mode).
   */
  pass(from: string, to: string, first: boolean, send: () => void): void {
    const key = `${from}>${to}`;
    this.stats.sent++;
    if (this.blocked.has(key)) {
      // A connection's opening message waits for the heal even in "drop" mode: a real network
      // cannot lose a message of an open TCP stream, and a dropped hello would leave a link that
      // never completes its handshake, long after the heal.
      if (this.net.partitionMode === "hold" || first) {
        this.stats.held++;
        const list = this.held.get(key) ?? [];
        list.push({ send });
        this.held.set(key, list);
      } else this.stats.dropped++;
      return;
    }
    if (!first && this.rLoss.chance(this.net.loss ?? 0)) {
      this.stats.dropped++;
      return;
    }
    this.later(key, send);
    if (!first && this.rDup.chance(this.net.duplicate ?? 0)) {
      this.stats.duplicated++;
      this.later(key, send);
    }
  }

  private later(key: string, send: () => void): void {
    const now = performance.now();
    const due = Math.max(this.lastDue.get(key) ?? 0, now + this.latency(this.rLatency));
    this.lastDue.set(key, due);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.stats.delivered++;
      send();
    }, due - now);
    this.timers.add(timer);
  }

  /** Drops everything in flight (the run is over). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held.clear();
  }
}
