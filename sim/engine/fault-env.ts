/**
 * What the faults may use of the engine: faults.ts (steps and the nemesis: partitions, crashes,
 * pauses, clocks), final-phase.ts (the end of a run) and sql-step.ts (a SQL step). Like
 * EngineHost for the sync modes and ServiceEnv for the services, a port of its own: the
 * Simulator implements it, the compiler checks that it does, and these modules import neither
 * the Simulator nor anything of it this list does not name.
 */
import type { Op, StateCrdt } from "../../core/contract.ts";
import type { SqlSchema } from "../../sql/index.ts";
import type { Checkers } from "../checkers/index.ts";
import type { Ev } from "./event.ts";
import type { Network } from "./network.ts";
import type { Replica } from "./replica.ts";
import type { RunParts } from "./run-parts.ts";
import type { ServiceHooks } from "./service-hooks.ts";
import type { WriteAhead } from "./write-ahead.ts";

export interface FaultEnv extends RunParts {
  /** The replicas' network (the services heal their own through `services.heal`). */
  readonly net: Network;
  readonly storage: WriteAhead | null;
  readonly checkers: Checkers;
  readonly services: ServiceHooks | null;
  readonly sqlSchema: SqlSchema | null;
  readonly stateCrdt: StateCrdt<any, unknown> | null;
  readonly antiEntropyMs: number;
  readonly maxEvents: number;
  /** Past `duration`: timers stop, only deliveries run (final-phase.ts sets it). */
  final: boolean;
  readonly lastChange: number;
  /** The handler of every agenda event that is not a replica message, arrival or anti-entropy tick. */
  onFault: (ev: Ev) => void;
  /** Issues `op` at `r` (a scripted or SQL step). */
  update(r: Replica, op: Op, origin: string): void;
  /** Merges a message that waited in a paused node's inbox. */
  apply(r: Replica, ev: Ev): void;
  /** A replica message the final drain reached. */
  deliver(ev: Ev): void;
  /** Rebuilds a restarting replica from durable storage. */
  recover(r: Replica): void;
  /** A restarted replica catches up at once where the sync mode can (op mode asks a peer for what it lacks). */
  catchUp(r: Replica): void;
  antiEntropyFrom(r: Replica): void;
  overEventLimit(): Error;
}
