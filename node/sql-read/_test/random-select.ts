/** Test helper: random SELECTs over a random-sql.ts schema (table t, and u joined on u.ref = t.k), with their parameters. */
import type { Rand, Spec, Statement } from "./random-sql.ts";

type Col = { name: string; type: string };

class Builder {
  readonly params: unknown[] = [];
  constructor(
    readonly r: Rand,
    readonly cols: Col[],
  ) {}

  /** A literal of a type (now and then of another type, or NULL), inline or as a parameter. */
  lit(type: string): string {
    const r = this.r;
    const t = r.chance(0.08) ? r.pick(["TEXT", "INTEGER", "BOOLEAN"]) : type;
    let v: unknown = t.includes("TEXT")
      ? r.pick(["a", "b", "B", "ab", "", "é", "k1", "K"])
      : t.includes("REAL")
        ? r.pick([0.5, 1.5, 2])
        : t.includes("BOOLEAN")
          ? r.chance(0.5)
          : r.pick([-1, 0, 1, 2, 3, 10]);
    if (r.chance(0.05)) v = null;
    if (r.chance(0.4)) {
      this.params.push(v);
      return `$${this.params.length}`;
    }
    return v === null ? "NULL" : typeof v === "string" ? `'${v}'` : String(v);
  }

  col(filter: (c: Col) => boolean = () => true): Col {
    const ok = this.cols.filter(filter);
    return ok.length > 0 ? this.r.pick(ok) : this.r.pick(this.cols);
  }

  cond(depth = 0): string {
    const r = this.r;
    const scalar = (c: Col) => !c.type.startsWith("MV") && !c.type.startsWith("SET");
    const numeric = (c: Col) => /INTEGER|REAL|COUNTER/.test(c.type) && !c.type.startsWith("MV");
    const text = (c: Col) => /TEXT/.test(c.type) && scalar(c);
    const choice = r.int(depth < 2 ? 14 : 10);
    switch (choice) {
      case 0:
      case 1: {
        const c = this.col(scalar);
        return `${c.name} ${r.pick(["=", "<>", "<", "<=", ">", ">="])} ${this.lit(c.type)}`;
      }
      case 2:
        return `${this.col().name} IS ${r.pick(["", "NOT "])}NULL`;
      case 3: {
        const c = this.col((x) => x.type.startsWith("MV") || x.type.startsWith("SET"));
        return c.type.startsWith("MV") && r.chance(0.4) ? `CONFLICTED(${c.name})` : `${this.lit(c.type.replace(/^(MV|SET OF) /, ""))} = ANY(${c.name})`;
      }
      case 4: {
        const c = this.col(scalar);
        return `${c.name} ${r.pick(["", "NOT "])}BETWEEN ${this.lit(c.type)} AND ${this.lit(c.type)}`;
      }
      case 5: {
        const c = this.col(scalar);
        return `${c.name} ${r.pick(["", "NOT "])}IN (${this.lit(c.type)}, ${this.lit(c.type)}${r.chance(0.3) ? ", NULL" : ""})`;
      }
      case 6:
        return `${this.col(text).name} ${r.pick(["", "NOT "])}LIKE '${r.pick(["a%", "%b", "_", "%", "A%", "%_%", "[a]%", "*"])}'`;
      case 7: {
        const c = this.col(numeric);
        return `${c.name} ${r.pick(["+", "-", "*", "/", "%"])} ${r.pick(["1", "2", "0", "$1"].slice(0, this.params.length > 0 ? 4 : 3))} ${r.pick(["=", ">", "<"])} ${this.lit("INTEGER")}`;
      }
      case 8: {
        const c = this.col(text);
        return `${r.pick(["LOWER", "UPPER", "LENGTH"])}(${c.name}) ${r.pick(["=", ">"])} ${this.lit(c.type)}`;
      }
      case 9: {
        const c = this.col((x) => x.type === "BOOLEAN");
        return r.chance(0.5) ? c.name : `${c.name} IS ${r.pick(["TRUE", "NOT TRUE", "FALSE"])}`;
      }
      case 10:
        return `NOT (${this.cond(depth + 1)})`;
      default:
        return `(${this.cond(depth + 1)}) ${r.pick(["AND", "OR"])} (${this.cond(depth + 1)})`;
    }
  }

  order(names: string[]): string {
    const r = this.r;
    if (!r.chance(0.6)) return "";
    const terms = Array.from({ length: 1 + r.int(2) }, () => {
      const by = r.chance(0.2) ? String(1 + r.int(names.length)) : r.pick(names);
      return `${by}${r.pick(["", " ASC", " DESC"])}${r.pick(["", "", " NULLS FIRST", " NULLS LAST"])}`;
    });
    return ` ORDER BY ${terms.join(", ")}`;
  }

