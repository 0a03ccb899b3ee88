/**
 * `xs[i]` in the sequence engines, where the index is in range by construction: a loop bound, a
 * binary search's bounds, the position cursor the engine keeps consistent with its chunks. A
 * missing entry means one of those invariants is broken; this says which structure and index,
 * where it happens, instead of letting undefined flow on into a wrong document.
 *
 * A function of its own (not inlined checks) so the hot paths read as before; V8 inlines it, and
 * `what` is always a constant, so the message costs nothing until it is thrown.
 */
export function entry<T>(xs: readonly T[], i: number, what: string): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`${what}: no entry ${i} of ${xs.length} (an internal invariant of the sequence engine is broken)`);
  return x;
}
