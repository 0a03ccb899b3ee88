/**
 * After `duration`: heal every fault, bring every node back, then alternate "drain the network"
 * and "one anti-entropy round" (every node sends its full state to one seeded-random peer)
 * until quiescence — no message in flight, every replica has applied the same updates and
 * shows the same value — or MAX_ROUNDS rounds have passed. With anti-entropy off
 * (antiEntropyMs 0) the network is only drained: nothing repairs what was lost, by design.
 */
import type { FinalPhase } from "../checkers/convergence.ts";
import type { Checkers } from "../checkers/index.ts";
import type { RunStats } from "../run-types.ts";
import { type Ev, EvKind } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import type { LinkFaults } from "./link-faults.ts";
import type { NodeLifecycle } from "./lifecycle.ts";
import type { Progress } from "./progress.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { Trace } from "./trace.ts";
import type { WriteAhead } from "./write-ahead.ts";
import { DEFAULT_ANTI_ENTROPY_MS } from "../scenario/limits.ts";

export const MAX_ROUNDS = 100;

/** What the final phase may use of the run. */
export interface FinalPhaseEnv {
  readonly duration: number;
  readonly antiEntropyMs: number;
  readonly replicas: readonly Replica[];
  readonly time: TimeSource;
  readonly queue: EventQueue<Ev>;
  /** The replicas' network: the drain runs while messages are in flight. */
  readonly net: { readonly inFlight: number };
  readonly lifecycle: NodeLifecycle;
  readonly linkFaults: LinkFaults;
  readonly storage: WriteAhead | null;
  readonly checkers: Pick<Checkers, "order">;
  readonly trace: Pick<Trace, "converged">;
  readonly stats: RunStats;
  readonly progress: Progress;
  /** Counts one agenda event and delivers replica message `ev` (throws past the event limit). */
  deliver(ev: Ev): void;
  /** One anti-entropy round from `r`. */
  antiEntropyFrom(r: Replica): void;
}

function drain(env: FinalPhaseEnv): void {
  const q = env.queue;
  while (env.net.inFlight > 0) {
    const ev = q.pop();
    if (!ev) break;
    env.time.now = ev.t;
    if (ev.kind !== EvKind.Deliver) continue; // timers are over
    env.deliver(ev);
  }
}

function quiescent(env: FinalPhaseEnv): boolean {
  const [first, ...rest] = env.replicas;
  if (!first) return true;
  return rest.every((r) => r.knowledge.likelySame(first.knowledge) && r.knowledge.sameAs(first.knowledge) && r.valueKey() === first.valueKey());
}

export function runFinalPhase(env: FinalPhaseEnv): FinalPhase {
  const { replicas, time } = env;
  env.progress.final = true;
  time.now = Math.max(time.now, env.duration);
  env.checkers.order.finalPhase(replicas, time.now);
  if (env.linkFaults.faulty) env.linkFaults.heal("final");
  for (let i = 0; i < replicas.length; i++) {
    if (replicas[i]!.paused) env.lifecycle.resume(i);
    if (replicas[i]!.crashed) env.lifecycle.restart(i);
  }
  // Final group commit: what is still staged becomes durable (and is sent); from now on every
  // write is synced at once (progress.final).
  if (env.storage) for (const r of replicas) env.storage.sync(r);
  const period = env.antiEntropyMs > 0 ? env.antiEntropyMs : 0;
  let rounds = 0;
  let lastRound = time.now;
  drain(env);
  let done = quiescent(env);
  while (!done && period > 0 && replicas.length > 1 && rounds < MAX_ROUNDS) {
    time.now = Math.max(time.now, lastRound + (period || DEFAULT_ANTI_ENTROPY_MS));
    lastRound = time.now;
    rounds++;
    for (const r of replicas) env.antiEntropyFrom(r);
    drain(env);
    done = quiescent(env);
  }
  env.queue.clear();
  const at = time.now;
  const convergedAt = done ? env.progress.lastChange : null;
  env.trace.converged(at, done, convergedAt, rounds, replicas);
  env.stats.simTimeMs = at;
  env.stats.convergedAtMs = convergedAt;
  const first = replicas[0]!;
  const sameUpdates = replicas.every((r) => r.knowledge.sameAs(first.knowledge));
  return { quiescent: done, sameUpdates, rounds, at, convergedAt };
}