  limit(): string {
    const r = this.r;
    if (!r.chance(0.3)) return "";
    return ` LIMIT ${r.pick(["0", "1", "2", "5", "NULL"])}${r.chance(0.4) ? ` OFFSET ${r.pick(["0", "1", "3"])}` : ""}`;
  }

  where(): string {
    return this.r.chance(0.7) ? ` WHERE ${this.cond()}` : "";
  }
}

export function randomSelect(spec: Spec, r: Rand): Statement {
  const t: Col[] = [{ name: "k", type: spec.keyText ? "TEXT" : "INTEGER" }, ...spec.cols];
  const u: Col[] = [
    { name: "id", type: "INTEGER" },
    { name: "ref", type: spec.keyText ? "TEXT" : "INTEGER" },
    { name: "n", type: "INTEGER" },
    { name: "w", type: "TEXT" },
  ];
  const b = new Builder(r, t);
  const names = (cs: Col[]) => cs.map((c) => c.name);
  const some = (cs: Col[]) => {
    const out = cs.filter(() => r.chance(0.5));
    return out.length > 0 ? out : [r.pick(cs)];
  };
  const agg = (c: Col) => {
    const numeric = /^(INTEGER|COUNTER|REAL)$/.test(c.type);
    return r.pick(numeric ? ["SUM", "AVG", "MIN", "MAX", "COUNT"] : ["MIN", "MAX", "COUNT", "COUNT(DISTINCT", "SUM"]);
  };
  const call = (f: string, c: string) => (f.includes("(") ? `${f} ${c})` : `${f}(${c})`);
  switch (r.int(8)) {
    case 0: {
      const cols = r.chance(0.3) ? ["*"] : names(some(t));
      const shown = cols[0] === "*" ? names(t) : cols;
      return [`SELECT ${cols.join(", ")} FROM t${b.where()}${b.order(shown)}${b.limit()}`, b.params];
    }
    case 1: {
      const cols = names(some(t)).slice(0, 2);
      return [`SELECT DISTINCT ${cols.join(", ")} FROM t${b.where()}${b.order(cols)}${b.limit()}`, b.params];
    }
    case 2: {
      const g = b.col();
      const a = b.col();
      const f = agg(a);
      const having = r.chance(0.3) ? ` HAVING COUNT(*) ${r.pick([">", "="])} 1` : "";
      return [`SELECT ${g.name}, COUNT(*) AS n, ${call(f, a.name)} AS v FROM t${b.where()} GROUP BY ${g.name}${having}${b.order([g.name, "n", "v"])}${b.limit()}`, b.params];
    }
    case 3: {
      const a = b.col();
      return [`SELECT COUNT(*) AS n, ${call(agg(a), a.name)} AS v FROM t${b.where()}`, b.params];
    }
    case 4: {
      const jb = new Builder(r, [...t, ...u.filter((c) => c.name !== "id")]);
      const cols = ["t.k", ...names(some(spec.cols)).slice(0, 2), "u.id", "u.n"];
      const on = r.chance(0.8) ? "JOIN u ON u.ref = t.k" : ", u";
      const where = on === ", u" ? ` WHERE u.ref = t.k${r.chance(0.5) ? ` AND ${jb.cond(1)}` : ""}` : jb.where();
      return [`SELECT ${cols.join(", ")} FROM t ${on}${where}${jb.order(["k", "n", "id"])}${jb.limit()}`, jb.params];
    }
    case 5: {
      const g = b.col();
      return [`SELECT t.${g.name} AS g, COUNT(*) AS n, SUM(u.n) AS s, MAX(u.w) AS m FROM t JOIN u ON u.ref = t.k GROUP BY t.${g.name}${b.order(["g", "n", "s"])}`, b.params];
    }
    case 6: {
      const v = r.pick<unknown>(spec.keyText ? ["k1", "k2", "", 1, null] : [1, 2, 10, "1", null, 1.5]);
      b.params.push(v);
      return [`SELECT * FROM t WHERE k = $1${r.chance(0.5) ? ` AND ${b.cond(1)}` : ""}`, b.params];
    }
    default: {
      const c = b.col((x) => !/MV|SET/.test(x.type));
      return [`SELECT DISTINCT u.w, t.${c.name} FROM t JOIN u ON u.ref = t.k ORDER BY u.w`, []];
    }
  }
}
