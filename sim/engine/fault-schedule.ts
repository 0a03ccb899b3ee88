/**
 * The fault-schedule part: when faults happen. It puts the scenario's scripted steps and the
 * random nemeses (partitions, clocks, crashes) on the agenda, and when one comes due it asks
 * the part that owns it: the node lifecycle (crash, restart, pause, resume), the link faults
 * (partitions, cuts, heal, message steps), a node's clock, or an update (an `op` or `sql`
 * step), the services (`next`, `txn`). Each fault is traced as a rare event (its canonical
 * line is hashed whole) by the part that makes it.
 */
import type { FaultCause } from "../run-types.ts";
import type { Scenario, Step } from "../scenario/types.ts";
import { STREAM, type Streams } from "../rng.ts";
import { Ev, EvKind } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import type { LinkFaults } from "./link-faults.ts";
import type { NodeLifecycle } from "./lifecycle.ts";
import { randomPartition, type Pair } from "./links.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { ServiceHooks } from "./service-hooks.ts";
import type { Trace } from "./trace.ts";

/** What the schedule may use of the run. */
export interface FaultScheduleEnv {
  readonly scenario: Pick<Scenario, "nodes" | "steps" | "nemesis">;
  readonly replicas: readonly Replica[];
  readonly time: TimeSource;
  readonly queue: EventQueue<Ev>;
  readonly streams: Streams;
  readonly trace: Pick<Trace, "skip" | "clockSkew" | "clockJump">;
  readonly lifecycle: NodeLifecycle;
  readonly linkFaults: LinkFaults;
  services(): ServiceHooks | null;
  /** Issues a scripted op at `r` (`origin`: the step, for error messages). */
  update(r: Replica, op: { op: string; args: unknown[] }, origin: string): void;
  /** Runs step `i`, written in SQL, at `r`. */
  sql(r: Replica, step: { sql: string; params?: unknown[] }, i: number): void;
}

export class FaultSchedule {
  private readonly index: Map<string, number>;
  private readonly steps: readonly Step[];
  /** The latest nemesis partition: an older end event must not heal a newer one. */
  private generation = 0;
  /** Nodes the crash nemesis took down: only those does it restart. */
  private readonly nemesisDown = new Set<number>();

  constructor(private readonly env: FaultScheduleEnv) {
    this.index = new Map(env.scenario.nodes.map((name, i) => [name, i]));
    this.steps = env.scenario.steps ?? [];
  }

