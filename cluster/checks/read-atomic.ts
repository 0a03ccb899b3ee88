/**
 * read-atomic on a cluster history of a RAMP scenario (services.ramp mapped onto node
 * transactions, run-cluster.ts): every value a write transaction stores is `{ txn, value }`,
 * `txn` its token, the same for each key it writes, so a read's values say which transaction
 * each came from.
 *
 * A read R is **fractured** when it shows key k from write T, and for another key k2 that T
 * also wrote, a value that T overwrote: nothing (the key was never written) or the value of a
 * write T2 that surely happened before T — T2 was acknowledged by the same node before T was
 * invoked there (that node had applied T2 when it stamped T, so T2 can never win over T).
 * T itself may be acknowledged or indeterminate: R saw it, so it happened. Writes on different
 * nodes, or an indeterminate T2, are never ordered by wall-clock time (a register's winner
 * between concurrent writes is the register's choice), so they are never blamed.
 */
import { canonicalKey } from "../../core/index.ts";
import type { CheckResult } from "../../sim/index.ts";
import type { HistoryEntry } from "../history.ts";

type Write = { entry: HistoryEntry; token: string; keys: string[] };

const tokenOf = (v: unknown): string | undefined =>
  v !== null && typeof v === "object" && typeof (v as { txn?: unknown }).txn === "string" ? (v as { txn: string }).txn : undefined;

export function readAtomic(history: readonly HistoryEntry[], expected: boolean): CheckResult {
  const writes = new Map<string, Write>();
  for (const h of history) {
    const a = h.op === "txn" ? (h.args[0] as { write?: Record<string, unknown>; token?: string } | undefined) : undefined;
    if (a?.write && a.token !== undefined && h.type !== "fail") writes.set(a.token, { entry: h, token: a.token, keys: Object.keys(a.write) });
  }
  /** T2 surely happened before T: acknowledged by T's node before T was invoked there. */
  const before = (t2: Write, t: Write) => t2.entry.type === "ok" && t2.entry.node === t.entry.node && t2.entry.complete < t.entry.invoke;
  const reads = history.filter((h) => h.op === "txn" && h.type === "ok" && (h.args[0] as { read?: unknown } | undefined)?.read !== undefined);
  let seen = 0;
  for (const r of reads) {
    const values = (r.value ?? {}) as Record<string, unknown>;
    // Each write transaction the read shows (by the first key it shows it on), then every other key it wrote.
    const shown = new Map<string, string>();
    for (const [k, v] of Object.entries(values)) {
      const tok = tokenOf(v);
      if (tok !== undefined && writes.has(tok) && !shown.has(tok)) shown.set(tok, k);
    }
    for (const [tok, k] of shown) {
      const t = writes.get(tok)!;
      seen++;
      for (const k2 of t.keys) {
        if (!(k2 in values)) continue;
        const v2 = values[k2];
        const tok2 = tokenOf(v2);
        const t2 = tok2 === undefined ? undefined : writes.get(tok2);
        const stale =
          v2 === null || v2 === undefined
            ? "nothing (never written)"
            : t2 && t2 !== t && before(t2, t)
              ? `${canonicalKey(v2)} from ${t2.token} (acknowledged at ${t2.entry.complete} ms)`
              : undefined;
        if (stale)
          return {
            name: "read-atomic",
            ok: false,
            expected,
            detail: `${r.node}'s read at ${r.invoke}–${r.complete} ms (history entry ${r.index}) is fractured: ${k} = ${canonicalKey(values[k])} from ${t.token} (${t.entry.node}'s write invoked at ${t.entry.invoke} ms, which also wrote ${k2}), but ${k2} = ${stale}, which ${t.token} overwrote`,
            at: { t: Math.round(r.complete), node: r.node },
          };
      }
    }
  }
  return {
    name: "read-atomic",
    ok: true,
    expected,
    detail: `${reads.length} acknowledged reads, ${writes.size} write transactions that may have happened: no read showed part of one (${seen} transactions seen by reads, each checked on every key it wrote; writes on different nodes are not ordered by wall-clock time)`,
  };
}
