/**
 * What a simulation produces: the summary object (docs/design.md, "The run directory and summary.json") and the canonical
 * trace. These shapes are a public contract read by the CLI, the views and other tools.
 */

export type CheckResult = {
  name: string;
  /** Whether the property held in this run. */
  ok: boolean;
  /** What the scenario expects (true unless `expect.checks` demands the anomaly). */
  expected: boolean;
  /** Human-readable: on failure it names the first offending event (time, node, message id). */
  detail: string;
  /**
   * On failure, where the anomaly first shows, when one event is to blame: the virtual time and
   * the node (a timeline marks it there). Absent for properties of the end state alone
   * (convergence, order-independence) and on success.
   */
  at?: CheckAt;
  /**
   * On failure, when the check can tell: the kind of difference and the shape of the values
   * involved ("value-changed: string gained elements"), which explore's shrinker keeps.
   */
  signature?: string;
};

/** The node and virtual time of a check's first offending event. */
export type CheckAt = { t: number; node: string };

/** A failed check; `at` only when one event is to blame (an absent key, not an undefined one). */
export function failedCheck(name: string, expected: boolean, detail: string, at: CheckAt | undefined, signature?: string): CheckResult {
  const out: CheckResult = at === undefined ? { name, ok: false, expected, detail } : { name, ok: false, expected, detail, at };
  if (signature !== undefined) out.signature = signature;
  return out;
}

export type RunStats = {
  events: number;
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  simTimeMs: number;
  /** Virtual time at which all replicas last became equal, or null if they never converged. */
  convergedAtMs: number | null;
  /** Bytes of replication metadata on the wire (encoded messages), summed over all sends. */
  metadataBytes: number;
  /** Deliveries of update messages (delta or state after an update), anti-entropy excluded. */
  deliveredUpdates?: number;
  /** Only for a type whose merge answers (`answers: true`): answer messages sent (one per recipient). */
  answers?: number;
  /**
   * Only when the scenario declares services: per node, CRDT writes accepted (`crdtWrites`)
   * and, per service it used (`sequencer`, `transactions`), requests attempted / succeeded /
   * timed out / unfinished — CAP per side of a partition.
   */
  availability?: Record<string, Record<string, number | ServiceTally>>;
};

/**
 * One node's requests to one service. `unfinished`: lost in a crash of the asker, or still
 * waiting at the end. `latencyMs` (when any was answered): virtual ms from invocation to answer,
 * retries included — nearest-rank p50, p99 and the maximum.
 */
export type ServiceTally = { attempted: number; succeeded: number; timedOut: number; unfinished: number; latencyMs?: { p50: number; p99: number; max: number } };

export type Summary = {
  scenario: string;
  seed: number;
  crdt: string;
  /** Every check's `ok` equals its `expected`, and `expect.value` (if any) was met. */
  ok: boolean;
  traceHash: string;
  checks: CheckResult[];
  stats: RunStats;
  /** Each replica's final value, keyed by node. */
  final: Record<string, unknown>;
};

/** A version vector as printed in the trace: contiguous prefix per origin, gaps under "+". */
export type VV = { [origin: string]: number | { [origin: string]: number[] } };

/** Who caused a fault: a scenario step, or the nemesis (`by` is left out for a step on crash, restart, pause, resume). */
export type FaultCause = "step" | "nemesis";

/**
 * The events of trace.jsonl, one JSON object per line, the first `meta`. Every event has the
 * virtual time `t` and a `type`; the key order of each is the one written here (the writer,
 * sim/engine/trace.ts, owns it). Events that change a replica carry `vv` (the replica's
 * knowledge of updates) and `value` (its value afterwards). Service messages (sequencer, RAMP)
 * are `send`/`deliver`/… events too, with their message `kind`.
 */
