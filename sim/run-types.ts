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
};

/** The node and virtual time of a check's first offending event. */
export type CheckAt = { t: number; node: string };

/** A failed check; `at` only when one event is to blame (an absent key, not an undefined one). */
export function failedCheck(name: string, expected: boolean, detail: string, at: CheckAt | undefined): CheckResult {
  return at === undefined ? { name, ok: false, expected, detail } : { name, ok: false, expected, detail, at };
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

/**
 * One line of trace.jsonl. Every event has the virtual time `t` and a `type`; the first line is
 * `{ t: 0, type: "meta", ... }`. Events that change a replica carry `vv` (the replica's knowledge
 * of updates, as a version vector over update origins) and `value` (its value afterwards).
 */
export type TraceEvent = { t: number; type: string; [field: string]: unknown };

export type Run = {
  summary: Summary;
  /** Canonical trace lines (JSON, no trailing newline each); absent with `trace: false`. */
  trace?: string[];
};
