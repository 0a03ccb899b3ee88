/**
 * The read model answers like the in-memory engine: random schemas, random writes on two
 * replicas over SqliteBackings (the node's write path, the model attached to it), their deltas
 * delivered late and in another order (so MV columns hold concurrent values and deletes race
 * updates), then random SELECTs — WHERE, GROUP BY / HAVING, DISTINCT, ORDER BY with ties and
 * NULLs, LIMIT / OFFSET, joins, key lookups, and wrong statements — through SqlDatabase
 * (in memory) and through the read model: the same columns and rows in the same order, or the
 * same error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../../core/_test/prop.ts";
import type { DeltaMessage } from "../../core/index.ts";
import { SqlError, SqlSchema } from "../../sql/index.ts";
import { memoryNode } from "./_test/harness.ts";
import { rand, randomSpec, randomWrite, schemaOf } from "./_test/random-sql.ts";
import { randomSelect } from "./_test/random-select.ts";

type Outcome = { rows: unknown } | { error: string };

function outcome(f: () => unknown): Outcome {
  try {
    // JSON: what a client receives (and -0 and 0 are one number there).
    return { rows: JSON.parse(JSON.stringify(f())) as unknown };
  } catch (e) {
    if (e instanceof SqlError) return { error: e.message };
    throw e;
  }
}

const engines = { sqlite: 0, memory: 0 };

describe("the SQL read model", () => {
  it("answers every SELECT as the in-memory engine does, over random tables, concurrent writes and deletes", () => {
    checkProperty(
      fc.property(fc.integer(), (seed) => {
        const r = rand(seed);
        const spec = randomSpec(r);
        const schema = SqlSchema.parse(schemaOf(spec));
        let clock = 1000;
        const nodes = [memoryNode(schema, "n0", () => clock++), memoryNode(schema, "n1", () => clock++)];
        const inFlight: DeltaMessage[][] = [[], []];
        for (let step = 0; step < 30; step++) {
          const at = r.int(2);
          if (r.chance(0.25)) {
            const n = nodes[at]!;
            // Several deltas in one commit, as a node's group commit takes them: the model writes each changed row once.
            n.write(() => {
              for (const m of inFlight[at]!.splice(0)) n.replica.receive(m);
            });
            continue;
          }
          const [text, params] = randomWrite(spec, r);
          try {
            const n = nodes[at]!;
            const w = n.write(() => n.sql.sql(text, params));
            if (w.kind === "write") inFlight[1 - at]!.push(...(w.effects as DeltaMessage[]));
          } catch (e) {
            if (!(e instanceof SqlError)) throw e;
          }
        }
        if (r.chance(0.5))
          for (const at of [0, 1]) {
            const n = nodes[at]!;
            n.write(() => {
              for (const m of inFlight[at]!.splice(0)) n.replica.receive(m);
            });
          }
        for (let q = 0; q < 25; q++) {
          const [text, params] = randomSelect(spec, r);
          for (const n of nodes) {
            const mem = outcome(() => {
              const res = n.sql.sql(text, params);
              return res.kind === "rows" ? { columns: res.columns, rows: res.rows } : res;
            });
            const model = outcome(() => n.model.select(text, params));
            if ("rows" in mem) {
              const pl = n.model.plan(text, params);
              engines[pl.engine]++;
              if (process.env.SHOW_REASONS && pl.engine === "memory") console.log("REASON", pl.reason, "|", text);
            }
            const same = JSON.stringify(model) === JSON.stringify(mem);
            // fast-check's report names the seed, not the statement: say which one differed.
            if (!same)
              console.error(
                `differs: ${text}  ${JSON.stringify(params)}\n  ${JSON.stringify(n.model.plan(text, params))}\n  memory: ${JSON.stringify(mem)}\n  model:  ${JSON.stringify(model)}`,
              );
            expect(model).toEqual(mem);
          }
        }
      }),
      { numRuns: 30 },
    );
    // Not a vacuous test: most statements that have an answer are answered by SQLite.
    if (process.env.SHOW_REASONS) console.log("ENGINES", engines);
    expect(engines.sqlite).toBeGreaterThan(engines.memory);
  });
});
