/**
 * What the sync modes (op-mode.ts, state-mode.ts, digest-sync.ts) may use of the run: its
 * configuration, the replicas, and the parts they drive — the wire they send through, the
 * storage part, the checkers, the trace, the stats and the run's progress.
 *
 * Why a port of its own: the helpers are built by the simulator and drive the run, so typing
 * them against the Simulator class made simulator.ts and its helpers import each other — an
 * import cycle, where module initialisation order decides whether a binding exists yet. The
 * simulator builds this object of parts for them instead (it is not the simulator itself), so a
 * helper reaches exactly what is listed here and nothing else.
 */
import type { OpCrdt, StateCrdt } from "../../core/contract.ts";
import type { Checkers } from "../checkers/index.ts";
import type { Rng } from "../rng.ts";
import type { RunStats } from "../run-types.ts";
import type { Progress } from "./progress.ts";
import type { RunView } from "./run-view.ts";
import type { ReplicaWire } from "./wire.ts";
import type { WriteAhead } from "./write-ahead.ts";

export interface EngineHost extends RunView {
  /** The storage part (write-ahead log); null when no crash can happen and there is no sync lag. */
  readonly storage: WriteAhead | null;
  readonly syncLag: number;
  readonly opStoreGc: boolean;
  readonly dedup: boolean;
  readonly causal: boolean;
  readonly stateCrdt: StateCrdt<any, unknown> | null;
  readonly opCrdt: OpCrdt<any, any, unknown> | null;
  readonly checkers: Checkers;
  readonly clone: (s: any) => any;
  readonly stats: RunStats & { deliveredUpdates: number; answers?: number };
  readonly sizeOf: (s: unknown) => number;
  readonly rAntiEntropy: Rng;
  /** The sync modes stamp `lastChange` on every change (for convergedAtMs). */
  readonly progress: Progress;
  /** Where replica messages leave (wire.ts). */
  readonly wire: ReplicaWire;
}
