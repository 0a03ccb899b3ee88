/**
 * runSimulation: one deterministic run of a validated scenario against a resolved CRDT.
 * A pure function of (scenario, crdt, seed): same inputs, same trace and traceHash, in any
 * process. The public `simulate()` in sim/index.ts resolves the CRDT and calls this.
 */
import type { Crdt, StateCrdt } from "../../core/contract.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Run, Summary } from "../run-types.ts";
import { installServices } from "../services/install.ts";
import { CanonicalLines } from "../trace-format/sink.ts";
import { installFaults } from "./faults.ts";
import { runFinalPhase } from "./final-phase.ts";
import { Simulator, type EngineOptions } from "./simulator.ts";

export type RunOptions = EngineOptions;

export function runSimulation(scenario: Scenario, crdt: Crdt, options: RunOptions): Run {
  const sim = new Simulator(scenario, crdt as StateCrdt<any, unknown>, options);
  installFaults(sim);
  const services = installServices(sim);
  sim.services = services;
  sim.runMain();
  const fin = runFinalPhase(sim);
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
