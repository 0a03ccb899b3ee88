/**
 * A node's `sql` request: one statement in the node's SQL schema, over its replica.
 *
 * - A SELECT goes to the read side (sql-select.ts).
 * - A write runs SqlDatabase over the replica inside ONE `store.write`: every field update of the
 *   statement, whatever its row count, in one durable write (one savepoint of the group commit,
 *   not an fsync per row). It is answered, and its deltas sent to peers, once that write is
 *   durable — the path of `update`.
 * - NEXTVAL: the node's sequencer path is asynchronous (a local log write, or a request forwarded
 *   to the peer that serves the sequence) while a store write is not. So the counters are learnt
 *   first (SqlDatabase.nextvalsOf checks the statement whole without applying it), their numbers
 *   fetched, and the statement then runs with a sequencer that hands exactly those out.
 * - `BEGIN; … COMMIT;` of INSERT and UPDATE statements: all of them run in ONE `store.write`
 *   (each sees what the earlier ones wrote), and their field updates become one node
 *   transaction (StoreReplica.seal): durable together, and applied on every other node together
 *   or not at all (docs/design.md, "Transactions on a node"). Anything fails: nothing applied.
 */
import { parse as parsePg, type Statement } from "pgsql-ast-parser";
import type { DeltaMessage } from "../core/index.ts";
import { SqlDatabase, SqlError, type SqlSchema } from "../sql/index.ts";
import { RequestError, type SqlAnswer } from "./api.ts";
import type { ReplicaHost } from "./replica-host.ts";
import type { SqlSelect } from "./sql-select.ts";

/**
 * Rows the statement writes can change between learning its counters and running it (a
 * concurrent INSERT matches its WHERE too): it then draws more numbers than it was given, applies
 * nothing, and is tried again with new ones, this many times in all.
 */
const NEXTVAL_ATTEMPTS = 3;

/** The statement drew a number it was not given (its rows changed meanwhile). */
class NumbersRanOut extends Error {}

export class SqlHost {
  private readonly db: SqlDatabase<DeltaMessage>;
  /** The numbers the running write may draw, by counter; set only while it runs (synchronously). */
  private handout: Map<string, number[]> | undefined;

  constructor(
    schema: SqlSchema,
    private readonly host: ReplicaHost,
    private readonly select: SqlSelect,
    /** The next number of a sequence, from the node's sequencer path; rejects with RequestError ("unavailable" when none serves it). */
    private readonly nextval: (counter: string) => Promise<number>,
  ) {
    this.db = new SqlDatabase(schema, host.replica, { sequencer: { next: (counter) => this.take(counter) } });
  }

  /** Runs one statement: its answer, and the deltas to send to peers (none for a SELECT). Rejects with RequestError (a SqlError as "bad-request"). */
  async run(text: string, params: readonly unknown[]): Promise<{ answer: SqlAnswer; deltas: readonly DeltaMessage[] }> {
    try {
      if (/^\s*(begin|start\s+transaction)\b/i.test(text)) return await this.transaction(text, params);
      if (this.db.prepare(text).kind === "select") return { answer: { kind: "rows", ...(await this.select(text, params)) }, deltas: [] };
      return await this.write(text, params);
    } catch (e) {
      if (e instanceof SqlError) throw new RequestError(e.kind === "unavailable" ? "unavailable" : "bad-request", e.message);
      throw e;
    }
  }

  private async write(text: string, params: readonly unknown[]): Promise<{ answer: SqlAnswer; deltas: readonly DeltaMessage[] }> {
    for (let attempt = 1; ; attempt++) {
      const numbers = await this.draw(text, params);
      try {
        const done = await this.host.updateMany(() => {
          this.handout = numbers;
          try {
            const r = this.db.sql(text, params);
            if (r.kind !== "write") throw new Error("a write statement answered rows");
            return { count: r.count, deltas: r.effects };
          } finally {
            this.handout = undefined;
          }
        });
        return { answer: { kind: "write", count: done.count }, deltas: done.deltas };
      } catch (e) {
        if (!(e instanceof NumbersRanOut)) throw e;
        if (attempt >= NEXTVAL_ATTEMPTS)
          throw new RequestError("unavailable", `NEXTVAL: the rows this statement writes changed ${attempt} times while its numbers were fetched; nothing applied, try again`);
      }
    }
  }

