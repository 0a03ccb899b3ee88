/**
 * Builds the services a scenario declares (`services`) on a simulator and hooks them into it.
 * Returns null — and the simulator keeps `services` null — when there are none.
 */
import type { Simulator } from "../engine/simulator.ts";
import { ServiceHost } from "./host.ts";
import { RampService } from "./ramp.ts";
import { SequencerService } from "./sequencer.ts";

export function installServices(sim: Simulator): ServiceHost | null {
  const spec = sim.scenario.services;
  if (!spec || (!spec.sequencer && !spec.ramp)) return null;
  const host = new ServiceHost(sim);
  const services = [...(spec.sequencer ? [new SequencerService(host, spec.sequencer, sim.syncLag)] : []), ...(spec.ramp ? [new RampService(host, spec.ramp, sim.syncLag)] : [])];
  for (const s of services) host.add(s);
  for (const s of services) s.start();
  sim.services = host;
  return host;
}
