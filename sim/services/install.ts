/**
 * Builds the services a scenario declares (`services`) over the engine's parts; null when there
 * are none. The caller hooks the host into the engine (run-simulation.ts).
 */
import type { ServiceEnv } from "../engine/service-hooks.ts";
import { ServiceHost } from "./host.ts";
import { RampService } from "./ramp.ts";
import { SequencerService } from "./sequencer.ts";

export function installServices(env: ServiceEnv): ServiceHost | null {
  const spec = env.scenario.services;
  if (!spec || (!spec.sequencer && !spec.ramp)) return null;
  const host = new ServiceHost(env);
  const services = [...(spec.sequencer ? [new SequencerService(host, spec.sequencer, env.syncLag)] : []), ...(spec.ramp ? [new RampService(host, spec.ramp, env.syncLag)] : [])];
  for (const s of services) host.add(s);
  for (const s of services) s.start();
  return host;
}