export type MetaEvent = {
  t: 0;
  type: "meta";
  scenario: string;
  seed: number;
  crdt: string;
  nodes: string[];
  sync: "op" | "state" | "delta";
  antiEntropyMs: number;
  duration: number;
  clocks?: Record<string, { skew: number; drift: number }>;
  dedup?: boolean;
  causal?: boolean;
  syncLagMs?: number;
  antiEntropy?: "digest";
};
export type UpdateEvent = { t: number; type: "update"; node: string; op: string; args: unknown[]; id: [string, number]; vv: VV; value: unknown };
export type SendEvent = { t: number; type: "send"; msg: number; from: string; to: string; kind: string; bytes: number };
/** `kind`: only on a service message's delivery. */
export type DeliverEvent = { t: number; type: "deliver"; msg: number; to: string; from: string; vv: VV; value: unknown; kind?: string };
/** `step`: a scenario step dropped that message in flight (`{"drop": msg}`). */
export type DropReason = "loss" | "partition" | "crash" | "dedup" | "step";
export type DropEvent = { t: number; type: "drop"; msg: number; reason: DropReason };
export type DuplicateEvent = { t: number; type: "duplicate"; msg: number; of: number };
export type HoldEvent = { t: number; type: "hold" | "release"; msg: number };
/** A restart also carries what was recovered from durable storage. */
export type NodeEvent = { t: number; type: "crash" | "restart" | "pause" | "resume"; node: string; by?: "nemesis"; vv?: VV; value?: unknown };
/** A write became durable (acknowledged) at its node's group commit. */
export type AckEvent = { t: number; type: "ack"; node: string; id: [string, number] };
/** A crash lost writes not yet synced (never acknowledged, never sent). */
export type LostEvent = { t: number; type: "unsynced-lost"; node: string; records: number; updates: [string, number][] };
/** Op mode: a delivered message's ops were (partly) buffered until causally ready. */
export type BufferEvent = { t: number; type: "buffer"; msg: number; to: string; ops: number; buffered: number };
/** `clock`: the node's clock reading afterwards; `source` only when the nemesis did it. */
export type ClockJumpEvent = { t: number; type: "clock-jump"; node: string; by: number; clock: number; source?: "nemesis" };
export type ClockSkewEvent = { t: number; type: "clock-skew"; node: string; skew: number; clock: number; source: "nemesis" };
export type PartitionEvent = { t: number; type: "partition"; by: FaultCause; shape: string } & ({ groups: string[][] } | { links: [string, string][] });
export type CutEvent = { t: number; type: "cut"; links: [string, string][] };
/** `final`: the end of the run heals every partition before the final anti-entropy. */
export type HealEvent = { t: number; type: "heal"; by: FaultCause | "final" };
/** A step that found its node down: an op, a SQL statement or a service request (`op`: "next", "txn"). */
export type SkipEvent = { t: number; type: "skip"; node: string; reason: "crashed" | "paused" } & ({ op: string } | { sql: string });
export type SqlErrorEvent = { t: number; type: "sql-error"; node: string; step: number; reason: string };
export type ConvergedEvent = { t: number; type: "converged"; ok: boolean; at: number | null; rounds: number; values: Record<string, unknown> };
/** The sequencer's history as it happens (sim/services/sequencer.ts). */
export type SequencerEvent = { t: number; type: "seq"; node: string } & (
  | { event: "next" | "timeout"; name: string; req: number }
  | { event: "ok"; name: string; req: number; n: number }
  | { event: "assign"; name: string; req: number; client: string; n: number }
  | { event: "unsynced-lost"; records: number }
  | { event: "recover"; counters: Record<string, number> }
);
/** RAMP transactions as they happen (sim/services/ramp.ts); `ts` is the transaction's timestamp key. */
export type TransactionEvent = { t: number; type: "txn"; node: string } & (
  | { event: "rejected"; reason: string }
  | { event: "unsynced-lost"; records: number }
  | { event: "recover"; versions: number }
  | { event: "write"; ts: string; writes: Record<string, unknown> }
  | { event: "committed" | "write-timeout"; ts: string }
  | { event: "read"; read: number; keys: string[] }
  | { event: "read-ok"; read: number; values: Record<string, unknown>; versions: Record<string, unknown> }
  | { event: "read-timeout"; read: number }
);

export type TraceEvent =
  | MetaEvent
  | UpdateEvent
  | SendEvent
  | DeliverEvent
  | DropEvent
  | DuplicateEvent
  | HoldEvent
  | NodeEvent
  | AckEvent
  | LostEvent
  | BufferEvent
  | ClockJumpEvent
  | ClockSkewEvent
  | PartitionEvent
  | CutEvent
  | HealEvent
  | SkipEvent
  | SqlErrorEvent
  | ConvergedEvent
  | SequencerEvent
  | TransactionEvent;

export type Run = {
  summary: Summary;
  /** Canonical trace lines (JSON, no trailing newline each); absent with `trace: false` or `traceFile`. */
  trace?: string[];
  /** The file the trace was streamed to, in the compact format (sim/trace-format/), when the run was asked to. */
  traceFile?: string;
};

/** Every event type of the trace, as a value (the type checker keeps it equal to TraceEvent's). */
export const TRACE_EVENT_TYPES = Object.keys({
  meta: 0,
  update: 0,
  send: 0,
  deliver: 0,
  drop: 0,
  duplicate: 0,
  hold: 0,
  release: 0,
  crash: 0,
  restart: 0,
  pause: 0,
  resume: 0,
  ack: 0,
  "unsynced-lost": 0,
  buffer: 0,
  "clock-jump": 0,
  "clock-skew": 0,
  partition: 0,
  cut: 0,
  heal: 0,
  skip: 0,
  "sql-error": 0,
  converged: 0,
  seq: 0,
  txn: 0,
} satisfies Record<TraceEvent["type"], 0>) as TraceEvent["type"][];
