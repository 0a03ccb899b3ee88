/**
 * The check catalogue: every check a scenario may name in `expect.checks` (docs/design.md,
 * "Checkers"), which service a check observes, and which checks can point at one event (`at`,
 * the node and time a timeline marks). The one list: the checkers, the scenario loader and the
 * views import it. It imports nothing, so validation stays synchronous and free of the engine.
 */

export type CheckEntry = {
  name: string;
  /** The service whose history the check reads; it means something only when the scenario runs it. */
  service?: "sequencer" | "ramp";
  /** On failure the check can name the one event to blame (`CheckResult.at`). */
  pointsAtEvent: boolean;
};

export const CHECKS: readonly CheckEntry[] = [
  { name: "convergence", pointsAtEvent: false },
  { name: "strong-convergence", pointsAtEvent: true },
  { name: "idempotence", pointsAtEvent: true },
  { name: "order-independence", pointsAtEvent: true },
  { name: "laws", pointsAtEvent: false },
  { name: "no-lost-writes", pointsAtEvent: true },
  { name: "counter-total", pointsAtEvent: true },
  { name: "add-wins", pointsAtEvent: true },
  { name: "sequence-intent", pointsAtEvent: false },
  { name: "no-interleaving", pointsAtEvent: false },
  { name: "change-events", pointsAtEvent: true },
  { name: "sequencer-unique", service: "sequencer", pointsAtEvent: true },
  { name: "sequencer-monotonic", service: "sequencer", pointsAtEvent: true },
  { name: "read-atomic", service: "ramp", pointsAtEvent: true },
  { name: "durability", pointsAtEvent: true },
];

/** The names, in the contract's order. */
export const CHECK_NAMES: readonly string[] = CHECKS.map((c) => c.name);

/** The service a check observes, or undefined (also for a name that is no check, "constructor" included). */
export function serviceOfCheck(name: string): "sequencer" | "ramp" | undefined {
  return CHECKS.find((c) => c.name === name)?.service;
}
