/**
 * What the engine's helpers (op-mode.ts, digest-sync.ts) may use of the simulator: its
 * configuration, shared state, the storage part and the few services they call back (send, issued).
 *
 * Why an interface of its own: the Simulator constructs the helpers and the helpers drive it,
 * so typing them against the Simulator class made simulator.ts and its helpers import each
 * other — an import cycle, where module initialisation order decides whether a binding exists
 * yet. The helpers depend on this narrow port instead; Simulator implements it, and the
 * compiler checks that it does. The port also documents exactly what a helper may touch.
 */
import type { OpCrdt, Op, StateCrdt } from "../../core/contract.ts";
import type { Checkers } from "../checkers/index.ts";
import type { Rng } from "../rng.ts";
import type { RunStats } from "../run-types.ts";
import type { MsgKind } from "./event.ts";
import type { Knowledge } from "./knowledge.ts";
import type { Replica, TimeSource } from "./replica.ts";
import type { Trace } from "./trace.ts";
import type { WriteAhead } from "./write-ahead.ts";

export interface EngineHost {
  readonly time: TimeSource;
  /** The virtual time, time.now. */
  readonly now: number;
  readonly names: readonly string[];
  readonly n: number;
  readonly replicas: Replica[];
  readonly trace: Trace;
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
  readonly stats: RunStats & { deliveredUpdates: number };
  readonly sizeOf: (s: unknown) => number;
  readonly rAntiEntropy: Rng;
  /** Last time any replica's state or knowledge changed (for convergedAtMs). */
  lastChange: number;
  /** The intent checkers and the trace learn of update `seq` just issued at `r`. */
  issued(r: Replica, seq: number, op: Op, now: number): void;
  send(from: number, to: number, kind: MsgKind, payload: unknown, origin: number, oseq: number, k: Knowledge | null, bytes: number): void;
}
