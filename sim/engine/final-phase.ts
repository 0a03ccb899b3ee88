/**
 * After `duration`: heal every fault, bring every node back, then alternate "drain the network"
 * and "one anti-entropy round" (every node sends its full state to one seeded-random peer)
 * until quiescence — no message in flight, every replica has applied the same updates and
 * shows the same value — or MAX_ROUNDS rounds have passed. With anti-entropy off
 * (antiEntropyMs 0) the network is only drained: nothing repairs what was lost, by design.
 */
import type { FinalPhase } from "../checkers/convergence.ts";
import { EvKind } from "./event.ts";
import { heal, restart, resume } from "./faults.ts";
import type { FaultEnv } from "./fault-env.ts";
import { DEFAULT_ANTI_ENTROPY_MS } from "../scenario/limits.ts";

export const MAX_ROUNDS = 100;

function drain(sim: FaultEnv): void {
  const q = sim.queue;
  while (sim.net.inFlight > 0) {
    const ev = q.pop();
    if (!ev) break;
    sim.time.now = ev.t;
    if (ev.kind !== EvKind.Deliver) continue; // timers are over
    if (++sim.stats.events > sim.maxEvents) throw sim.overEventLimit();
    sim.deliver(ev);
  }
}

function quiescent(sim: FaultEnv): boolean {
  const [first, ...rest] = sim.replicas;
  if (!first) return true;
  return rest.every((r) => r.knowledge.likelySame(first.knowledge) && r.knowledge.sameAs(first.knowledge) && r.valueKey() === first.valueKey());
}

export function runFinalPhase(sim: FaultEnv): FinalPhase {
  const duration = sim.scenario.duration;
  sim.final = true;
  sim.time.now = Math.max(sim.now, duration);
  sim.checkers.order.finalPhase(sim.replicas, sim.now);
  if (sim.links.any || sim.net.holding > 0) heal(sim, "final");
  for (let i = 0; i < sim.n; i++) {
    if (sim.replicas[i]!.paused) resume(sim, i);
    if (sim.replicas[i]!.crashed) restart(sim, i);
  }
  // Final group commit: what is still staged becomes durable (and is sent); from now on every
  // write is synced at once (sim.final).
  if (sim.storage) for (const r of sim.replicas) sim.storage.sync(r);
  const period = sim.antiEntropyMs > 0 ? sim.antiEntropyMs : 0;
  let rounds = 0;
  let lastRound = sim.now;
  drain(sim);
  let done = quiescent(sim);
  while (!done && period > 0 && sim.n > 1 && rounds < MAX_ROUNDS) {
    sim.time.now = Math.max(sim.now, lastRound + (period || DEFAULT_ANTI_ENTROPY_MS));
    lastRound = sim.now;
    rounds++;
    for (const r of sim.replicas) sim.antiEntropyFrom(r);
    drain(sim);
    done = quiescent(sim);
  }
  sim.queue.clear();
  const at = sim.now;
  const convergedAt = done ? sim.lastChange : null;
  sim.trace.converged(at, done, convergedAt, rounds, sim.replicas);
  sim.stats.simTimeMs = at;
  sim.stats.convergedAtMs = convergedAt;
  const first = sim.replicas[0]!;
  const sameUpdates = sim.replicas.every((r) => r.knowledge.sameAs(first.knowledge));
  return { quiescent: done, sameUpdates, rounds, at, convergedAt };
}
