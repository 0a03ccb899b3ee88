/**
 * The engine's errors, in a module of their own: the simulator and its helpers (op-mode.ts)
 * both raise them, and a helper that imported them from simulator.ts would close an import
 * cycle (simulator.ts constructs the helpers). core/boundaries.test.ts forbids such cycles.
 */
import { RAISE } from "../scenario/limits.ts";

/** Raised when a CRDT throws while the engine drives it; names the step or workload op. */
export class SimulationError extends Error {
  override name = "SimulationError";
  /** Where the engine was when the CRDT threw (`t=126 workload: b inc [1]`); the CRDT's error is `cause`. */
  readonly context: string | undefined;
  constructor(message: string, wrapped?: { context: string; cause: unknown }) {
    super(message, wrapped && { cause: wrapped.cause });
    this.context = wrapped?.context;
  }
}

/** A CRDT's exception with where the engine was: the message names both, the original stays the `cause`. */
export function crdtThrew(context: string, e: unknown): SimulationError {
  return new SimulationError(`${context}: ${e instanceof Error ? e.message : String(e)}`, { context, cause: e });
}

/** The run passed its event limit: stopped rather than run on (the estimate before the run can be wrong). */
export class EventLimitError extends SimulationError {
  override name = "EventLimitError";
  constructor(
    readonly limit: number,
    at: number,
    duration: number,
  ) {
    super(`the run reached the limit of ${limit} events at virtual time ${at} ms (duration ${duration} ms) and was stopped; ${RAISE.events}`);
  }
}
