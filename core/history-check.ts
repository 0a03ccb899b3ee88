/**
 * A history checker's verdict (the sequencer's and RAMP's checkers): on failure, the first
 * offending event and its index into the history, so a caller can place it in time. The one
 * type for both services; the simulator turns it into a run's check result (sim/services/check-result.ts).
 */
export type CheckResult<E> = { ok: true; detail: string } | { ok: false; detail: string; index: number; event: E };
