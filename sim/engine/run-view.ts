/**
 * What every port of the engine shows of a run: its clock, its nodes and their replicas, and
 * its trace. The narrow ports (EngineHost for the sync modes, ServiceEnv for the services)
 * extend it with what each of them alone needs.
 */
import type { Replica, TimeSource } from "./replica.ts";
import type { Trace } from "./trace.ts";

export interface RunView {
  readonly time: TimeSource;
  readonly names: readonly string[];
  readonly n: number;
  readonly replicas: readonly Replica[];
  readonly trace: Trace;
}
