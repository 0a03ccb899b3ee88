/**
 * The anti-entropy part: each node's periodic repair round (scenario `sync.antiEntropyMs`) — a
 * seeded phase per node, a round every period while the node is up, and what one round sends:
 * the full state to one seeded-random peer (delta and state modes), a digest (op mode, or
 * `sync.antiEntropy: "digest"`). Write-ahead: a round waits while own updates wait for their
 * sync. The final phase runs its rounds through `round` too.
 */
import { Ev, EvKind, MsgKind } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import type { DigestSync } from "./digest-sync.ts";
import type { OpMode } from "./op-mode.ts";
import type { Progress } from "./progress.ts";
import type { Rng } from "../rng.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { ReplicaWire } from "./wire.ts";
import type { WriteAhead } from "./write-ahead.ts";

/** What anti-entropy may use of the run. */
export interface AntiEntropyEnv {
  /** The period in ms (0: off). */
  readonly periodMs: number;
  readonly replicas: readonly Replica[];
  readonly time: TimeSource;
  readonly queue: EventQueue<Ev>;
  readonly progress: Progress;
  readonly storage: WriteAhead | null;
  readonly rng: Rng;
  readonly wire: ReplicaWire;
  readonly clone: (s: any) => any;
  readonly sizeOf: (s: unknown) => number;
  /** The sync mode that answers a round with a digest instead of a state (null: full states). */
  readonly ops: OpMode | null;
  readonly digestSync: DigestSync | null;
}

export class AntiEntropy {
  constructor(private readonly env: AntiEntropyEnv) {}

  /** Each node's first tick, at a seeded phase: gossip rounds do not all fire in the same millisecond. */
  schedule(): void {
    const { periodMs, replicas, queue, rng } = this.env;
    if (periodMs > 0 && replicas.length > 1) for (let i = 0; i < replicas.length; i++) queue.push(new Ev(EvKind.AntiEntropy, i), rng.int(1, periodMs));
  }

  /** A node's tick came due: a round (unless it is down or waits for a sync), and the next tick. */
  tick(ev: Ev): void {
    const env = this.env;
    if (env.progress.final) return;
    const r = env.replicas[ev.node]!;
    if (r.up) {
      // Write-ahead: while own updates wait for their sync, the state must not leave the node.
      if (env.storage !== null && env.storage.pendingOwn(r) > 0) r.aeDeferred = true;
      else this.round(r);
    }
    env.queue.push(ev, env.time.now + env.periodMs);
  }

  /** One round from `r`: its full state (state and delta modes) or its digest (op mode, digest sync). */
  round(r: Replica): void {
    const env = this.env;
    if (env.ops !== null) env.ops.sendDigest(r);
    else if (env.digestSync !== null) env.digestSync.round(r);
    else this.sendState(r);
  }

  /** Full state to one seeded-random peer. */
  private sendState(r: Replica): void {
    const env = this.env;
    let peer = env.rng.int(0, env.replicas.length - 2);
    if (peer >= r.index) peer++;
    const snap = env.clone(r.state);
    env.wire.send(r.index, peer, MsgKind.AntiEntropy, snap, 0, 0, r.knowledge.clone(), env.sizeOf(snap));
  }
}
