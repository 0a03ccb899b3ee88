/**
 * The sending half of one peer connection: live deltas batched into frames, and backpressure.
 *
 * Batching: deltas wait at most `batchMs` (or until `maxBatch` are waiting) and go out as one
 * frame; with `batchMs` 0 (the default) they wait only for the end of the current turn of the
 * event loop (setImmediate), so a lone write leaves at once and the writes that completed
 * together share a frame. Backpressure: when the socket's unsent bytes (`bufferedAmount`) pass `highWaterBytes`,
 * the link stops sending live deltas — it drops them rather than queueing without bound — and
 * marks itself behind; once the buffer drains below `lowWaterBytes` it asks the peer for its
 * digest (a digest frame with `reply`), and the peer's digest is answered with exactly what the
 * peer lacks. So a slow peer costs a bounded buffer and one anti-entropy round, never memory
 * that grows with the write rate.
 *
 * Transactions: a transaction's deltas are queued together (`queueAll`) and never split: a batch
 * that would pass `maxBatch` with them goes out first, a transaction larger than `maxBatch`
 * gets a frame of its own, and backpressure drops whole transactions (whole batches).
 */
import type { WebSocket } from "ws";
import { type DeltaMessage, txnKey } from "../../core/index.ts";
import type { Frame, FrameCodec } from "../protocol/index.ts";
import { DEFAULT_LINK_OPTIONS, type LinkOptions } from "./options.ts";

export { DEFAULT_LINK_OPTIONS, type LinkOptions };

export class Link {
  private pending: DeltaMessage[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  /** Live deltas were dropped for backpressure; an anti-entropy round is owed once the buffer drains. */
  behind = false;
  /** Deltas dropped for backpressure so far (statistics). */
  dropped = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly codec: FrameCodec,
    readonly peerId: string,
    readonly sequences: readonly string[],
    private readonly digestFrame: () => Frame,
    private readonly options: LinkOptions = DEFAULT_LINK_OPTIONS,
  ) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(frame: Frame): void {
    if (this.open) this.ws.send(this.codec.encode(frame));
  }

  /** Queues a live delta for the next batch (dropped, and repaired later, while the peer is behind). */
  queue(delta: DeltaMessage): void {
    this.queueGroup([delta]);
  }

  /** Queues live deltas, each transaction's together (in the order of its first delta here): a frame never holds part of one. */
  queueAll(deltas: readonly DeltaMessage[]): void {
    const groups = new Map<string, DeltaMessage[]>();
    deltas.forEach((d, i) => {
      const key = d.txn ? txnKey(d.txn) : `plain ${i}`;
      const g = groups.get(key);
      if (g) g.push(d);
      else groups.set(key, [d]);
    });
    for (const g of groups.values()) this.queueGroup(g);
  }

  private queueGroup(group: DeltaMessage[]): void {
    if (!this.open) return;
    if (this.behind) {
      this.dropped += group.length;
      return;
    }
    if (this.pending.length > 0 && this.pending.length + group.length > this.options.maxBatch) this.flush();
    this.pending.push(...group);
    if (this.pending.length >= this.options.maxBatch) this.flush();
    else this.timer ??= this.options.batchMs > 0 ? setTimeout(() => this.flush(), this.options.batchMs) : setImmediate(() => this.flush());
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    if (this.options.batchMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  flush(): void {
    this.clearTimer();
    if (this.pending.length === 0) return;
    const deltas = this.pending;
    this.pending = [];
    if (this.ws.bufferedAmount > this.options.highWaterBytes) {
      this.dropped += deltas.length;
      this.fallBehind();
      return;
    }
    this.send({ type: "deltas", deltas });
  }

  private fallBehind(): void {
    this.behind = true;
    this.drainTimer ??= setInterval(() => {
      if (!this.open) return this.stop();
      if (this.ws.bufferedAmount > this.options.lowWaterBytes) return;
      clearInterval(this.drainTimer);
      this.drainTimer = undefined;
      this.behind = false;
      this.send(this.digestFrame());
    }, 20);
  }

  stop(): void {
    this.clearTimer();
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    this.pending = [];
  }
}
