/**
 * Scripted steps and the random nemeses (partitions, clocks, crashes): partitions, one-way
 * cuts, heal, crash and restart, pause and resume, clock skews and jumps, and scripted ops;
 * also the storage group commit (EvKind.Sync). Each fault is traced as a rare event (its
 * canonical line is hashed whole).
 */
import { runSqlStep } from "./sql-step.ts";
import type { FaultCause } from "../run-types.ts";
import type { Step } from "../scenario/types.ts";
import { STREAM } from "../rng.ts";
import { Ev, EvKind } from "./event.ts";
import { completeGroups, groupPairs, randomPartition, type Pair } from "./links.ts";
import type { FaultEnv } from "./fault-env.ts";

export function installFaults(sim: FaultEnv): void {
  const index = new Map(sim.names.map((name, i) => [name, i]));
  const idx = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`unknown node "${name}" (nodes: ${sim.names.join(", ")})`);
    return i;
  };
  const steps = sim.scenario.steps ?? [];
  const nemesis = sim.scenario.nemesis?.partitions;
  const clockNemesis = sim.scenario.nemesis?.clocks;
  const crashNemesis = sim.scenario.nemesis?.crashes;
  const rNemesis = sim.streams.get(STREAM.nemesis);
  let generation = 0;
  /** Nodes the crash nemesis took down: only those does it restart. */
  const nemesisDown = new Set<number>();

  sim.onFault = (ev: Ev) => {
    if (ev.kind >= EvKind.ServiceDeliver) return sim.services?.onEvent(ev);
    if (ev.kind === EvKind.Sync) {
      const r = sim.replicas[ev.node]!;
      if (r.crashed || ev.epoch !== r.epoch) return; // a sync scheduled before a crash never completes
      if (r.paused && !sim.final) {
        sim.queue.push(ev, sim.now + Math.max(1, sim.syncLag)); // a paused process does no I/O: retry
        return;
      }
      return sim.storage!.sync(r);
    }
    if (sim.final) return;
    if (ev.kind === EvKind.Step) return runStep(sim, steps[ev.id]!, ev.id, idx);
    if (ev.kind === EvKind.ClockNemesis && clockNemesis) {
      const rClock = sim.streams.get(STREAM.clockNemesis);
      const r = sim.replicas[rClock.int(0, sim.n - 1)]!;
      const t = sim.now;
      const useSkew = clockNemesis.skew && (!clockNemesis.jump || rClock.chance(0.5));
      const trace = sim.trace;
      if (useSkew) {
        const skew = rClock.int(clockNemesis.skew![0], clockNemesis.skew![1]);
        r.clock.setSkew(skew);
        trace.clockSkew(t, r.index, skew, r.clock.read(t));
      } else {
        const by = rClock.int(clockNemesis.jump![0], clockNemesis.jump![1]);
        r.clock.jump(by);
        trace.clockJump(t, r.index, by, r.clock.read(t), "nemesis");
      }
      sim.queue.push(ev, t + clockNemesis.every);
      return;
    }
    if (ev.kind === EvKind.CrashNemesis && crashNemesis) {
      const rCrash = sim.streams.get(STREAM.crashNemesis);
      const running = sim.replicas.filter((r) => !r.crashed).map((r) => r.index);
      // Never the last running node: someone must hold the acknowledged writes' replicas.
      if (running.length > 1) {
        const i = running[rCrash.int(0, running.length - 1)]!;
        crash(sim, i, "nemesis");
        nemesisDown.add(i);
        const up = new Ev(EvKind.NemesisRestart, i);
        sim.queue.push(up, sim.now + rCrash.int(crashNemesis.downtime[0], crashNemesis.downtime[1]));
      }
      sim.queue.push(ev, sim.now + crashNemesis.every);
      return;
    }
    if (ev.kind === EvKind.NemesisRestart) {
      if (nemesisDown.delete(ev.node)) restart(sim, ev.node, "nemesis");
      return;
    }
    if (ev.kind === EvKind.NemesisStart && nemesis) {
      const p = randomPartition(nemesis.shape ?? "random", sim.n, rNemesis);
      sim.links.setPartition(p.pairs);
      const t = sim.now;
      if (p.groups) sim.trace.partitionGroups(t, "nemesis", p.shape, p.groups);
      else sim.trace.partitionLinks(t, "nemesis", p.shape, p.pairs);
      const end = new Ev(EvKind.NemesisEnd, 0);
      end.id = ++generation;
      const [lo, hi] = nemesis.duration;
      sim.queue.push(end, t + rNemesis.int(lo, hi));
      sim.queue.push(ev, t + nemesis.every);
    } else if (ev.kind === EvKind.NemesisEnd && ev.id === generation) {
      // Only the latest nemesis partition ends here; an older end event must not heal a newer one.
      heal(sim, "nemesis");
    }
  };
}

