/**
 * The functions whose in-memory meaning SQLite's built-ins do not have, registered on the
 * connection as deterministic JavaScript functions (so a constant argument is computed once):
 *
 * - division and modulo on JavaScript numbers: `/` truncates only when both values are integers
 *   (a REAL column holding 3 divides like an integer, as in memory), `%` keeps fractions (SQLite
 *   casts to integers first);
 * - LOWER / UPPER on all of Unicode (SQLite's fold only ASCII), LENGTH in UTF-16 code units;
 * - LIKE as a GLOB pattern: case-sensitive as in memory (SQLite's LIKE folds ASCII case), with
 *   GLOB's own wildcards made literal.
 */
import type Database from "better-sqlite3";

type Num = number | bigint | null;
const n = (v: Num): number | null => (v === null ? null : Number(v));

const divide = (a: Num, b: Num): number | null => {
  const x = n(a);
  const y = n(b);
  if (x === null || y === null) return null;
  return Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y;
};

const modulo = (a: Num, b: Num): number | null => {
  const x = n(a);
  const y = n(b);
  return x === null || y === null ? null : x % y;
};

/** A LIKE pattern as a GLOB pattern: % → *, _ → ?, and GLOB's *, ?, [ taken literally. */
export function likeToGlob(p: string | null): string | null {
  if (p === null) return null;
  let out = "";
  for (const ch of p) out += ch === "%" ? "*" : ch === "_" ? "?" : ch === "*" || ch === "?" || ch === "[" ? `[${ch}]` : ch;
  return out;
}

const text = (f: (s: string) => string | number) => (v: string | null) => (v === null ? null : f(v));

export function registerFunctions(db: Database.Database): void {
  const det = { deterministic: true };
  db.function("mc_div", det, divide);
  db.function("mc_mod", det, modulo);
  db.function(
    "mc_lower",
    det,
    text((s) => s.toLowerCase()),
  );
  db.function(
    "mc_upper",
    det,
    text((s) => s.toUpperCase()),
  );
  db.function(
    "mc_length",
    det,
    text((s) => s.length),
  );
  db.function("mc_glob", det, likeToGlob);
}
