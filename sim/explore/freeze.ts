/**
 * Freezing a failing run's network fates, so that the shrinker can take steps away without
 * re-drawing them. A run draws each message's loss and duplication from its seeded streams in
 * send order: remove one step and every later message gets another fate, and a failure that
 * needs particular losses is lost by almost every candidate (shrink-stall.test.ts). Frozen, the
 * scenario names the messages that were lost or duplicated (`network.fates`, by link, instant of
 * the send and rank in that instant: sim/engine/message-fates.ts) and draws none: the same run
 * (the same trace, the same traceHash — the latency and reorder draws happen for the same
 * messages in the same order), but a message keeps its fate when an unrelated step goes.
 *
 * Read from the run's canonical trace: a `drop` with reason `loss` is a drawn loss; a drawn
 * duplicate is the `duplicate` line that follows its original's `send` (with at most that
 * message's hold or partition drop between), where a step's `{"duplicate": id}` comes later.
 */
import type { MessageRef, Scenario } from "../scenario/types.ts";

type Line = { t: number; type: string; msg?: number; from?: string; to?: string; of?: number; reason?: string };

/** Every replica send's name in `trace` by message id, and the drawn losses and duplicates. */
export function readFates(trace: readonly string[]): { sent: Map<number, MessageRef>; lost: MessageRef[]; duplicated: MessageRef[] } {
  const sent = new Map<number, MessageRef>();
  const lost: MessageRef[] = [];
  const duplicated: MessageRef[] = [];
  const rank = new Map<string, { at: number; n: number }>();
  let pending: number | null = null;
  for (const text of trace) {
    // Only the lines that matter are parsed: values in update lines can be long.
    if (!/^\{"t":[^,]*,"type":"(send|drop|duplicate|hold)"/.test(text)) {
      pending = null;
      continue;
    }
    const e = JSON.parse(text) as Line;
    if (e.type === "send") {
      const link = `${e.from}\u0000${e.to}`;
      const r = rank.get(link);
      const nth = r && r.at === e.t ? r.n + 1 : 0;
      rank.set(link, { at: e.t, n: nth });
      const ref: MessageRef = nth === 0 ? { from: e.from!, to: e.to!, at: e.t } : { from: e.from!, to: e.to!, at: e.t, nth };
      sent.set(e.msg!, ref);
      pending = e.msg!;
    } else if (e.type === "duplicate") {
      if (e.of === pending && sent.has(e.of)) duplicated.push(sent.get(e.of)!);
      pending = null;
    } else {
      if (e.type === "drop" && e.reason === "loss" && sent.has(e.msg!)) lost.push(sent.get(e.msg!)!);
      if (e.msg !== pending) pending = null;
    }
  }
  return { sent, lost, duplicated };
}

/** Whether `sc`'s network draws fates a freeze can name: loss or duplication, and no services (their messages are not named). */
export function canFreeze(sc: Scenario): boolean {
  const net = sc.network;
  return !sc.services && ((net?.loss ?? 0) > 0 || (net?.duplicate ?? 0) > 0);
}

/** `sc` with the fates its run drew (`trace`) named, and `loss` and `duplicate` off; null when there is nothing to freeze. */
export function frozenScenario(sc: Scenario, trace: readonly string[]): Scenario | null {
  if (!canFreeze(sc)) return null;
  const { lost, duplicated } = readFates(trace);
  const { loss: _l, duplicate: _d, fates: _f, ...net } = sc.network ?? {};
  return { ...sc, network: withFates(net, lost, duplicated) };
}

/** `sc` without the named fates its run (`trace`) never met: the same run, a shorter list. */
export function prunedScenario(sc: Scenario, trace: readonly string[]): Scenario {
  const f = sc.network?.fates;
  if (!f) return sc;
  const met = new Set<string>();
  for (const r of readFates(trace).sent.values()) met.add(refKey(r));
  const keep = (refs: MessageRef[] | undefined) => (refs ?? []).filter((r) => met.has(refKey(r)));
  const { fates: _f, ...net } = sc.network!;
  return { ...sc, network: withFates(net, keep(f.lost), keep(f.duplicated)) };
}

/** How many messages `sc` names a fate for. */
export function fateCount(sc: Scenario): number {
  const f = sc.network?.fates;
  return (f?.lost?.length ?? 0) + (f?.duplicated?.length ?? 0);
}

/** A network spec with these fates (no `fates` key when both lists are empty). */
export function withFates(net: NonNullable<Scenario["network"]>, lost: MessageRef[], duplicated: MessageRef[]): NonNullable<Scenario["network"]> {
  const { fates: _f, ...rest } = net;
  if (!lost.length && !duplicated.length) return rest;
  const fates: NonNullable<typeof net.fates> = {};
  if (lost.length) fates.lost = lost;
  if (duplicated.length) fates.duplicated = duplicated;
  return { ...rest, fates };
}

const refKey = (r: MessageRef) => `${r.from}\u0000${r.to}\u0000${r.at}\u0000${r.nth ?? 0}`;
