/**
 * The parts of a run every port shares (FaultEnv, ServiceEnv): the scenario, the nodes and their
 * replicas, the agenda and the clock, the links, the trace, the stats, the random streams and
 * the disk's sync lag. The Simulator owns them; a port adds what only its modules need.
 */
import type { Streams } from "../rng.ts";
import type { RunStats } from "../run-types.ts";
import type { Scenario } from "../scenario/types.ts";
import type { Ev } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import type { Links } from "./links.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { Trace } from "./trace.ts";

export interface RunParts {
  readonly scenario: Scenario;
  readonly names: readonly string[];
  readonly n: number;
  readonly time: TimeSource;
  /** The virtual time, time.now. */
  readonly now: number;
  readonly replicas: readonly Replica[];
  readonly queue: EventQueue<Ev>;
  readonly links: Links;
  readonly trace: Trace;
  readonly stats: RunStats;
  readonly streams: Streams;
  /** storage.syncLagMs (0 without a disk). */
  readonly syncLag: number;
}
