/**
 * The recorded history of a cluster run: one entry per client operation, with wall-clock ms
 * (since the run's start) at invocation and completion. `type` is Jepsen's: "ok" (the node
 * acknowledged it: durable there), "fail" (it surely did not happen: refused, or its node was
 * down so it was never sent), "info" (indeterminate: the connection died or the answer did not
 * come in time — it may or may not have happened).
 */
export type HistoryEntry = {
  index: number;
  node: string;
  /** "read" entries are the final reads of each node's state. */
  op: string;
  args: unknown[];
  invoke: number;
  complete: number;
  type: "ok" | "fail" | "info";
  /** A read's value; a failure's reason. */
  value?: unknown;
  error?: string;
  /** An acknowledged update: what the node's acknowledgement said of it (its dot, causal past and, for a register, the write). */
  ack?: AckRecord;
  /** A register's final read: the writes its value shows and the node's causal context. */
  state?: StateRecord;
};

/**
 * A register write as a node's state tells it apart from every other: an MV-Register entry's dot
 * (replica, counter) or an LWW write's timestamp and writer, with the value written.
 */
export type RegisterWrite = { value: unknown; dot?: [string, number]; ts?: { l: number; c: number }; writer?: string };

/**
 * An acknowledged update: `dot` its store dot (origin, seq); `known` what its node had applied of
 * the collection when it made it (a causal context: the version vector and the dots beyond it);
 * `write`, for a register, the write its delta carries (null: an LWW write stamped below what its
 * node held, which takes no effect anywhere).
 */
export type AckRecord = { dot: [string, number]; known: KnownJson; write?: RegisterWrite | null };
/** A register's final state on a node: the writes its value shows, and every update the node has applied. */
export type StateRecord = { present: RegisterWrite[]; known: KnownJson };
export type KnownJson = { vv: Record<string, number>; cloud: [string, number][] };

export class HistoryRecorder {
  readonly entries: HistoryEntry[] = [];

  constructor(private readonly start: number) {}

  now(): number {
    return Math.round((performance.now() - this.start) * 10) / 10;
  }

  /** Runs `call` as one operation of `node` and records it; never rejects. `meta` sets an answer's ack or state record (and may replace its value). */
  async record(
    node: string,
    op: string,
    args: unknown[],
    call: () => Promise<unknown>,
    timeoutMs: number,
    meta?: (value: unknown, entry: HistoryEntry) => unknown,
  ): Promise<HistoryEntry> {
    const invoke = this.now();
    const entry: HistoryEntry = { index: -1, node, op, args, invoke, complete: invoke, type: "info" };
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([call(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Timeout()), timeoutMs)))]);
      entry.type = "ok";
      const v = meta ? meta(value, entry) : value;
      if (v !== undefined) entry.value = v;
    } catch (e) {
      // A refused request ("bad-request") surely did nothing; a timeout or a lost connection may have done it.
      const kind = (e as { kind?: string }).kind;
      entry.type = kind === "bad-request" ? "fail" : "info";
      entry.error = e instanceof Timeout ? `no answer within ${timeoutMs} ms` : e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
    }
    entry.complete = this.now();
    entry.index = this.entries.length;
    this.entries.push(entry);
    return entry;
  }

  /** An operation never sent: its node was down (crashed, restarting or paused). */
  skipped(node: string, op: string, args: unknown[], why: string): void {
    const t = this.now();
    this.entries.push({ index: this.entries.length, node, op, args, invoke: t, complete: t, type: "fail", error: why });
  }
}

class Timeout extends Error {}
