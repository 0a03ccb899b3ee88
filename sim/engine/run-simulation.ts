/**
 * runSimulation: one deterministic run of a validated scenario against a resolved CRDT.
 * A pure function of (scenario, crdt, seed): same inputs, same trace and traceHash, in any
 * process. The public `simulate()` in sim/index.ts resolves the CRDT and calls this.
 */
import type { Crdt } from "../../core/contract.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Run, Summary } from "../run-types.ts";
import type { ServiceHost } from "../services/host.ts";
import { installServices } from "../services/install.ts";
import { CanonicalLines } from "../trace-format/sink.ts";
import { Simulator, type EngineOptions } from "./simulator.ts";

export type RunOptions = EngineOptions;

export function runSimulation(scenario: Scenario, crdt: Crdt, options: RunOptions): Run {
  const sim = startSimulation(scenario, crdt, options);
  sim.loop(scenario.duration);
  return finishSimulation(sim);
}

/**
 * A run up to its first event: the engine built with its services, the meta line traced and the
 * agenda filled. The caller runs `sim.loop(until)` (in slices if it likes: the playground keeps
 * forks between them, fork.ts), then finishSimulation.
 */
export function startSimulation(scenario: Scenario, crdt: Crdt, options: RunOptions, before?: (sim: Simulator) => void): Simulator {
  const sim = new Simulator(scenario, crdt, options, installServices);
  before?.(sim);
  sim.start();
  return sim;
}

/** After the main loop reached `duration`: the final phase (heal, drain), the checks and the summary. */
export function finishSimulation(sim: Simulator): Run {
  const scenario = sim.runScenario;
  const options = sim.runOptions;
  // installServices made it (startSimulation): the host, whose checks and tallies the summary reads.
  const services = sim.serviceHooks as ServiceHost | null;
  const fin = sim.runFinal();
  const expectChecks = scenario.expect?.checks ?? {};
  const serviceChecks = services?.checks((name) => expectChecks[name] ?? true) ?? [];
  const checks = sim.checkers.results(sim.replicas, fin, serviceChecks);
  // fromEntries defines own keys: a node called "__proto__" is a key of `final`, not its prototype.
  const final: Record<string, unknown> = Object.fromEntries(sim.replicas.map((r) => [r.name, r.value()]));
  const { deliveredUpdates, ...stats } = sim.stats;
  const summary: Summary = {
    scenario: scenario.name,
    seed: options.seed,
    crdt: options.crdtName,
    ok: checks.every((c) => c.ok === c.expected),
    traceHash: sim.trace.digest(),
    checks,
    stats: services ? { ...stats, deliveredUpdates, availability: services.availability() } : { ...stats, deliveredUpdates },
    final,
  };
  const sink = sim.trace.sink;
  return sink instanceof CanonicalLines ? { summary, trace: sink.lines } : { summary };
}
