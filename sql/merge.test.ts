/**
 * Every column type's merge, through SQL: two replicas write concurrently (neither has seen the
 * other's write), exchange their deltas, and both answer the same SELECT — the answer each
 * column's CRDT gives (docs/sql.md, "Column types"). Then the delete policies.
 */
import { describe, expect, it } from "vitest";
import { legacyNodes, nodes, rows, run, syncAll } from "./_test/replicas.ts";

const SCHEMA = "CREATE TABLE c (id TEXT PRIMARY KEY, phone MV TEXT, email TEXT, views COUNTER, tags SET OF TEXT, notes RGA TEXT, memo LSEQ TEXT, score MV INTEGER)";

function pair(clockA = 1000, clockB = 1000) {
  const [a] = nodes(SCHEMA, ["alice"], {}, () => clockA);
  const [b] = nodes(SCHEMA, ["bob"], {}, () => clockB);
  const both = [a!, b!];
  run(a!, "INSERT INTO c (id, phone, email, views, tags, notes, memo) VALUES ('A', '555-0100', 'old@x.org', 10, ARRAY['gold', 'trial'], 'hello', 'abc')");
  syncAll(both);
  return both;
}

const everywhere = (all: ReturnType<typeof pair>, sql: string) => {
  const answers = all.map((n) => rows(n, sql));
  for (const x of answers) expect(x).toEqual(answers[0]);
  return answers[0]!;
};

describe("concurrent writes to each column type, merged", () => {
  it("MV: both values kept, sorted, and CONFLICTED; a later write collapses them", () => {
    const all = pair();
    run(all[0]!, "UPDATE c SET phone = '555-0199' WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET phone = '555-0242' WHERE id = 'A'");
    syncAll(all);
    expect(everywhere(all, "SELECT phone, CONFLICTED(phone) AS c FROM c")).toEqual([{ phone: ["555-0199", "555-0242"], c: true }]);
    run(all[0]!, "UPDATE c SET phone = '555-0300' WHERE id = 'A'");
    syncAll(all);
    expect(everywhere(all, "SELECT phone FROM c WHERE NOT CONFLICTED(phone)")).toEqual([{ phone: ["555-0300"] }]);
  });

  it("plain types: last writer wins on the HLC, even when the later writer's clock is behind", () => {
    const all = pair(50_000, 1_000);
    run(all[0]!, "UPDATE c SET email = 'alice@x.org' WHERE id = 'A'");
    syncAll(all);
    // Bob has seen Alice's write: his is later, whatever his clock says.
    run(all[1]!, "UPDATE c SET email = 'bob@x.org' WHERE id = 'A'");
    syncAll(all);
    expect(everywhere(all, "SELECT email FROM c")).toEqual([{ email: "bob@x.org" }]);
  });

  it("COUNTER: concurrent increments and decrements all count", () => {
    const all = pair();
    run(all[0]!, "UPDATE c SET views = views + 3 WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET views = 1 + views WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET views = views - $1 WHERE id = 'A'", [2]);
    syncAll(all);
    expect(everywhere(all, "SELECT views FROM c")).toEqual([{ views: 12 }]);
  });

  it("SET OF: an add concurrent with a remove of the same element wins; other removes hold", () => {
    const all = pair();
    run(all[0]!, "UPDATE c SET tags = tags - 'gold' WHERE id = 'A'");
    run(all[0]!, "UPDATE c SET tags = tags - 'trial' WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET tags = tags + 'gold' WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET tags = tags + 'vip' WHERE id = 'A'");
    syncAll(all);
    expect(everywhere(all, "SELECT tags FROM c")).toEqual([{ tags: ["gold", "vip"] }]);
  });

  it("RGA and LSEQ TEXT: concurrent appends and a replacement merge as text edits", () => {
    const all = pair();
    run(all[0]!, "UPDATE c SET notes = notes || ' world', memo = 'x' || memo WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET notes = notes || '!', memo = memo || 'd' WHERE id = 'A'");
    syncAll(all);
    const [r] = everywhere(all, "SELECT notes, memo FROM c");
    expect([`${r!.notes}`.length, r!.memo]).toEqual(["hello world!".length, "xabcd"]);
    expect(["hello world!", "hello! world"]).toContain(r!.notes);
    // A whole assignment replaces what this replica sees.
    run(all[0]!, "UPDATE c SET notes = 'new' WHERE id = 'A'");
    syncAll(all);
    expect(everywhere(all, "SELECT notes FROM c")).toEqual([{ notes: "new" }]);
  });

  it("MV INTEGER: concurrent numbers kept, and ANY finds one", () => {
    const all = pair();
    run(all[0]!, "UPDATE c SET score = 1 WHERE id = 'A'");
    run(all[1]!, "UPDATE c SET score = 2 WHERE id = 'A'");
    syncAll(all);
    expect(everywhere(all, "SELECT score FROM c WHERE 2 = ANY(score)")).toEqual([{ score: [1, 2] }]);
  });

  it("concurrent INSERTs of one key merge column by column (both phones kept)", () => {
    const [a] = nodes(SCHEMA, ["alice"]);
    const [b] = nodes(SCHEMA, ["bob"]);
    run(a!, "INSERT INTO c (id, phone, views) VALUES ('N', '1', 1)");
    run(b!, "INSERT INTO c (id, phone, views) VALUES ('N', '2', 1)");
    syncAll([a!, b!]);
    expect(everywhere([a!, b!], "SELECT id, phone, views FROM c")).toEqual([{ id: "N", phone: ["1", "2"], views: 2 }]);
  });
});

