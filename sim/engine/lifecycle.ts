/**
 * The node-lifecycle part: crash, restart, pause and resume of one node, as scripted steps, the
 * crash nemesis and the final phase ask for them. What each does to the node's process is here
 * (its volatile buffers, its incarnation, what a paused node's inbox becomes); what it does to
 * the disk, the checkers, the sync layer and the services goes through the narrow port below,
 * so this module knows neither the simulator nor the parts' classes beyond their types.
 */
import type { DropReason, FaultCause } from "../run-types.ts";
import type { Ev } from "./event.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { ServiceHooks } from "./service-hooks.ts";
import type { Trace } from "./trace.ts";
import type { WriteAhead } from "./write-ahead.ts";

/** What the lifecycle may use of the run. */
export interface LifecycleEnv {
  readonly replicas: readonly Replica[];
  readonly time: TimeSource;
  readonly trace: Pick<Trace, "nodeEvent" | "restart" | "unsyncedLost">;
  /** The disk (write-ahead log); null when the run has none. */
  readonly storage: WriteAhead | null;
  /** The replicas' network: a crash drops what sat unprocessed in a paused node's inbox. */
  readonly net: { drop(ev: Ev, reason: DropReason): void };
  /** The services of the run, told of every lifecycle event of a node (null: none declared). */
  services(): ServiceHooks | null;
  /** Every checker forgets own update `seq` of `node` (lost unsynced: it never happened). */
  retract(node: number, seq: number): void;
  /** Rebuilds a restarting replica from durable storage. */
  recover(r: Replica): void;
  /** A restarted replica catches up at once where the sync mode can. */
  catchUp(r: Replica): void;
  /** Merges a message that waited in a paused node's inbox. */
  apply(r: Replica, ev: Ev): void;
}

export class NodeLifecycle {
  constructor(private readonly env: LifecycleEnv) {}

  crash(i: number, by: FaultCause = "step"): void {
    const env = this.env;
    const r = env.replicas[i]!;
    if (r.crashed) return;
    const t = env.time.now;
    r.crashed = true;
    r.paused = false;
    r.epoch++;
    env.trace.nodeEvent(t, "crash", i, by);
    // Volatile: the causal buffer, sends waiting for a sync, and every write not yet synced.
    r.op?.clearBuffer();
    r.deferred = [];
    r.aeDeferred = false;
    if (env.storage) {
      const { records, own } = env.storage.crash(i);
      if (records > 0) {
        // Own updates lost with them were never acknowledged nor sent (write-ahead): for every
        // checker they never happened, and their seqs are issued again after the restart.
        for (const seq of own) env.retract(i, seq);
        env.trace.unsyncedLost(t, i, records, own);
      }
    }
    // Whatever sat unprocessed in a paused node's buffers is volatile.
    const lost = r.inbox as Ev[];
    r.inbox = [];
    for (const ev of lost) env.net.drop(ev, "crash");
    env.services()?.crash(i);
  }

  restart(i: number, by: FaultCause = "step"): void {
    const env = this.env;
    const r = env.replicas[i]!;
    if (!r.crashed) return;
    r.crashed = false;
    r.epoch++;
    env.recover(r);
    env.trace.restart(env.time.now, r, by);
    env.services()?.restart(i);
    // Op mode: catch up at once — ask a peer for the ops this replica lacks.
    env.catchUp(r);
  }

  pause(i: number): void {
    const r = this.env.replicas[i]!;
    if (!r.up) return;
    r.paused = true;
    this.env.trace.nodeEvent(this.env.time.now, "pause", i);
  }

  resume(i: number): void {
    const env = this.env;
    const r = env.replicas[i]!;
    if (!r.paused) return;
    r.paused = false;
    env.trace.nodeEvent(env.time.now, "resume", i);
    const inbox = r.inbox as Ev[];
    r.inbox = [];
    for (const ev of inbox) env.apply(r, ev);
    env.services()?.resume(i);
  }
}
