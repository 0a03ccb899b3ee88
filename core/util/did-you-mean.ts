/**
 * "Did you mean …?" for a misspelt name: the closest candidate by edit distance, when it is
 * close enough to be a typo rather than another word. One helper for every vocabulary a user
 * types — scenario keys, CRDT names, op names, check names — so the hints agree everywhere.
 * In core because core's own registry names an unknown CRDT; everything else imports it here.
 */

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate `word` was most likely meant to be, or undefined. A case-only difference always
 * counts; otherwise at most 1 edit, 2 for words of 8 letters or more — enough for "durration",
 * "or-sett", "convergense", not so loose that "max" suggests "map". Ties go to the first candidate.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.min(2, word.length >> 2)) ? best : undefined;
}

/** `did you mean "or-set"? ` (with its trailing space) or "", to put in front of a list of names. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closestName(word, candidates);
  return best === undefined ? "" : `did you mean "${best}"? `;
}
