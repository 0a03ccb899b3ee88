/**
 * The scenario file format as TypeScript types (docs/scenarios.md; docs/design.md, "The scenario format").
 * The zod schema in ./schema.ts validates JSON into exactly these shapes; the engine consumes them.
 * All times are integer virtual milliseconds from 0.
 */
import type { OpSpec } from "../../core/contract.ts";

export type LatencySpec =
  | { dist: "constant"; ms: number; max?: number }
  | { dist: "uniform"; min: number; max: number }
  | { dist: "normal"; mean: number; sd: number; max?: number }
  | { dist: "exponential"; mean: number; max?: number }
  | { dist: "pareto"; scale: number; shape: number; max?: number };

/** A builtin name, a builtin with options, or a plugin module relative to the scenario file. */
export type CrdtSpec = string | { type: string; [option: string]: unknown } | { module: string };

export type NetworkSpec = {
  latency?: LatencySpec;
  /** Probability that a message is lost. */
  loss?: number;
  /** Probability that a message is delivered twice (the copy gets its own latency). */
  duplicate?: number;
  /** Probability that a message gets an extra delay of up to 10× the latency, overtaking later ones. */
  reorder?: number;
  /** Per-link FIFO: a message never overtakes an earlier one on the same link. */
  fifo?: boolean;
  /** What a partition does to messages in flight or sent across it: drop them, or hold until heal. */
  partitionMode?: "drop" | "hold";
  /**
   * Named messages that are lost or delivered twice, besides what `loss` and `duplicate` draw
   * (sim/engine/message-fates.ts). The shrinker writes them when it freezes a run's drawn fates.
   */
  fates?: MessageFatesSpec;
};

/**
 * A replica message named by its link and the instant it was sent: the `nth` send (from 0,
 * default 0) from `from` to `to` at virtual time `at`.
 */
export type MessageRef = { from: string; to: string; at: number; nth?: number };

export type MessageFatesSpec = { lost?: MessageRef[]; duplicated?: MessageRef[] };

export type SyncSpec = {
  /** delta: ship each update's delta; state: ship the full state; op: op-based causal broadcast. */
  mode?: "delta" | "state" | "op";
  /** Period of anti-entropy rounds per node (each round: one random peer). 0 turns it off. */
  antiEntropyMs?: number;
  /**
   * Delta and state modes: what a round sends. "state" (default): the full state to the peer;
   * "digest": the node's knowledge vector, answered by the peer with only what the node lacks
   * (the join of the missing deltas, or the full state where its delta log cannot cover them).
   */
  antiEntropy?: "state" | "digest";
  /** Op mode only: drop an op already delivered (by origin + seq). Default true; false shows why it matters. */
  dedup?: boolean;
  /** Op mode only: hold an op back until everything it depends on is delivered. Default true. */
  causal?: boolean;
};

/**
 * Each node's durable storage (a write-ahead log with snapshots). With `syncLagMs` > 0 a write
 * becomes durable — and is acknowledged and sent — only at the next sync, `syncLagMs` after
 * the first unsynced write (group commit); a crash loses what was not synced yet.
 */
export type StorageSpec = { syncLagMs?: number };

export type ClockSpec = { skew?: number; drift?: number };

export type Step =
  | { at: number; node: string; op: string; args?: unknown[] }
  /** Groups that can talk inside but not across; nodes not listed form one more group together. */
  | { at: number; partition: string[][] }
  /** One-way cuts: messages from the first node to the second are blocked. */
  | { at: number; cut: [string, string][] }
  | { at: number; heal: true }
  | { at: number; crash: string }
  | { at: number; restart: string }
  | { at: number; pause: string }
  | { at: number; resume: string }
  | { at: number; clockJump: { node: string; by: number } }
  /** The replica message with this id (the trace's `msg`), if it is in flight then: lost now. */
  | { at: number; drop: number }
  /** … a copy of it is sent now (its own id, a fresh latency). */
  | { at: number; duplicate: number }
  /** … held until the next heal, then sent again with a fresh latency. */
  | { at: number; hold: number }
  /** Asks the sequencer (services.sequencer) for the next number of this name, from `node`. */
  | { at: number; node: string; next: string }
  /** A RAMP transaction (services.ramp) coordinated by `node`: exactly one of write / read. */
  | { at: number; node: string; txn: TxnSpec }
  /** An INSERT, UPDATE or DELETE run on `node` against the scenario's `schema` (docs/sql.md); $1… are `params`. */
  | { at: number; node: string; sql: string; params?: unknown[] };