// Every delete case twice: over the store a CREATE TABLE makes now (an add-wins `_row` is an
// enable-wins flag), and over one an older build made (an MV-register of "live" and "dead").
describe.each([
  ["deletes", false],
  ["deletes, over a store made before the enable-wins flag", true],
] as const)("%s", (_, legacy) => {
  const policy = (p: string) => {
    const schema = `CREATE TABLE t (id TEXT PRIMARY KEY, email TEXT, n COUNTER) WITH (deletes = '${p}')`;
    const make = legacy ? legacyNodes : nodes;
    const all = [make(schema, ["alice"])[0]!, make(schema, ["bob"])[0]!];
    const kind = all[0]!.db.schema.table("t").row;
    expect(kind).toBe(p === "add-wins" && !legacy ? "ew-flag" : "mv-register");
    run(all[0]!, "INSERT INTO t VALUES ('r', 'old', 1)");
    syncAll(all);
    const row = (all[1]!.replica.object("t", "r") as { _row: unknown })._row;
    expect(row).toEqual(kind === "ew-flag" ? true : ["live"]);
    return all;
  };

  for (const p of ["add-wins", "remove-wins"]) {
    it(`${p}: a DELETE seen by everyone removes the row; an INSERT of the key again starts it afresh`, () => {
      const all = policy(p);
      run(all[0]!, "DELETE FROM t WHERE id = 'r'");
      syncAll(all);
      expect(everywhere(all, "SELECT * FROM t")).toEqual([]);
      // UPDATE and DELETE of a row that is not there change nothing.
      expect(run(all[1]!, "UPDATE t SET n = n + 1 WHERE id = 'r'")).toEqual({ kind: "write", count: 0, effects: [] });
      run(all[1]!, "INSERT INTO t (id, email) VALUES ('r', 'new')");
      syncAll(all);
      // The columns the INSERT does not name are reset: the counter back to 0, not the deleted row's 1.
      expect(everywhere(all, "SELECT * FROM t")).toEqual([{ id: "r", email: "new", n: 0 }]);
    });
  }

  it("add-wins: an UPDATE concurrent with a DELETE keeps the row", () => {
    const all = policy("add-wins");
    run(all[0]!, "DELETE FROM t WHERE id = 'r'");
    run(all[1]!, "UPDATE t SET email = 'kept' WHERE id = 'r'");
    syncAll(all);
    expect(everywhere(all, "SELECT id, email FROM t")).toEqual([{ id: "r", email: "kept" }]);
  });

  // Why every add-wins UPDATE writes `_row` afresh, even on a row it already keeps alive with a
  // dot of its own: the deleter may have seen that dot. Bob updates the row, Alice sees the
  // update and deletes the row; concurrently (without seeing the delete) Bob updates it again.
  // Only the second update's own `_row` dot is one Alice's delete has not superseded — an UPDATE
  // that skipped the write "because its replica's live dot already covers the row" loses the row.
  for (const [p, want] of [
    ["add-wins", [{ id: "r", email: "second", n: 3 }]],
    ["remove-wins", []],
  ] as const)
    it(`${p}: an UPDATE concurrent with a DELETE that saw the updater's earlier UPDATE ${p === "add-wins" ? "keeps" : "loses"} the row`, () => {
      const all = policy(p);
      run(all[1]!, "UPDATE t SET email = 'first', n = n + 1 WHERE id = 'r'");
      syncAll(all);
      run(all[0]!, "DELETE FROM t WHERE id = 'r'");
      run(all[1]!, "UPDATE t SET email = 'second', n = n + 1 WHERE id = 'r'");
      // Before they meet, each replica shows its own write.
      expect(rows(all[0]!, "SELECT id FROM t")).toEqual([]);
      expect(rows(all[1]!, "SELECT id, email FROM t")).toEqual([{ id: "r", email: "second" }]);
      syncAll(all);
      expect(everywhere(all, "SELECT id, email, n FROM t")).toEqual(want);
    });

  it("remove-wins: a DELETE concurrent with an UPDATE or an INSERT wins", () => {
    const all = policy("remove-wins");
    run(all[0]!, "DELETE FROM t WHERE id = 'r'");
    run(all[1]!, "UPDATE t SET email = 'lost' WHERE id = 'r'");
    syncAll(all);
    expect(everywhere(all, "SELECT * FROM t")).toEqual([]);
    run(all[1]!, "INSERT INTO t (id, email) VALUES ('r', 'again')");
    run(all[0]!, "UPDATE t SET n = n + 1 WHERE id = 'q'");
    syncAll(all);
    expect(everywhere(all, "SELECT id, email FROM t")).toEqual([{ id: "r", email: "again" }]);
    const both = [all[0]!, all[1]!];
    run(both[0]!, "DELETE FROM t WHERE id = 'r'");
    run(both[1]!, "DELETE FROM t WHERE id = 'r'");
    syncAll(both);
    // An INSERT after both deletes (it has seen them) brings the row back.
    run(both[1]!, "INSERT INTO t (id) VALUES ('r')");
    syncAll(both);
    expect(everywhere(both, "SELECT id FROM t")).toEqual([{ id: "r" }]);
  });

  it("add-wins vs remove-wins on a concurrent INSERT and DELETE", () => {
    for (const [p, want] of [
      ["add-wins", [{ id: "r" }]],
      ["remove-wins", []],
    ] as const) {
      const all = policy(p);
      run(all[0]!, "DELETE FROM t WHERE id = 'r'");
      syncAll(all);
      run(all[0]!, "INSERT INTO t (id) VALUES ('r')");
      run(all[1]!, "INSERT INTO t (id) VALUES ('r')");
      syncAll(all);
      run(all[0]!, "DELETE FROM t WHERE id = 'r'");
      run(all[1]!, "UPDATE t SET n = n + 1 WHERE id = 'r'");
      syncAll(all);
      expect(everywhere(all, "SELECT id FROM t")).toEqual(want);
    }
  });
});
