/**
 * no-lost-writes for a register on a cluster history: the simulator's check (a write that
 * happened-after another is never overwritten by it) with causality taken from what the nodes
 * said, not from wall-clock times. Every acknowledged write carries its store dot and `known`,
 * the causal context its node had when it made it; every final read carries the writes its value
 * shows (an MV entry's dot, the LWW winner's timestamp) — history.ts, registers.ts.
 *
 * Write s happened before write w when w's `known` holds s's dot (w's node had applied s when
 * it wrote w). An acknowledged write w is **lost** on node n when n's final value
 * 1. shows a write s that happened before w (w should have overwritten it), or
 * 2. does not show w, and no write it shows supersedes w: s supersedes w when s's `known` holds
 *    w's dot, or (LWW) s's timestamp beats w's — concurrent writes are decided by timestamp,
 *    that is LWW's contract;
 * 3. or w's node acknowledged another write with the same dot (the dot was reused: the first
 *    write was lost before anything could know it).
 * A shown value whose write was not acknowledged (indeterminate) has no known causal past: where
 * only it could supersede w (an MV entry), w is left undecided, never blamed; likewise an LWW
 * write that took no effect (stamped below what its node held) beside a winner concurrent with it.
 */
import { canonicalKey } from "../../core/index.ts";
import type { CheckResult } from "../../sim/index.ts";
import type { AckRecord, HistoryEntry, KnownJson, RegisterWrite } from "../history.ts";
import { compareLww, type RegisterKind, sameWrite } from "../registers.ts";

type Acked = HistoryEntry & { ack: AckRecord };

const has = (k: KnownJson, [r, c]: [string, number]): boolean => (k.vv[r] ?? 0) >= c || k.cloud.some(([x, y]) => x === r && y === c);
const dotText = ([r, c]: [string, number]) => `${r}:${c}`;
const showW = (w: RegisterWrite | null | undefined): string =>
  w == null ? "no effect" : `${canonicalKey(w.value)} ${w.dot ? `(entry dot ${dotText(w.dot)})` : `(timestamp ${w.ts!.l}.${w.ts!.c} by ${w.writer})`}`;
const entryText = (w: Acked) => `${w.node}'s write ${dotText(w.ack.dot)} of ${canonicalKey(w.args[0])} (acknowledged at ${w.complete} ms, history entry ${w.index})`;

export function noLostWrites(kind: RegisterKind, history: readonly HistoryEntry[], expected: boolean): CheckResult {
  const fail = (detail: string, w: Acked): CheckResult => ({ name: "no-lost-writes", ok: false, expected, detail, at: { t: Math.round(w.complete), node: w.node } });
  const acked = history.filter((h): h is Acked => h.op === "set" && h.type === "ok" && h.ack !== undefined);
  // 3. A dot acknowledged twice.
  const byDot = new Map<string, Acked>();
  for (const w of acked) {
    const key = dotText(w.ack.dot);
    const first = byDot.get(key);
    if (first)
      return fail(`${w.node} acknowledged two writes with the same dot ${key}: ${entryText(first)} and ${entryText(w)} — the first was lost before its dot was used again`, first);
    byDot.set(key, w);
  }
  const reads = history.filter((h) => h.op === "read" && h.type === "ok" && h.state !== undefined);
  let undecided = 0;
  let shownCount = 0;
  for (const r of reads) {
    const st = r.state!;
    shownCount += st.present.length;
    // The acknowledged write of each shown value, where there is one.
    const shown = st.present.map((p) => ({ p, s: acked.find((w) => w.ack.write && sameWrite(w.ack.write, p)) }));
    for (const w of acked) {
      // 1. A shown write that happened before w.
      for (const { p, s } of shown)
        if (s && s !== w && has(w.ack.known, s.ack.dot))
          return fail(
            `${r.node} shows ${showW(p)} from ${entryText(s)}, but ${entryText(w)} happened after it (${w.node} had applied ${dotText(s.ack.dot)}) and is lost: ` +
              `it wrote ${showW(w.ack.write)}`,
            w,
          );
      // 2. Not shown, and nothing shown supersedes it.
      const mine = w.ack.write;
      if (mine && st.present.some((p) => sameWrite(p, mine))) continue;
      let decided = true;
      const superseded = shown.some(({ p, s }) => {
        if (s && has(s.ack.known, w.ack.dot)) return true;
        if (kind === "lww") {
          if (!mine) {
            decided = false; // no timestamp to compare: concurrent with a winner it did not see, LWW may pick either
            return false;
          }
          return compareLww(p, mine) > 0;
        }
        if (!s) decided = false; // an indeterminate write's causal past is unknown
        return false;
      });
      if (superseded) continue;
      if (!decided) {
        undecided++;
        continue;
      }
      const arrived = has(st.known, w.ack.dot) ? `${r.node} applied it` : `${r.node} never received it`;
      const showing = st.present.length === 0 ? "nothing" : st.present.map(showW).join(", ");
      return fail(
        `${r.node} shows ${showing}: ${entryText(w)} is lost — ${arrived}, and no write it shows had seen it${kind === "lww" ? " or carries a larger timestamp" : ""}`,
        w,
      );
    }
  }
  return {
    name: "no-lost-writes",
    ok: true,
    expected,
    detail:
      `${acked.length} acknowledged writes, ${shownCount} shown values on ${reads.length} nodes: each write shown or superseded by one that had seen it` +
      (kind === "lww" ? " or carries a larger timestamp" : "") +
      (undecided ? ` (${undecided} left undecided: superseded only, if at all, by a write whose answer never came)` : ""),
  };
}