/** A write-only transaction (key → JSON value) or a read-only one (keys). */
export type TxnSpec = { write?: Record<string, unknown>; read?: string[] };

/**
 * Services on named nodes (sim/services): they talk over the same simulated network (latency,
 * loss, duplication, partitions, crashes) as the CRDT replicas, which keep running beside them.
 */
export type ServicesSpec = {
  /** A sequencer (globally-sequenced counters: invoice numbers) on one node; clients time out after `timeoutMs`, resending every `retryMs`. */
  sequencer?: { node: string; timeoutMs?: number; retryMs?: number; workload?: SequencerWorkload };
  /**
   * RAMP-Fast transactions: keys sharded over the `shards` nodes (by `keys`: key → shard, or by
   * a hash of the key when `keys` is omitted); `mode` "naive" writes without prepare and reads
   * in one round (fractured reads).
   */
  ramp?: {
    shards: string[];
    keys?: Record<string, string>;
    mode?: "ramp" | "naive";
    timeoutMs?: number;
    retryMs?: number;
    /** Random transactions over `keys`: a read with probability `reads` (default 0.5), else a write. */
    workload?: TxnWorkload;
  };
};

/** Random `next` requests: Poisson arrivals at `ratePerNode` per virtual second on each of `nodes` (default all), in [from, to); a name from `names` (default ["invoice"]). */
export type SequencerWorkload = { ratePerNode: number; from?: number; to?: number; nodes?: string[]; names?: string[] };
/** Random transactions, arriving like SequencerWorkload: a read of a random non-empty subset of `keys` with probability `reads` (default 0.5), else a write of one. */
export type TxnWorkload = { ratePerNode: number; from?: number; to?: number; nodes?: string[]; keys?: string[]; reads?: number };

export type WorkloadSpec = {
  from?: number;
  to?: number;
  /** Updates per virtual second per node (Poisson arrivals). */
  ratePerNode: number;
  /** Op mix; defaults to the CRDT's own `ops` alphabet. */
  ops?: OpSpec[];
  /** Nodes that issue updates; defaults to all. */
  nodes?: string[];
};

export type PartitionShape = "random" | "halves" | "one" | "bridge" | "ring" | "one-way";

export type NemesisSpec = {
  partitions?: { every: number; duration: [number, number]; shape?: PartitionShape };
  /**
   * Every `every` ms one seeded-random node's clock is disturbed: its skew set to a value drawn
   * from `skew`, or stepped by a jump drawn from `jump` (a coin decides when both are given).
   */
  clocks?: { every: number; skew?: [number, number]; jump?: [number, number] };
  /** Every `every` ms one seeded-random running node crashes, and restarts after a downtime drawn from `downtime`. */
  crashes?: { every: number; downtime: [number, number] };
};

export type ExpectSpec = {
  /** Check name → whether it must pass (true) or must catch an anomaly (false). */
  checks?: Record<string, boolean>;
  /**
   * The final value every replica must show; in a scenario with a `schema`, the result of a query:
   * `{ "select": "SELECT …", "rows": [...] }` (or a list of them).
   */
  value?: unknown;
};

/** What `expect.value` holds in a scenario with a `schema`: a SELECT and the rows every replica must answer. */
export type SelectExpectation = { select: string; params?: unknown[]; rows: unknown[] };

/**
 * Raises (or lowers) the bounds on a run's size (sim/scenario/limits.ts) for a scenario that is
 * meant to be big. A CLI flag (`--max-events`, `--max-nodes`) wins over this block.
 */
export type LimitsSpec = {
  /** Simulator events (`stats.events`); default 1,000,000 for a traced run, 50,000,000 with --no-trace. */
  events?: number;
  /** Nodes; default 1000. */
  nodes?: number;
};

export type Scenario = {
  name: string;
  description?: string;
  seed?: number;
  nodes: string[];
  /** Required, unless `schema` is given: then the loader fills it in with the schema's store type. */
  crdt: CrdtSpec;
  /** CREATE TABLE statements (docs/sql.md): the tables `sql` steps and `expect.value` queries use. */
  schema?: string[];
  sync?: SyncSpec;
  network?: NetworkSpec;
  clocks?: Record<string, ClockSpec>;
  storage?: StorageSpec;
  steps?: Step[];
  workload?: WorkloadSpec;
  nemesis?: NemesisSpec;
  services?: ServicesSpec;
  duration: number;
  expect?: ExpectSpec;
  limits?: LimitsSpec;
};
