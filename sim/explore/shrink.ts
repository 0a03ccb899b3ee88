/**
 * Shrinking a failing scenario (delta debugging, fast-check style): repeatedly try smaller or
 * simpler candidates and keep the first that still fails the same check with the same signature
 * (the kind of difference and the shape of the values: sim/checkers/signature.ts), until a whole round
 * changes nothing or the run budget is spent. Moves, roughly from coarse to fine: drop chunks of
 * steps (halves, quarters, … single steps — ops and faults alike), drop nodes, switch network
 * and clock features off, simplify op arguments and clock jumps, pull step times together and
 * shorten the duration.
 *
 * When a whole round of those changes nothing, a second phase tries what they cannot: merging a
 * node into another (its ops kept, issued there, where dropping the node would take them), dropping
 * one node's ops (the node kept, still relaying), and removing windows of 2 and 3 neighbouring
 * steps at every offset (the chunks above are aligned: a pair that must go together but straddles
 * a chunk boundary never goes). If anything is kept, the first phase runs again. Every candidate
 * is a complete, valid scenario run through the same engine with the same seed, so the result
 * replays exactly as it was judged; candidates are tried in a fixed order (deterministic). A
 * candidate's run is judged for the check alone (idempotence and order-independence, the costly
 * checks, are left out when they are not it) and ends at the check's first violation with the
 * signature when the check fails during the run (idempotence, strong-convergence, change-events):
 * what follows cannot change its verdict. The kept scenario is run whole once at the end for the
 * report (and should that not fail the same way, the shrink is made again with whole runs).
 *
 * Before all that, a scenario whose network loses or duplicates messages is frozen (freeze.ts):
 * the losses and duplicates its run drew are named in `network.fates` (by link and instant of
 * the send) and no longer drawn — the same run, kept when it still fails the same way. Drawn,
 * a message's fate comes from the seeded stream in send order, so removing any step re-draws
 * the fate of every later message and a failure that needs particular losses is lost by almost
 * every candidate (sim/explore/shrink-stall.test.ts: the Yjs specimens stalled at 20-odd steps).
 * Named, a fate stays with its message; the first phase then also drops the fates of messages
 * the run no longer sends and removes chunks of the named fates (a message delivered after all
 * is a simpler scenario). What still stalls it: a failure that needs particular latencies
 * (drawn in send order too, and not frozen).
 */
import type { Crdt } from "../../core/contract.ts";
import type { Scenario } from "../scenario/types.ts";
import { canFreeze, fateCount, frozenScenario, prunedScenario, withFates } from "./freeze.ts";
import { argMoves, configMoves, jumpMoves, mergeNode, timeMoves, withoutNode, withoutOpsOf, withoutWindow } from "./shrink-moves.ts";
import { judge, sameFailure, signatureOf, type Verdict } from "./verdict.ts";

/** `stopEarly` (default true): end a candidate's run at the failure when its check fails during the run. */
export type ShrinkOptions = { maxRuns?: number; stopEarly?: boolean };
export type ShrinkResult = { scenario: Scenario; verdict: Verdict; runs: number; rounds: number; exhausted: boolean };

export const DEFAULT_SHRINK_RUNS = 3000;

