/**
 * Strong eventual consistency through SQL: random INSERT / UPDATE / DELETE statements on random
 * replicas (StoreReplicas), their delta messages delivered to the others in a random order, some
 * twice, some only through a later anti-entropy round — and every replica then answers every
 * SELECT identically. The faults are the simulator's (reordering, duplication, loss repaired by
 * anti-entropy); the scenario gallery (scenarios/sql-*.json) runs the same under the simulator.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProperty } from "../core/_test/prop.ts";
import type { DeltaMessage } from "../core/index.ts";
import { SqlError } from "./index.ts";
import { nodes, rows, type Node } from "./_test/replicas.ts";

const SCHEMA = [
  "CREATE TABLE c (id TEXT PRIMARY KEY, phone MV TEXT, email TEXT, views COUNTER, tags SET OF TEXT, notes RGA TEXT) WITH (deletes = 'add-wins')",
  "CREATE TABLE j (id INTEGER PRIMARY KEY, account TEXT, amount INTEGER) WITH (deletes = 'remove-wins')",
];
const QUERIES = [
  "SELECT * FROM c",
  "SELECT * FROM j",
  "SELECT id FROM c WHERE CONFLICTED(phone)",
  "SELECT account, SUM(amount) AS balance, COUNT(*) AS n FROM j GROUP BY account ORDER BY account",
  "SELECT c.id, j.amount FROM c JOIN j ON j.account = c.id ORDER BY j.id",
];

const key = fc.constantFrom("a", "b", "c");
const small = fc.constantFrom("x", "y", "z");
const statement: fc.Arbitrary<[string, unknown[]]> = fc.oneof(
  fc.tuple(key, small, fc.integer({ min: 0, max: 3 })).map(([k, p, v]): [string, unknown[]] => ["INSERT INTO c (id, phone, views) VALUES ($1, $2, $3)", [k, p, v]]),
  fc.tuple(key, small).map(([k, p]): [string, unknown[]] => ["UPDATE c SET phone = $2 WHERE id = $1", [k, p]]),
  fc.tuple(key, small).map(([k, p]): [string, unknown[]] => ["UPDATE c SET email = $2, views = views + 1 WHERE id = $1", [k, p]]),
  fc.tuple(key, small, fc.boolean()).map(([k, t, add]): [string, unknown[]] => [`UPDATE c SET tags = tags ${add ? "+" : "-"} $2 WHERE id = $1`, [k, t]]),
  fc.tuple(key, small).map(([k, s]): [string, unknown[]] => ["UPDATE c SET notes = notes || $2 WHERE id = $1", [k, s]]),
  fc.constant<[string, unknown[]]>(["UPDATE c SET views = views - 1 WHERE views > 0", []]),
  key.map((k): [string, unknown[]] => ["DELETE FROM c WHERE id = $1", [k]]),
  fc.tuple(fc.integer({ min: 1, max: 4 }), key, fc.integer({ min: -5, max: 5 })).map(([i, a, m]): [string, unknown[]] => ["INSERT INTO j VALUES ($1, $2, $3)", [i, a, m]]),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -5, max: 5 })).map(([i, m]): [string, unknown[]] => ["UPDATE j SET amount = $2 WHERE id = $1", [i, m]]),
  fc.integer({ min: 1, max: 4 }).map((i): [string, unknown[]] => ["DELETE FROM j WHERE id = $1", [i]]),
);

/** One step of a history: a statement on a node, or the delivery of some sent message to some node. */
const step = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("sql" as const), node: fc.nat(2), st: statement }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), node: fc.nat(2), pick: fc.nat(), dup: fc.boolean() }) },
);

describe("SQL over CRDTs converges", () => {
  it("random statements on random replicas, deltas reordered and duplicated, then anti-entropy: every SELECT answers the same everywhere", () => {
    checkProperty(
      fc.property(fc.array(step, { maxLength: 40 }), (history) => {
        const all = nodes(SCHEMA, ["n0", "n1", "n2"], {}, () => 1000);
        // In flight per destination: [message, from].
        const inFlight: DeltaMessage[][] = [[], [], []];
        for (const s of history) {
          if (s.kind === "sql") {
            const n = all[s.node]!;
            try {
              const r = n.db.sql(s.st[0], s.st[1]);
              if (r.kind === "write") for (let to = 0; to < 3; to++) if (to !== s.node) inFlight[to]!.push(...r.effects);
            } catch (e) {
              // A statement the node refuses (an INSERT of a key it has) applies nothing.
              if (!(e instanceof SqlError) || e.kind !== "conflict") throw e;
            }
          } else {
            const q = inFlight[s.node]!;
            if (q.length === 0) continue;
            const i = s.pick % q.length;
            all[s.node]!.replica.receive(q[i]!);
            // A duplicate stays in flight and arrives again later.
            if (!s.dup) q.splice(i, 1);
          }
        }
        // What was never delivered is lost; anti-entropy (digest → missing) repairs it.
        antiEntropy(all);
        const answers = all.map((n) => QUERIES.map((q) => rows(n, q)));
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]).toEqual(answers[0]);
      }),
      { numRuns: 150 },
    );
  });
});

function antiEntropy(all: Node[]): void {
  for (let round = 0; round < 2; round++) for (const a of all) for (const b of all) if (a !== b) a.replica.applySync(b.replica.missing(a.replica.digest()));
}
