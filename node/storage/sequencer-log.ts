/**
 * The sequencer's durable log (core's ReplicaStorage<SeqSnapshot, SeqRecord>) as two tables:
 * `seq_log`, one row per assignment in append order, and `seq_snapshot`, at most one row.
 *
 * `append` and `snapshot` stage in memory, exactly as the contract says; `sync()` writes the
 * staged rows in order (a snapshot deletes the log rows before it) and then:
 *
 * - inside `store.write(fn)` (the way a node serves `next`): the rows join that write's
 *   transaction, and are durable when the write's promise resolves — the node sends the
 *   sequencer's answers only then;
 * - outside any write: commits at once (an open group-commit batch with it), so `sync()`
 *   returning means durable, as in MemoryStorage.
 *
 * A write that is rolled back drops whatever is staged too (`dropStaged`): the node rebuilds
 * its Sequencer with `Sequencer.recover(store.sequencer)` after a rejected write, and must not
 * find records of that write still waiting here.
 */
import type Database from "better-sqlite3";
import type { Durable, SeqRecord, SeqSnapshot, SequencerStorage } from "../../core/index.ts";
import { StorageError } from "./errors.ts";

type Staged = { snap: true; state: SeqSnapshot } | { snap: false; record: SeqRecord };

type LogRow = { name: unknown; n: unknown; client: unknown; request_id: unknown; done: unknown };

/** How the log reaches a transaction: run `rows` inside the current write, or commit them now. */
export type Committer = { inWrite(): boolean; commitNow(rows: () => void): void };

export class SqliteSequencerLog implements SequencerStorage {
  private staged: Staged[] = [];
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly committer: Committer,
  ) {
    this.q = {
      append: db.prepare<[string, number, string, number, number]>("INSERT INTO seq_log (name, n, client, request_id, done) VALUES (?, ?, ?, ?, ?)"),
      clearLog: db.prepare("DELETE FROM seq_log"),
      putSnapshot: db.prepare<[string]>("INSERT INTO seq_snapshot (k, snapshot) VALUES (1, ?) ON CONFLICT (k) DO UPDATE SET snapshot = excluded.snapshot"),
      snapshot: db.prepare<[], string>("SELECT snapshot FROM seq_snapshot WHERE k = 1").pluck(),
      log: db.prepare<[], LogRow>("SELECT name, n, client, request_id, done FROM seq_log ORDER BY pos"),
    };
  }

  append(record: SeqRecord): void {
    this.staged.push({ snap: false, record });
  }

  snapshot(state: SeqSnapshot): void {
    this.staged.push({ snap: true, state });
  }

  sync(): void {
    if (this.staged.length === 0) return;
    const staged = this.staged;
    const rows = () => {
      for (const w of staged) {
        if (w.snap) {
          this.q.clearLog.run();
          this.q.putSnapshot.run(JSON.stringify(w.state));
        } else this.q.append.run(w.record.name, w.record.n, w.record.client, w.record.requestId, w.record.done);
      }
    };
    if (this.committer.inWrite()) rows();
    else this.committer.commitNow(rows);
    this.staged = [];
  }

  load(): Durable<SeqSnapshot, SeqRecord> {
    const text = this.q.snapshot.get();
    const snapshot = text === undefined ? undefined : parseSnapshot(text);
    const log = this.q.log.all().map(toRecord);
    return { snapshot, log };
  }

  get pending(): number {
    return this.staged.length;
  }

  dropStaged(): void {
    this.staged = [];
  }
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function toRecord(row: LogRow, i: number): SeqRecord {
  const { name, n, client, request_id: requestId, done } = row;
  if (typeof name !== "string" || typeof client !== "string" || !isCount(n) || !isCount(requestId) || !isCount(done))
    throw new StorageError(`sequencer log row ${i + 1} is malformed (${JSON.stringify(row)}): the database is damaged`);
  return { name, n, client, requestId, done };
}

/** The snapshot row, checked field by field: a damaged row must not restart numbering low. */
function parseSnapshot(text: string): SeqSnapshot {
  const bad = (why: string): never => {
    throw new StorageError(`sequencer snapshot row is malformed (${why}): the database is damaged`);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return bad(`not JSON: ${(e as Error).message}`);
  }
  const s = v as Partial<SeqSnapshot>;
  if (v === null || typeof v !== "object" || !Array.isArray(s.counters) || !Array.isArray(s.clients)) return bad("expected { counters, clients }");
  for (const c of s.counters) if (!Array.isArray(c) || typeof c[0] !== "string" || !isCount(c[1])) bad(`counter ${JSON.stringify(c)}`);
  for (const c of s.clients) {
    const t = Array.isArray(c) ? (c[1] as Partial<SeqSnapshot["clients"][number][1]> | undefined) : undefined;
    if (!Array.isArray(c) || typeof c[0] !== "string" || !t || !isCount(t.floor) || !Array.isArray(t.entries)) return bad(`client ${JSON.stringify(c)}`);
    for (const e of t.entries) if (!Array.isArray(e) || !isCount(e[0]) || typeof e[1] !== "string" || !isCount(e[2])) bad(`entry ${JSON.stringify(e)}`);
  }
  return s as SeqSnapshot;
}
