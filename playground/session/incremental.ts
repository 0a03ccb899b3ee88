/**
 * Incremental runs: an edit at time T recomputes the session from the last checkpoint before T,
 * not from the start. The run is deterministic, so everything before T is what it was: the
 * runner keeps forks of the simulator along each run (sim/engine/fork.ts), and for the next
 * scenario continues a copy of the latest one that is still valid, handed the new steps and
 * duration. The result — trace, summary, traceHash — is that of a run from the start (the fork
 * test holds it to that); a session the fork does not cover (op mode, a disk, services, a
 * nemesis, a change of CRDT or network) simply runs from the start.
 */
import type { Crdt } from "../../core/contract.ts";
import type { Run } from "../../sim/run-types.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { editTime, forkSimulator, retarget, Unforkable, whyNotRetargetable, whyUnforkable } from "../../sim/engine/fork.ts";
import { finishSimulation, startSimulation } from "../../sim/engine/run-simulation.ts";
import type { Simulator } from "../../sim/engine/simulator.ts";

/** A fork of the run after every event up to `at`. */
type Checkpoint = { at: number; sim: Simulator };

/**
 * No checkpoint fewer than this many events after the last one: a fork copies the engine's whole
 * state (a few ms at 10k events), worth it only when it saves more than that.
 */
export const MIN_EVENTS_BETWEEN = 300;
/** Checkpoints toward the end of a run: at 1/2, 3/4, 7/8, … of what is left, this many at most. */
const TOWARD_END = 7;

/**
 * Where a run from `from` to `end` keeps checkpoints: just before the edit that started it (the
 * next edit is most likely there or later), then ever closer to the end, where a long session
 * grows — an edit at the end recomputes the last 1/2^TOWARD_END of the run, one in the middle
 * about half of it.
 */
export function checkpointTimes(from: number, end: number, edit: number): number[] {
  const out = edit > from && edit - 1 < end ? [edit - 1] : [];
  const start = Math.max(from, out[0] ?? from);
  for (let k = 1; k <= TOWARD_END; k++) {
    const t = Math.round(end - (end - start) / 2 ** k);
    if (t > (out.at(-1) ?? from) && t < end) out.push(t);
  }
  return out;
}

export type IncrementalRun = {
  run: Run;
  /** Virtual ms the run was recomputed from (0: from the start). */
  from: number;
  /** Why it was not recomputed from a checkpoint, when it was not. */
  whole: string | null;
};

export class IncrementalRunner {
  /** `minEvents`: events between checkpoints at least (tests take many checkpoints). */
  constructor(private readonly minEvents = MIN_EVENTS_BETWEEN) {}

  private last: { scenario: Scenario; seed: number; checkpoints: Checkpoint[] } | null = null;

  /** The run of `scenario`, from the latest checkpoint of the previous run its edit leaves valid. */
  run(scenario: Scenario, crdt: Crdt, o: { seed: number; crdtName: string; maxEvents: number }): IncrementalRun {
    const resumed = this.resume(scenario, o);
    if (typeof resumed !== "string") return resumed;
    this.last = null;
    const sim = startSimulation(scenario, crdt, { seed: o.seed, trace: true, crdtName: o.crdtName, maxEvents: o.maxEvents }, (s) => s.trace.hash.keepFeed());
    const checkpoints: Checkpoint[] = [];
    const run = this.drive(sim, checkpointTimes(0, scenario.duration, 0), checkpoints, whyUnforkable(sim) === null);
    this.last = { scenario, seed: o.seed, checkpoints };
    return { run, from: 0, whole: resumed };
  }

  /** A run from a checkpoint, or why there is none to resume from. */
  private resume(scenario: Scenario, o: { seed: number; maxEvents: number }): IncrementalRun | string {
    const last = this.last;
    if (!last) return "no previous run";
    // The CRDT is the scenario's `crdt` (compared with the rest of it): the forks keep the one they were built with.
    if (last.seed !== o.seed) return "another seed";
    const why = whyNotRetargetable(last.scenario, scenario);
    if (why) return why;
    const t = editTime(last.scenario, scenario);
    const keep = last.checkpoints.filter((c) => c.at < t);
    const cp = keep.at(-1);
    if (!cp) return "the edit is before the first checkpoint";
    let sim: Simulator;
    try {
      sim = forkSimulator(cp.sim);
      retarget(sim, scenario, cp.at, o.maxEvents);
    } catch (e) {
      if (e instanceof Unforkable) return e.message;
      throw e;
    }
    this.last = null;
    const run = this.drive(sim, checkpointTimes(cp.at, scenario.duration, t), keep, true);
    this.last = { scenario, seed: o.seed, checkpoints: keep };
    return { run, from: cp.at, whole: null };
  }

  /** Runs `sim` to its end, adding checkpoints at `times` on the way. */
  private drive(sim: Simulator, times: number[], checkpoints: Checkpoint[], fork: boolean): Run {
    let lastEvents = sim.stats.events;
    for (const t of times) {
      if (!fork) break;
      sim.loop(t);
      if (sim.stats.events - lastEvents < this.minEvents) continue;
      try {
        checkpoints.push({ at: t, sim: forkSimulator(sim) });
      } catch (e) {
        if (!(e instanceof Unforkable)) throw e;
        fork = false;
      }
      lastEvents = sim.stats.events;
    }
    sim.loop(sim.runScenario.duration);
    return finishSimulation(sim);
  }
}
