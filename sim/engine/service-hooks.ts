/**
 * What the engine tells the services of a run (sim/services), kept as an interface so the
 * engine does not depend on them: service events from the agenda, service steps, and the
 * faults that concern every node (crash, restart, resume, heal). Null on the simulator when a
 * scenario declares no services, so CRDT-only runs pay nothing.
 */
import type { Step } from "../scenario/types.ts";
import type { Ev } from "./event.ts";

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
