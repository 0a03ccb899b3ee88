/**
 * A run's history in Elle's JSON history format (elle-cli reads it): one object per operation
 * event, `{index, time, process, type, f, value}`, `type` "invoke" then "ok" / "fail" / "info".
 * Register writes and reads and RAMP transactions are `f: "txn"` with micro-ops
 * `["w", key, value]` / `["r", key, value]` (a register's key is "value", a RAMP key its name; in
 * a cluster run's history a RAMP value is its write transaction's token),
 * the shape of Elle's rw-register checker; a set's adds and a counter's increments are Jepsen's
 * `set` and `counter` histories (`f: "add"`, and the final `read` of each node). A simulated run's updates are instantaneous (invoke and ok at the same time); a
 * cluster run's have their wall-clock invoke and completion times. `time` is in nanoseconds.
 */
import type { HistoryEntry } from "../history.ts";

export type ElleOp = { index: number; time: number; process: number; type: "invoke" | "ok" | "fail" | "info"; f: string; value: unknown };

const REGISTERS = ["lww-register", "mv-register"];

/**
 * A non-register op as Elle's models name it: a counter's inc/dec is Jepsen's counter `add`
 * (a dec as a negative add — that model assumes none), a set's add stays `add` (Jepsen's set).
 */
function plainOp(op: string, arg: unknown): { f: string; value: unknown } {
  if (op === "inc" || op === "dec") {
    const n = typeof arg === "number" ? arg : 1;
    return { f: "add", value: op === "dec" ? -n : n };
  }
  return { f: op, value: arg ?? null };
}

/** Hands out process numbers so that no process has two operations open at once (Elle's model of a client). */
class Processes {
  private readonly busy = new Map<string, Set<number>>();
  private next = 0;
  private readonly of = new Map<string, number[]>();
  take(node: string): number {
    const free = (this.of.get(node) ?? []).find((p) => !this.busy.get(node)?.has(p));
    const p = free ?? this.next++;
    if (free === undefined) this.of.set(node, [...(this.of.get(node) ?? []), p]);
    const b = this.busy.get(node) ?? new Set<number>();
    b.add(p);
    this.busy.set(node, b);
    return p;
  }
  release(node: string, p: number): void {
    this.busy.get(node)?.delete(p);
  }
}

type Pending = { at: number; node: string; invoke: Omit<ElleOp, "index" | "process">; end: Omit<ElleOp, "index" | "process"> };

function ordered(ops: Pending[]): ElleOp[] {
  const events: { t: number; open: boolean; p: Pending; seq: number }[] = [];
  ops.forEach((p, seq) => {
    events.push({ t: p.invoke.time, open: true, p, seq });
    events.push({ t: p.end.time, open: false, p, seq });
  });
  // By time; at the same instant an op's invoke before its completion, completions before new invocations.
  events.sort((a, b) => a.t - b.t || (a.seq === b.seq ? (a.open ? -1 : 1) : a.open === b.open ? a.seq - b.seq : a.open ? 1 : -1));
  const procs = new Processes();
  const procOf = new Map<Pending, number>();
  const out: ElleOp[] = [];
  for (const e of events) {
    if (e.open) {
      const p = procs.take(e.p.node);
      procOf.set(e.p, p);
      out.push({ index: out.length, process: p, ...e.p.invoke });
    } else {
      const p = procOf.get(e.p)!;
      procs.release(e.p.node, p);
      out.push({ index: out.length, process: p, ...e.p.end });
    }
  }
  return out;
}

const ns = (ms: number) => Math.round(ms * 1e6);