function runStep(sim: FaultEnv, step: Step, i: number, idx: (name: string) => number): void {
  const t = sim.now;
  const trace = sim.trace;
  if ("op" in step) {
    const r = sim.replicas[idx(step.node)]!;
    if (!r.up) {
      trace.skip(t, r.index, { op: step.op }, r.crashed ? "crashed" : "paused");
      return;
    }
    sim.update(r, { op: step.op, args: step.args ?? [] }, `steps[${i}]`);
  } else if ("partition" in step) {
    const groups = completeGroups(
      step.partition.map((g) => g.map(idx)),
      sim.n,
    );
    sim.links.setPartition(groupPairs(groups, sim.n));
    trace.partitionGroups(t, "step", "groups", groups);
  } else if ("cut" in step) {
    const pairs: Pair[] = step.cut.map(([a, b]) => [idx(a), idx(b)]);
    sim.links.addCuts(pairs);
    trace.cut(t, pairs);
  } else if ("heal" in step) heal(sim, "step");
  else if ("crash" in step) crash(sim, idx(step.crash));
  else if ("restart" in step) restart(sim, idx(step.restart));
  else if ("pause" in step) pause(sim, idx(step.pause));
  else if ("resume" in step) resume(sim, idx(step.resume));
  else if ("clockJump" in step) {
    const r = sim.replicas[idx(step.clockJump.node)]!;
    r.clock.jump(step.clockJump.by);
    trace.clockJump(t, r.index, step.clockJump.by, r.clock.read(t), "step");
  } else if ("drop" in step) sim.net.act(step.drop, "drop");
  else if ("duplicate" in step) sim.net.act(step.duplicate, "duplicate");
  else if ("hold" in step) sim.net.act(step.hold, "hold");
  else if ("sql" in step) runSqlStep(sim, sim.sqlSchema!, sim.replicas[idx(step.node)]!, step, i);
  else if ("next" in step || "txn" in step) sim.services?.step(step, i);
}

/** Clears partitions and cuts and releases held messages (each with a fresh latency). */
export function heal(sim: FaultEnv, by: FaultCause | "final"): void {
  const t = sim.now;
  sim.links.heal();
  sim.trace.heal(t, by);
  sim.net.release();
  sim.services?.heal();
}

export function crash(sim: FaultEnv, i: number, by: FaultCause = "step"): void {
  const r = sim.replicas[i]!;
  if (r.crashed) return;
  const t = sim.now;
  r.crashed = true;
  r.paused = false;
  r.epoch++;
  sim.trace.nodeEvent(t, "crash", i, by);
  // Volatile: the causal buffer, sends waiting for a sync, and every write not yet synced.
  r.op?.clearBuffer();
  r.deferred = [];
  r.aeDeferred = false;
  if (sim.storage) {
    const { records, own } = sim.storage.crash(i);
    if (records > 0) {
      // Own updates lost with them were never acknowledged nor sent (write-ahead): for every
      // checker they never happened, and their seqs are issued again after the restart.
      for (const seq of own) sim.checkers.retract(i, seq);
      sim.trace.unsyncedLost(t, i, records, own);
    }
  }
  // Whatever sat unprocessed in a paused node's buffers is volatile.
  const lost = r.inbox as Ev[];
  r.inbox = [];
  for (const ev of lost) sim.net.drop(ev, "crash");
  sim.services?.crash(i);
}

export function restart(sim: FaultEnv, i: number, by: FaultCause = "step"): void {
  const r = sim.replicas[i]!;
  if (!r.crashed) return;
  r.crashed = false;
  r.epoch++;
  sim.recover(r);
  sim.trace.restart(sim.now, r, by);
  sim.services?.restart(i);
  // Op mode: catch up at once — ask a peer for the ops this replica lacks.
  sim.catchUp(r);
}

export function pause(sim: FaultEnv, i: number): void {
  const r = sim.replicas[i]!;
  if (!r.up) return;
  r.paused = true;
  sim.trace.nodeEvent(sim.now, "pause", i);
}

export function resume(sim: FaultEnv, i: number): void {
  const r = sim.replicas[i]!;
  if (!r.paused) return;
  r.paused = false;
  sim.trace.nodeEvent(sim.now, "resume", i);
  const inbox = r.inbox as Ev[];
  r.inbox = [];
  for (const ev of inbox) sim.apply(r, ev);
  sim.services?.resume(i);
}
