/**
 * The storage part of the engine: each replica's write-ahead log on the simulated disk
 * (storage.ts), its group commit, the acknowledgement of own updates, and recovery after a
 * crash (TigerBeetle's storage.zig, beside the network and the clocks). It exists only when a
 * run has a disk (crashes, or a sync lag); the engine then logs every change here.
 *
 * Narrow on purpose: it schedules its group commits on the agenda, traces the acknowledgements
 * they make, and tells the engine through the hooks it is given that an own update became
 * durable (for the checkers) and that a node's sync completed (what waited for it may now leave
 * the node).
 */
import type { Ev } from "./event.ts";
import { Ev as NewEv, EvKind } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import type { Replica } from "./replica.ts";
import { RecKind, type Rec, type SimDisk } from "./storage.ts";

export type WriteAheadHooks = {
  /** Own update `seq` of `r` is durable (acknowledged) at `now`. */
  acked(r: Replica, seq: number, now: number): void;
  /** `r`'s group commit completed: own updates that waited for it may be sent (write-ahead). */
  synced(r: Replica): void;
  /** Re-applies one logged record to a recovering state (a merge, or an op's effect). */
  replay(state: unknown, rec: Rec): unknown;
  /** Past `duration`: writes are synced at once (nothing waits for a group commit any more). */
  final(): boolean;
};

export class WriteAhead {
  constructor(
    readonly disk: SimDisk,
    /** storage.syncLagMs: a write is durable (acknowledged, sendable) only at the next group commit. */
    readonly syncLag: number,
    private readonly queue: EventQueue<Ev>,
    private readonly time: { readonly now: number },
    /** A group commit traces each own update it made durable (`ack`). */
    private readonly trace: { ack(t: number, node: number, seq: number): void },
    private readonly clone: (s: any) => any,
    private readonly hooks: WriteAheadHooks,
  ) {}

  /** Logs an own update. Returns true when it is staged (sync lag): it is then acknowledged and sent at the sync. */
  logOwn(r: Replica, rec: Rec, seq: number): boolean {
    if (this.disk.write(r.index, rec, r.state, r.knowledge, this.syncLag > 0 && !this.hooks.final())) {
      this.disk.nodes[r.index]!.pendingOwn.push(seq);
      this.scheduleSync(r);
      return true;
    }
    r.durableSeq = seq;
    this.hooks.acked(r, seq, this.time.now);
    return false;
  }

  /** Logs anything else that changed `r`: a merged message, a delivered op. */
  logOther(r: Replica, rec: Rec): void {
    if (this.disk.write(r.index, rec, r.state, r.knowledge, this.syncLag > 0 && !this.hooks.final())) this.scheduleSync(r);
  }

  /** Own updates of `r` staged and not yet durable (anti-entropy waits for them: write-ahead). */
  pendingOwn(r: Replica): number {
    return this.disk.nodes[r.index]!.pendingOwn.length;
  }

  private scheduleSync(r: Replica): void {
    const d = this.disk.nodes[r.index]!;
    if (d.syncScheduled) return;
    d.syncScheduled = true;
    const ev = new NewEv(EvKind.Sync, r.index);
    ev.epoch = r.epoch;
    this.queue.push(ev, this.time.now + this.syncLag);
  }

  /** A group commit came due on the agenda (EvKind.Sync) for `r`. */
  onSyncEvent(ev: Ev, r: Replica): void {
    if (r.crashed || ev.epoch !== r.epoch) return; // a sync scheduled before a crash never completes
    if (r.paused && !this.hooks.final()) {
      this.queue.push(ev, this.time.now + Math.max(1, this.syncLag)); // a paused process does no I/O: retry
      return;
    }
    this.sync(r);
  }

  /**
   * Group commit at node r: staged writes become durable; its own updates among them are
   * acknowledged, and what waited for them may now leave the node (the `synced` hook).
   */
  sync(r: Replica): void {
    if (r.crashed) return;
    const d = this.disk.nodes[r.index]!;
    d.syncScheduled = false;
    d.store.sync();
    const now = this.time.now;
    for (const seq of d.pendingOwn) {
      r.durableSeq = seq;
      this.hooks.acked(r, seq, now);
      this.trace.ack(now, r.index, seq);
    }
    d.pendingOwn = [];
    this.hooks.synced(r);
  }

  /** Power loss at node i: staged writes vanish. Returns the own updates (seqs) lost with them. */
  crash(i: number): { records: number; own: number[] } {
    return this.disk.crash(i);
  }

  /** Rebuilds a restarting replica from its durable snapshot and log. */
  recover(r: Replica): void {
    const { snapshot, log } = this.disk.nodes[r.index]!.store.load();
    let state = this.clone(snapshot!.state);
    const k = snapshot!.knowledge.clone();
    for (const rec of log) {
      state = this.hooks.replay(state, rec);
      if (rec.kind === RecKind.Op) k.add(rec.op.o, rec.op.s);
      else if (rec.kind === RecKind.Delta) k.add(rec.o, rec.s);
      else k.mergeFrom(rec.k);
    }
    r.state = state;
    r.knowledge = k;
    // Own updates are applied in order, so the durable ones are a prefix: the next seq follows it.
    r.seq = r.durableSeq = k.contig[r.index]!;
    r.op?.prune(k);
    r.touch();
  }
}