  private idx(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`unknown node "${name}" (nodes: ${this.env.scenario.nodes.join(", ")})`);
    return i;
  }

  /** The scripted steps go on the agenda (before the workload: ties keep this order). */
  scheduleSteps(): void {
    this.steps.forEach((step, i) => {
      const ev = new Ev(EvKind.Step, 0);
      ev.id = i;
      this.env.queue.push(ev, step.at);
    });
  }

  /** The first event of each nemesis goes on the agenda (after the anti-entropy timers). */
  scheduleNemeses(): void {
    const { queue, scenario } = this.env;
    const every = scenario.nemesis?.partitions?.every;
    if (every && every > 0 && this.env.replicas.length > 1) queue.push(new Ev(EvKind.NemesisStart, 0), every);
    const clockEvery = scenario.nemesis?.clocks?.every;
    if (clockEvery) queue.push(new Ev(EvKind.ClockNemesis, 0), clockEvery);
    const crashEvery = scenario.nemesis?.crashes?.every;
    if (crashEvery) queue.push(new Ev(EvKind.CrashNemesis, 0), crashEvery);
  }

  /** A step or nemesis event is due (never called past `duration`). */
  onEvent(ev: Ev): void {
    switch (ev.kind) {
      case EvKind.Step:
        return this.runStep(this.steps[ev.id]!, ev.id);
      case EvKind.ClockNemesis:
        return this.clockNemesis(ev);
      case EvKind.CrashNemesis:
        return this.crashNemesis(ev);
      case EvKind.NemesisRestart:
        if (this.nemesisDown.delete(ev.node)) this.env.lifecycle.restart(ev.node, "nemesis");
        return;
      case EvKind.NemesisStart:
        return this.partitionNemesis(ev);
      case EvKind.NemesisEnd:
        if (ev.id === this.generation) this.env.linkFaults.heal("nemesis");
        return;
    }
  }

  private clockNemesis(ev: Ev): void {
    const spec = this.env.scenario.nemesis?.clocks;
    if (!spec) return;
    const rClock = this.env.streams.get(STREAM.clockNemesis);
    const r = this.env.replicas[rClock.int(0, this.env.replicas.length - 1)]!;
    const t = this.env.time.now;
    const useSkew = spec.skew && (!spec.jump || rClock.chance(0.5));
    if (useSkew) {
      const skew = rClock.int(spec.skew![0], spec.skew![1]);
      r.clock.setSkew(skew);
      this.env.trace.clockSkew(t, r.index, skew, r.clock.read(t));
    } else this.jump(r, rClock.int(spec.jump![0], spec.jump![1]), "nemesis");
    this.env.queue.push(ev, t + spec.every);
  }

  private jump(r: Replica, by: number, source: FaultCause): void {
    const t = this.env.time.now;
    r.clock.jump(by);
    this.env.trace.clockJump(t, r.index, by, r.clock.read(t), source);
  }

  private crashNemesis(ev: Ev): void {
    const spec = this.env.scenario.nemesis?.crashes;
    if (!spec) return;
    const rCrash = this.env.streams.get(STREAM.crashNemesis);
    const now = this.env.time.now;
    const running = this.env.replicas.filter((r) => !r.crashed).map((r) => r.index);
    // Never the last running node: someone must hold the acknowledged writes' replicas.
    if (running.length > 1) {
      const i = running[rCrash.int(0, running.length - 1)]!;
      this.env.lifecycle.crash(i, "nemesis");
      this.nemesisDown.add(i);
      this.env.queue.push(new Ev(EvKind.NemesisRestart, i), now + rCrash.int(spec.downtime[0], spec.downtime[1]));
    }
    this.env.queue.push(ev, now + spec.every);
  }

  private partitionNemesis(ev: Ev): void {
    const spec = this.env.scenario.nemesis?.partitions;
    if (!spec) return;
    const rNemesis = this.env.streams.get(STREAM.nemesis);
    this.env.linkFaults.nemesisPartition(randomPartition(spec.shape ?? "random", this.env.replicas.length, rNemesis));
    const t = this.env.time.now;
    const end = new Ev(EvKind.NemesisEnd, 0);
    end.id = ++this.generation;
    this.env.queue.push(end, t + rNemesis.int(spec.duration[0], spec.duration[1]));
    this.env.queue.push(ev, t + spec.every);
  }

  private runStep(step: Step, i: number): void {
    const env = this.env;
    const { lifecycle, linkFaults } = env;
    if ("op" in step) {
      const r = env.replicas[this.idx(step.node)]!;
      if (!r.up) return env.trace.skip(env.time.now, r.index, { op: step.op }, r.crashed ? "crashed" : "paused");
      env.update(r, { op: step.op, args: step.args ?? [] }, `steps[${i}]`);
    } else if ("partition" in step) linkFaults.partition(step.partition.map((g) => g.map((name) => this.idx(name))));
    else if ("cut" in step) linkFaults.cut(step.cut.map(([a, b]): Pair => [this.idx(a), this.idx(b)]));
    else if ("heal" in step) linkFaults.heal("step");
    else if ("crash" in step) lifecycle.crash(this.idx(step.crash));
    else if ("restart" in step) lifecycle.restart(this.idx(step.restart));
    else if ("pause" in step) lifecycle.pause(this.idx(step.pause));
    else if ("resume" in step) lifecycle.resume(this.idx(step.resume));
    else if ("clockJump" in step) this.jump(env.replicas[this.idx(step.clockJump.node)]!, step.clockJump.by, "step");
    else if ("drop" in step) linkFaults.message(step.drop, "drop");
    else if ("duplicate" in step) linkFaults.message(step.duplicate, "duplicate");
    else if ("hold" in step) linkFaults.message(step.hold, "hold");
    else if ("sql" in step) env.sql(env.replicas[this.idx(step.node)]!, step, i);
    else if ("next" in step || "txn" in step) env.services()?.step(step, i);
  }
}
