/**
 * Test helper: random schemas, write histories and SELECTs for the differential test, drawn from a
 * seeded generator (the property's seed decides everything, so a failure replays). Values come
 * from small domains, so ties, equal keys, NULLs, concurrent MV values and type mismatches are
 * common; some statements are wrong on purpose (a type error, a refused construct): the two
 * engines must then fail alike.
 */
export type Rand = { int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean };

export function rand(seed: number): Rand {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: Rand = { int: (n) => Math.floor(next() * n), pick: (xs) => xs[r.int(xs.length)]!, chance: (p) => next() < p };
  return r;
}

const TYPES = ["TEXT", "INTEGER", "REAL", "BOOLEAN", "MV TEXT", "MV INTEGER", "COUNTER", "SET OF TEXT", "RGA TEXT"] as const;
type Type = (typeof TYPES)[number];
export type Spec = { keyText: boolean; deletes: string; cols: { name: string; type: Type }[] };

const TEXTS = ["a", "b", "B", "ab", "", "é"];
const INTS = [-2, 0, 1, 2, 3];
const REALS = [0.5, 1.5, 2, -1.25];

export function randomSpec(r: Rand): Spec {
  const n = 2 + r.int(4);
  return {
    keyText: r.chance(0.5),
    deletes: r.pick(["add-wins", "remove-wins"]),
    cols: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, type: r.pick(TYPES) })),
  };
}

export function schemaOf(spec: Spec): string[] {
  const key = spec.keyText ? "TEXT" : "INTEGER";
  return [
    `CREATE TABLE t (k ${key} PRIMARY KEY, ${spec.cols.map((c) => `${c.name} ${c.type}`).join(", ")}) WITH (deletes = '${spec.deletes}')`,
    `CREATE TABLE u (id INTEGER PRIMARY KEY, ref ${key}, n INTEGER, w TEXT)`,
  ];
}

const keyOf = (spec: Spec, r: Rand): string | number => (spec.keyText ? r.pick(["k1", "k2", "k3", "K", "k10"]) : r.pick([1, 2, 3, 10, -1]));

/** A scalar value of a column's element type, or NULL now and then. */
function valueOf(type: Type, r: Rand): unknown {
  if (r.chance(0.12)) return null;
  if (type.endsWith("INTEGER") || type === "COUNTER") return r.pick(INTS);
  if (type === "REAL") return r.pick(REALS);
  if (type === "BOOLEAN") return r.chance(0.5);
  // Now and then a character above U+FFFF: the model turns inexact and answers in memory.
  return r.chance(0.01) ? "\u{1F600}" : r.pick(TEXTS);
}

export type Statement = [string, unknown[]];

export function randomWrite(spec: Spec, r: Rand): Statement {
  const k = keyOf(spec, r);
  const plain = spec.cols.filter((c) => !c.type.startsWith("SET") && !c.type.startsWith("RGA") && c.type !== "COUNTER");
  switch (r.int(6)) {
    case 0:
    case 1: {
      const cols = plain.filter(() => r.chance(0.7));
      return [`INSERT INTO t (k${cols.map((c) => `, ${c.name}`).join("")}) VALUES ($1${cols.map((_, i) => `, $${i + 2}`).join("")})`, [k, ...cols.map((c) => valueOf(c.type, r))]];
    }
    case 2: {
      const c = r.pick(spec.cols);
      if (c.type === "COUNTER") return [`UPDATE t SET ${c.name} = ${c.name} ${r.pick(["+", "-"])} $2 WHERE k = $1`, [k, 1 + r.int(3)]];
      if (c.type.startsWith("SET")) return [`UPDATE t SET ${c.name} = ${c.name} ${r.pick(["+", "-"])} $2 WHERE k = $1`, [k, r.pick(TEXTS)]];
      if (c.type.startsWith("RGA")) return [`UPDATE t SET ${c.name} = ${c.name} || $2 WHERE k = $1`, [k, r.pick(TEXTS)]];
      return [`UPDATE t SET ${c.name} = $2 WHERE k = $1`, [k, valueOf(c.type, r)]];
    }
    case 3:
      return ["DELETE FROM t WHERE k = $1", [k]];
    case 4:
      return ["INSERT INTO u VALUES ($1, $2, $3, $4)", [r.pick([1, 2, 3, 4, 5]), r.chance(0.1) ? null : keyOf(spec, r), valueOf("INTEGER", r), valueOf("TEXT", r)]];
    default:
      return r.chance(0.5) ? ["UPDATE u SET n = $2 WHERE id = $1", [r.pick([1, 2, 3, 4, 5]), valueOf("INTEGER", r)]] : ["DELETE FROM u WHERE id = $1", [r.pick([1, 2, 3])]];
  }
}
