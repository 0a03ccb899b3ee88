/**
 * The words a run's outcome is told in, in every view — the CLI's `run` block and `start` table,
 * the gallery card, the timeline page and timeline.svg, report.md — so one verdict reads the
 * same everywhere. "pass" alone would file a scenario whose whole point is a lost update next to
 * the ones where nothing went wrong: when the scenario expected an anomaly and the checker
 * caught it, the verdict says so ("anomaly shown (expected)"), and is still a pass of the
 * scenario's expectations (exit 0).
 */
import type { CheckResult, RunStats } from "../../sim/run-types.ts";
import { serviceOfCheck } from "../../sim/checkers/catalogue.ts";

export type Verdict = {
  /** CSS class: pass (green), shown (amber: the anomaly the scenario demonstrates), fail (red). */
  cls: "pass" | "shown" | "fail";
  badge: string;
  /** What the badge means, for a tooltip. */
  title: string;
  /** The expected anomalies the checker caught: what the scenario demonstrates. */
  caught: CheckResult[];
};

export const VERDICT_COLOUR = { pass: "#15803d", shown: "#b45309", fail: "#b91c1c" } as const;

/** The one word (phrase) per verdict. */
export const VERDICT_WORD = { pass: "pass", shown: "anomaly shown (expected)", fail: "FAIL" } as const;
/** Whether the scenario's expectations were met: ✓ for pass and for an anomaly it set out to show. */
export const VERDICT_MARK = { pass: "✓", shown: "✓", fail: "✗" } as const;
/** A scenario that could not be run at all (bad input) in a table of verdicts. */
export const NOT_RUN = "✗ invalid";

/** How one check came out, and what the scenario expected of it. */
export const checkOutcomeWord = (ok: boolean): string => (ok ? "held" : "anomaly");
export const checkExpectedWord = (expected: boolean): string => (expected ? "holds" : "anomaly");

/** A run's convergence in words: never a null, -1 or Infinity. */
export const convergenceWords = (convergedAtMs: number | null, fmt: (ms: number) => string): string =>
  convergedAtMs === null ? "never converged" : `converged at ${fmt(convergedAtMs)}`;

export function verdictOf(ok: boolean, checks: readonly CheckResult[]): Verdict {
  const caught = checks.filter((c) => !c.expected && !c.ok);
  if (!ok) return { cls: "fail", badge: VERDICT_WORD.fail, title: "not what the scenario expects: a check disagrees with its expectation", caught };
  if (caught.length)
    return {
      cls: "shown",
      badge: VERDICT_WORD.shown,
      title: `as expected, the checker caught the anomaly this scenario demonstrates: ${caught.map((c) => c.name).join(", ")}`,
      caught,
    };
  return { cls: "pass", badge: VERDICT_WORD.pass, title: "every check held as the scenario expects", caught };
}

/** The verdict with its mark, as the text views print it: "✓ pass", "✓ anomaly shown (expected)", "✗ FAIL". */
export function verdictLabel(v: Pick<Verdict, "cls">): string {
  return `${VERDICT_MARK[v.cls]} ${VERDICT_WORD[v.cls]}`;
}

/** The label and, for an anomaly shown, which checks caught it: "✓ anomaly shown (expected): no-lost-writes caught". */
export function verdictSentence(v: Verdict): string {
  return v.cls === "shown" ? `${verdictLabel(v)}: ${v.caught.map((c) => c.name).join(", ")} caught` : verdictLabel(v);
}

/** The checker's name for a check, as a phrase a student reads ("counter-total" → "counter total"). */
export const checkPhrase = (name: string): string => name.replace(/-/g, " ");

/**
 * A run of services only (sequencer, RAMP) still names a CRDT, whose checks then hold
 * trivially: no replica was written. Those are folded into one muted line, so a reader sees the
 * checks that speak about the run (sequencer-unique, read-atomic, …) instead of counter-total
 * beside a RAMP transaction. A check that failed or is expected to fail is never folded, nor
 * `durability` once RAMP transactions ran: it then also vouches for every committed transaction.
 */
export function foldIdleChecks(s: { checks: readonly CheckResult[]; stats: RunStats | null }): { shown: CheckResult[]; idle: CheckResult[] } {
  if (!servicesOnly(s.stats)) return { shown: [...s.checks], idle: [] };
  const txns = Object.values(s.stats!.availability!).some((a) => a.transactions !== undefined);
  const fold = (c: CheckResult) => serviceOfCheck(c.name) === undefined && !(txns && c.name === "durability") && c.ok && c.expected;
  return { shown: s.checks.filter((c) => !fold(c)), idle: s.checks.filter(fold) };
}

/** A run of services only: services were declared (availability is reported) and no replica accepted a CRDT write. */
export function servicesOnly(stats: RunStats | null): boolean {
  const avail = stats?.availability;
  return avail !== undefined && Object.values(avail).every((a) => a.crdtWrites === 0);
}

/** How a run names its type: the CRDT, or (services only) the fact that none was written, with the idle type named. */
export function typeLabel(crdt: string, stats: RunStats | null): string {
  return servicesOnly(stats) ? `services only (${crdt} idle)` : crdt;
}

/** The folded line's text and tooltip. */
export function idleChipText(idle: readonly CheckResult[]): { text: string; title: string } {
  return {
    text: `✓ ${idle.length} replication check${idle.length === 1 ? "" : "s"} · no CRDT writes`,
    title: `held trivially, nothing was replicated: ${idle.map((c) => c.name).join(", ")}`,
  };
}
