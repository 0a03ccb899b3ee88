/**
 * The first violation of a check, kept in full, and how many there were in all. A long run can
 * violate a property thousands of times; the report names the first (its time, node and the
 * failure's signature for the shrinker) and counts the rest, so the message stays one line.
 */
import { failedCheck, type CheckAt, type CheckResult } from "../run-types.ts";

export class FirstViolation {
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
