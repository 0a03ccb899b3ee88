/**
 * `xs[i]` for tests, where an index comes from a generated history or a fixture: one that is out
 * of range fails the test with the index and the length, not as an undefined further on.
 */
export function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`index ${i} is out of range (length ${xs.length})`);
  return x;
}
