/**
 * The simulated disk: one core MemoryStorage (snapshot + log, core/storage.ts) per node. It is
 * the single place where state survives a crash; the engine never keeps state across a crash
 * any other way.
 *
 * Every change to a replica is logged as the record that produced it (an update's delta, a
 * merged message, a delivered op) together with what the harness knows it applied; every
 * SNAPSHOT_EVERY records a snapshot (a clone of the state and knowledge) is staged, which
 * compacts the log. Recovery clones the durable snapshot and re-applies the durable log.
 *
 * Durability: with `storage.syncLagMs` 0 every write is synced at once (nothing is ever lost).
 * With a lag, writes are staged and a group commit (EvKind.Sync) `syncLagMs` after the first
 * staged write makes them durable; a crash before it loses them. The engine only sends a
 * node's own updates once they are durable (write-ahead), so a crash can lose only writes no
 * one else has seen — see docs/faults.md ("Crash and restart").
 *
 * The disk exists only when a crash can happen (crash steps or the crash nemesis): otherwise
 * the engine skips all of this.
 */
import { MemoryStorage } from "../../core/storage.ts";
import type { OpRec } from "./causal.ts";
import type { Knowledge } from "./knowledge.ts";

/** What the log holds: a merged payload (delta: dot o,s; full state: its knowledge k) or an op. */
export const RecKind = { Delta: 0, State: 1, Op: 2 } as const;
export type Rec = { kind: 0; payload: unknown; o: number; s: number } | { kind: 1; payload: unknown; k: Knowledge } | { kind: 2; op: OpRec };
export type Snap = { state: unknown; knowledge: Knowledge };

export const SNAPSHOT_EVERY = 256;

export class NodeDisk {
  readonly store: MemoryStorage<Snap, Rec>;
  /** Records logged since the last staged snapshot. */
  sinceSnapshot = 0;
  /** This node's own updates (seqs) staged and not yet durable: acknowledged at the sync. */
  pendingOwn: number[] = [];
  /** A Sync event is scheduled. */
  syncScheduled = false;

  constructor(initial: Snap) {
    this.store = new MemoryStorage<Snap, Rec>(initial);
  }
}

export class SimDisk {
  readonly nodes: NodeDisk[] = [];

  constructor(
    readonly syncLagMs: number,
    private readonly clone: (s: any) => any,
  ) {}

  init(i: number, state: unknown, knowledge: Knowledge): void {
    this.nodes[i] = new NodeDisk({ state: this.clone(state), knowledge: knowledge.clone() });
  }

  /**
   * Logs one record for node i whose replica now has `state` and `knowledge`. Returns true when
   * the write is staged and needs a sync (lag > 0); with no lag it is durable on return.
   */
  write(i: number, rec: Rec, state: unknown, knowledge: Knowledge, lagged: boolean): boolean {
    const d = this.nodes[i]!;
    d.store.append(rec);
    if (++d.sinceSnapshot >= SNAPSHOT_EVERY) {
      d.store.snapshot({ state: this.clone(state), knowledge: knowledge.clone() });
      d.sinceSnapshot = 0;
    }
    if (!lagged) {
      d.store.sync();
      return false;
    }
    return true;
  }

  /** Power loss at node i: staged writes vanish. Returns the own updates (seqs) lost with them. */
  crash(i: number): { records: number; own: number[] } {
    const d = this.nodes[i]!;
    const records = d.store.crash();
    const own = d.pendingOwn;
    d.pendingOwn = [];
    d.syncScheduled = false;
    d.sinceSnapshot = d.store.logLength;
    return { records, own };
  }
}