/** Elle ops from a simulated run's trace lines (sim/run-types.ts TraceEvent, as JSON). */
export function elleFromTrace(traceLines: readonly string[], crdt: string): ElleOp[] {
  const ops: Pending[] = [];
  const writes = new Map<string, Pending>();
  const reads = new Map<string, Pending>();
  const register = REGISTERS.includes(crdt);
  for (const line of traceLines) {
    if (line.trim() === "") continue;
    const e = JSON.parse(line) as Record<string, unknown> & { t: number; type: string; node?: string };
    const node = String(e.node ?? "");
    if (e.type === "update") {
      const args = (e.args as unknown[]) ?? [];
      const { f, value } = register ? { f: "txn", value: [["w", "value", args[0] ?? null]] } : plainOp(String(e.op), args[0]);
      ops.push({ at: e.t, node, invoke: { time: ns(e.t), type: "invoke", f, value }, end: { time: ns(e.t), type: "ok", f, value } });
    } else if (e.type === "txn") {
      const ev = String(e.event);
      if (ev === "write") {
        const w = Object.entries(e.writes as Record<string, unknown>).map(([k, v]) => ["w", k, v]);
        const p: Pending = { at: e.t, node, invoke: { time: ns(e.t), type: "invoke", f: "txn", value: w }, end: { time: ns(e.t), type: "info", f: "txn", value: w } };
        writes.set(String(e.ts), p);
        ops.push(p);
      } else if (ev === "committed" || ev === "write-timeout") {
        const p = writes.get(String(e.ts));
        if (p) p.end = { ...p.end, time: ns(e.t), type: ev === "committed" ? "ok" : "info" };
      } else if (ev === "read") {
        const r = (e.keys as string[]).map((k) => ["r", k, null]);
        const p: Pending = { at: e.t, node, invoke: { time: ns(e.t), type: "invoke", f: "txn", value: r }, end: { time: ns(e.t), type: "info", f: "txn", value: r } };
        reads.set(`${node}/${String(e.read)}`, p);
        ops.push(p);
      } else if (ev === "read-ok" || ev === "read-timeout") {
        const p = reads.get(`${node}/${String(e.read)}`);
        if (!p) continue;
        const values = (e.values ?? {}) as Record<string, unknown>;
        const r = ev === "read-ok" ? Object.entries(values).map(([k, v]) => ["r", k, v ?? null]) : p.end.value;
        p.end = { time: ns(e.t), type: ev === "read-ok" ? "ok" : "info", f: "txn", value: r };
      }
    }
  }
  // Unfinished operations stay open ("info" at the end of the run), as Elle expects of a crashed client.
  return ordered(ops);
}

/** Elle ops from a cluster run's history (history.jsonl): wall-clock invoke and completion. */
export function elleFromHistory(history: readonly HistoryEntry[], crdt: string): ElleOp[] {
  const register = REGISTERS.includes(crdt);
  const ops: Pending[] = history.map((h) => {
    if (h.op === "txn") return rampTxn(h);
    const read = h.op === "read";
    const plain = plainOp(h.op, h.args[0]);
    const f = register ? "txn" : plain.f;
    const inValue = register ? [read ? ["r", "value", null] : ["w", "value", h.args[0] ?? null]] : read ? null : plain.value;
    const outValue = read && h.type === "ok" ? (register ? [["r", "value", h.value ?? null]] : (h.value ?? null)) : inValue;
    return { at: h.invoke, node: h.node, invoke: { time: ns(h.invoke), type: "invoke", f, value: inValue }, end: { time: ns(h.complete), type: h.type, f, value: outValue } };
  });
  return ordered(ops);
}

/**
 * A cluster run's RAMP transaction (run-cluster.ts): a write `[["w", k, token]…]`, a read
 * `[["r", k, token]…]`, the token naming the write transaction whose value the key showed (null:
 * never written) — unique per key, as Elle's rw-register checker needs.
 */
function rampTxn(h: HistoryEntry): Pending {
  const a = (h.args[0] ?? {}) as { write?: Record<string, unknown>; token?: string; read?: string[] };
  const token = (v: unknown) => (v !== null && typeof v === "object" && "txn" in v ? ((v as { txn: unknown }).txn ?? null) : null);
  const inValue = a.write ? Object.keys(a.write).map((k) => ["w", k, a.token ?? null]) : (a.read ?? []).map((k) => ["r", k, null]);
  const values = (h.value ?? {}) as Record<string, unknown>;
  const outValue = !a.write && h.type === "ok" ? (a.read ?? []).map((k) => ["r", k, token(values[k])]) : inValue;
  return {
    at: h.invoke,
    node: h.node,
    invoke: { time: ns(h.invoke), type: "invoke", f: "txn", value: inValue },
    end: { time: ns(h.complete), type: h.type, f: "txn", value: outValue },
  };
}
