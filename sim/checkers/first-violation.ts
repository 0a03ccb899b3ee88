/**
 * The first violation of a check, kept in full, and how many there were in all. A long run can
 * violate a property thousands of times; the report names the first (its time, node and the
 * failure's signature for the shrinker) and counts the rest, so the message stays one line.
 */
import { failedCheck, type CheckAt, type CheckResult } from "../run-types.ts";

/**
 * A check and the signature of its failure: a run asked to stop there (the engine's `stopAt`)
 * ends, by throwing {@link RunStopped}, at the first violation of that check with that
 * signature. The shrinker asks it (sim/explore/verdict.ts): a check that fails during the run
 * fails with its first violation's signature whatever comes after, so the rest of the run (the
 * final phase, the other checks) cannot change whether a candidate keeps the failure. Such a
 * run is judged for that check: the two costly checks that are not it — idempotence (a copy
 * and a merge per delivery) and order-independence (replays at the end) — are not computed.
 */
export type StopAt = { check: string; signature: string };

/** Thrown by a check at the violation its run was asked to stop at; the run is abandoned. */
export class RunStopped extends Error {
  constructor(
    readonly check: string,
    readonly signature: string,
    readonly detail: string,
  ) {
    super(`stopped at the first violation of ${check}: ${detail}`);
    this.name = "RunStopped";
  }
}

/** What a check's FirstViolation calls with its first violation: throws when the run is to stop there. */
export type OnFirst = (signature: string, text: string) => void;

/** The hook for check `name`, when `stopAt` names it (and its failure counts: `expected`); else null. */
export function stopperFor(name: string, stopAt: StopAt | undefined, expected: boolean): OnFirst | null {
  if (stopAt === undefined || stopAt.check !== name || !expected) return null;
  const want = stopAt.signature;
  return (signature, text) => {
    if (signature === want) throw new RunStopped(name, signature, text);
  };
}

export class FirstViolation {
  /** `onFirst`: told of the first violation once it is kept (a run asked to stop there throws). */
  constructor(private readonly onFirst: OnFirst | null = null) {}

  /** Violations seen so far. */
  count = 0;
  private text = "";
  private signature = "";
  private at: CheckAt | undefined = undefined;

  /**
   * Counts a violation; the first one's description is kept. `describe` is called only for the
   * first, so building the message costs nothing on the later ones.
   */
  record(at: CheckAt | undefined, describe: () => { text: string; signature: string }): void {
    if (this.count++ > 0) return;
    const d = describe();
    this.at = at;
    this.text = d.text;
    this.signature = d.signature;
    if (this.onFirst !== null) this.onFirst(d.signature, d.text);
  }

  /** The first violation's text (empty when there was none). */
  get first(): string {
    return this.text;
  }

  /** "3 violations", "1 violation". */
  counted(): string {
    return `${this.count} violation${this.count === 1 ? "" : "s"}`;
  }

  /** The failed result, carrying the first violation's time, node and signature. */
  fail(name: string, expected: boolean, detail: string): CheckResult {
    return failedCheck(name, expected, detail, this.at, this.signature);
  }
}