export function shrink(start: Scenario, crdt: Crdt, crdtName: string, check: string, o: ShrinkOptions = {}): ShrinkResult {
  const maxRuns = o.maxRuns ?? DEFAULT_SHRINK_RUNS;
  let best = start;
  let verdict = judge(start, crdt, crdtName).verdict;
  // The failure's signature, kept while shrinking: a difference of another kind is another failure.
  const signature = signatureOf(verdict, check);
  // A check that fails during the run (not only at its end) decides at its first violation: a
  // candidate's run stops there, and the rest of it is not run (first-violation.ts).
  const stopAt = signature === undefined || o.stopEarly === false ? undefined : { check, signature };
  let runs = 1;
  let rounds = 0;
  /** Whether `verdict` is of a whole run of `best` (not one stopped at the failure). */
  let whole = true;
  /** Tries one candidate; keeps it when it still fails `check`. */
  const attempt = (c: Scenario | null): boolean => {
    if (!c || runs >= maxRuns) return false;
    runs++;
    const v = judge(c, crdt, crdtName, false, [], stopAt).verdict;
    if (!sameFailure(v, check, signature)) return false;
    best = c;
    verdict = v;
    whole = false;
    return true;
  };
  const firstOf = (cands: Scenario[]) => cands.some((c) => attempt(c));
  /** One traced run of the best scenario (the freeze and the pruning read its messages). */
  const traced = (): readonly string[] | null => {
    if (runs >= maxRuns) return null;
    runs++;
    return judge(best, crdt, crdtName, true).run?.trace ?? null;
  };

  if (canFreeze(best)) {
    const trace = traced();
    if (trace) attempt(frozenScenario(best, trace));
  }

  for (let again = true; again && runs < maxRuns;) {
    again = false;
    for (let changed = true; changed && runs < maxRuns;) {
      changed = false;
      rounds++;
      changed = dropChunks() || changed;
      for (const x of best.nodes) changed = attempt(withoutNode(best, x)) || changed;
      if (fateCount(best) > 0) {
        // The fates of messages this run no longer sends: the same run without them (not judged again).
        const trace = traced();
        if (trace) best = prunedScenario(best, trace);
        changed = dropFates("lost") || changed;
        changed = dropFates("duplicated") || changed;
      }
      while (firstOf(configMoves(best))) changed = true;
      for (let i = 0; i < (best.steps ?? []).length; i++) {
        while (firstOf(argMoves(best, i, crdt.ops))) changed = true;
        while (firstOf(jumpMoves(best, i))) changed = true;
      }
      while (firstOf(timeMoves(best))) changed = true;
    }
    // Second phase: moves that keep what one-at-a-time removal would lose.
    for (let i = 0; i < best.nodes.length && runs < maxRuns;) {
      const x = best.nodes[i]!;
      if (best.nodes.some((y) => attempt(mergeNode(best, x, y))) || attempt(withoutOpsOf(best, x))) again = true;
      else i++;
    }
    // Windows of 2 and 3 neighbouring steps at every offset (the first phase's chunks are aligned).
    for (const size of [2, 3])
      for (let i = 0; i + size <= (best.steps ?? []).length && runs < maxRuns;) {
        if (attempt(withoutWindow(best, i, size))) again = true;
        else i++;
      }
  }
  const exhausted = runs >= maxRuns;
  // The verdict of the whole run of what is kept (every check, for the report): not counted as a
  // shrink run. The run up to the failure is the same run, so the check fails the same way —
  // unless leaving the other checks out changed the run (a plugin whose clone or merge touches
  // what it must not, seen by the checks' copies): then the shrink is made again with whole runs.
  if (!whole) {
    verdict = judge(best, crdt, crdtName).verdict;
    if (!sameFailure(verdict, check, signature)) return shrink(start, crdt, crdtName, check, { ...o, stopEarly: false });
  }
  return { scenario: best, verdict, runs, rounds, exhausted };

  /** ddmin over the step list. */
  function dropChunks(): boolean {
    return ddmin(
      () => best.steps ?? [],
      (steps) => ({ ...best, steps }),
    );
  }

  /** ddmin over one list of named fates: a message lost or duplicated no more is a simpler network. */
  function dropFates(list: "lost" | "duplicated"): boolean {
    const other = list === "lost" ? "duplicated" : "lost";
    return ddmin(
      () => best.network?.fates?.[list] ?? [],
      (refs) => {
        const net = best.network!;
        const others = net.fates?.[other] ?? [];
        return { ...best, network: list === "lost" ? withFates(net, refs, others) : withFates(net, others, refs) };
      },
    );
  }

  /** Removes chunks of halving size from the list `get` reads (`put` makes the candidate); stays at a position after a success. */
  function ddmin<T>(get: () => readonly T[], put: (items: T[]) => Scenario): boolean {
    let any = false;
    for (let size = Math.max(1, Math.ceil(get().length / 2)); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let i = 0; i < get().length && runs < maxRuns;) {
        const items = get();
        if (attempt(put([...items.slice(0, i), ...items.slice(i + size)]))) any = true;
        else i += size;
      }
      if (size === 1) break;
    }
    return any;
  }
}

/** Sizes people read in a report: steps, nodes, which kinds of steps, and the messages named lost or duplicated (`network.fates`). */
export function sizeOf(sc: Scenario): { steps: number; nodes: number; ops: number; faults: number; fates: number } {
  const steps = sc.steps ?? [];
  const ops = steps.filter((s) => "op" in s).length;
  return { steps: steps.length, nodes: sc.nodes.length, ops, faults: steps.length - ops, fates: fateCount(sc) };
}