  /** `BEGIN; s1; …; COMMIT;`: the statements' field updates as one transaction, in one durable write. */
  private async transaction(text: string, params: readonly unknown[]): Promise<{ answer: SqlAnswer; deltas: readonly DeltaMessage[] }> {
    let statements: Statement[];
    try {
      statements = parsePg(text, { locationTracking: true });
    } catch {
      // The statements one by one give the syntax error its line and column.
      throw new SqlError("syntax", `BEGIN … COMMIT: ${this.syntaxError(text)}`);
    }
    const kinds = statements.map((st) => st.type);
    if (kinds[0] !== "begin" && kinds[0] !== "start transaction") throw new SqlError("refused", "BEGIN … COMMIT: the text must start with BEGIN");
    if (kinds[kinds.length - 1] !== "commit")
      throw new SqlError("refused", `BEGIN … COMMIT: the text must end with COMMIT (got ${kinds[kinds.length - 1]!.toUpperCase()}); ROLLBACK: send nothing`);
    const body = statements.slice(1, -1);
    if (body.length === 0) throw new SqlError("refused", "BEGIN … COMMIT: no statement between them");
    // A statement's text runs from its start to the next one's (the parser's end offsets can stop short of a closing parenthesis), less the `;` between.
    const texts = body.map((st, i) => {
      if (st.type !== "insert" && st.type !== "update")
        throw new SqlError("refused", `BEGIN … COMMIT: only INSERT and UPDATE statements make a node transaction, not ${st.type.toUpperCase()} (send it on its own)`);
      const from = st._location?.start;
      const to = statements[i + 2]!._location?.start;
      if (from === undefined || to === undefined) throw new SqlError("refused", "BEGIN … COMMIT: cannot locate a statement in the text");
      return text.slice(from, to).replace(/[\s;]+$/, "");
    });
    if (texts.some((t) => /nextval/i.test(t))) throw new SqlError("refused", "BEGIN … COMMIT: NEXTVAL inside a transaction is not supported; take the numbers first");
    const done = await this.host.updateMany(() => {
      let count = 0;
      const made: DeltaMessage[] = [];
      for (const t of texts) {
        const r = this.db.sql(t, params);
        if (r.kind !== "write") throw new Error("a write statement answered rows");
        count += r.count;
        made.push(...r.effects);
      }
      return { count, deltas: this.host.replica.seal(made) };
    });
    return { answer: { kind: "write", count: done.count }, deltas: done.deltas };
  }

  private syntaxError(text: string): string {
    for (const part of text.split(";")) {
      if (part.trim() === "" || /^\s*(begin|commit|start\s+transaction)\s*$/i.test(part)) continue;
      try {
        this.db.prepare(part);
      } catch (e) {
        if (e instanceof SqlError) return e.message;
      }
    }
    return "syntax error";
  }

  /** Fetches the numbers the statement will draw, in its order. */
  private async draw(text: string, params: readonly unknown[]): Promise<Map<string, number[]>> {
    const numbers = new Map<string, number[]>();
    // Only the text can call NEXTVAL (parameters are values): a statement without the word needs no dry run.
    if (!/nextval/i.test(text)) return numbers;
    // One at a time, so that the numbers rise in the statement's row order.
    for (const counter of this.db.nextvalsOf(text, params)) {
      let n: number;
      try {
        n = await this.nextval(counter);
      } catch (e) {
        if (e instanceof RequestError) throw new RequestError(e.kind, `NEXTVAL('${counter}'): ${e.message}`);
        throw e;
      }
      const list = numbers.get(counter);
      if (list) list.push(n);
      else numbers.set(counter, [n]);
    }
    return numbers;
  }

  private take(counter: string): number {
    const n = this.handout?.get(counter)?.shift();
    if (n === undefined) throw new NumbersRanOut(`NEXTVAL('${counter}'): more numbers drawn than fetched`);
    return n;
  }
}
