/**
 * The two ports between the engine and the services of a run (sim/services), kept as
 * interfaces so neither depends on the other's classes. ServiceEnv: what the services may use
 * of the engine. ServiceHooks: what the engine tells them — service events from the agenda, service steps, and the
 * faults that concern every node (crash, restart, resume, heal). Null on the simulator when a
 * scenario declares no services, so CRDT-only runs pay nothing.
 */
import type { Step } from "../scenario/types.ts";
import type { Ev } from "./event.ts";
import type { MessageIds } from "./network.ts";
import type { RunParts } from "./run-parts.ts";

export interface ServiceHooks {
  /** An EvKind.ServiceDeliver or EvKind.ServiceTimer event is due. */
  onEvent(ev: Ev): void;
  /** A `next` or `txn` step is due (index: its position in `steps`, for error messages). */
  step(step: Step, index: number): void;
  /**
   * Asks the sequencer, from `node`, for the next number of `name` (an SQL step's NEXTVAL);
   * `done` gets it, or null when the request is reported unavailable. False when the run has
   * no sequencer. A crash of `node` loses the request: `done` is then never called.
   */
  nextval(node: number, name: string, done: (n: number | null) => void): boolean;
  crash(node: number): void;
  restart(node: number): void;
  resume(node: number): void;
  heal(): void;
}

/**
 * What the services may use of the engine (the Simulator implements it): the nodes and their
 * replicas (up, crashed, incarnation), the agenda and the clock, the trace, the links, stats and
 * message ids their network shares with the replicas', the random streams, and the disk's sync lag.
 */
export interface ServiceEnv extends RunParts {
  readonly msgIds: MessageIds;
  /** The durability check runs: RAMP adds its committed transactions to it. */
  readonly checksDurability: boolean;
}
