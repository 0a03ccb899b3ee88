/**
 * The sequencer: one node holding a counter per name (`next("invoice")` → 1, 2, 3, …).
 *
 * Durable before acknowledged: an assignment is appended to the storage log and the answer is
 * held back until a `sync()` has made it durable. With `groupCommit: false` (the default) every
 * request syncs at once; with `groupCommit: true` the adapter calls `flush()` when its disk
 * syncs (the simulator's group commit), and every answer waiting on that sync goes out then.
 *
 * Crash: the adapter drops this object and the storage's staged writes (MemoryStorage.crash()),
 * then calls `Sequencer.recover(storage)`. Numbers staged but not synced were never sent to
 * anyone and are reassigned; durable ones are never reused, because the counter is rebuilt as
 * the max over the durable log. A crash after sync but before the answer left the node is
 * harmless too: the client retries the same request id and the rebuilt dedup table returns the
 * same number.
 *
 * Pure: no clock, no randomness, no I/O except through the storage interface.
 */
import type { ReplicaStorage } from "../storage.ts";
import { SequencerError } from "./errors.ts";
import type { SeqEvent } from "./history.ts";
import { type Outgoing, parseNextRequest } from "./messages.ts";
import { type SeqRecord, type SeqSnapshot, type SeqState, advanceFloor, applyRecord, clientTable, fromSnapshot, toSnapshot } from "./state.ts";

export type SequencerOptions = {
  /** Hold answers until the adapter calls flush() (its disk's group commit). Default false. */
  groupCommit?: boolean;
  /** Stage a snapshot (log compaction) after this many records. Default 256. */
  snapshotEvery?: number;
};

export type SequencerStorage = ReplicaStorage<SeqSnapshot, SeqRecord>;

/** What one step produced: messages to send, history events, and whether a sync is now owed. */
export type SeqStep = { out: Outgoing[]; events: SeqEvent[]; syncNeeded: boolean };

export class Sequencer {
  private readonly state: SeqState;
  /** Answers (and assign events) waiting for the next sync. */
  private waiting: { out: Outgoing; event: SeqEvent | undefined }[] = [];
  /** Requests whose record is staged but not yet durable: retries must wait for the sync too. */
  private staged = new Set<string>();
  private sinceSnapshot = 0;
  private readonly groupCommit: boolean;
  private readonly snapshotEvery: number;

  private constructor(
    private readonly storage: SequencerStorage,
    state: SeqState,
    options: SequencerOptions,
  ) {
    this.state = state;
    this.groupCommit = options.groupCommit ?? false;
    this.snapshotEvery = options.snapshotEvery ?? 256;
    if (!Number.isSafeInteger(this.snapshotEvery) || this.snapshotEvery < 1) throw new SequencerError(`snapshotEvery must be a positive integer, got ${options.snapshotEvery}`);
  }

  /** Starts (or restarts) from what the storage holds durably: snapshot, then the log replayed. */
  static recover(storage: SequencerStorage, options: SequencerOptions = {}): Sequencer {
    const { snapshot, log } = storage.load();
    const state = fromSnapshot(snapshot);
    for (const r of log) applyRecord(state, r);
    const s = new Sequencer(storage, state, options);
    s.sinceSnapshot = log.length;
    return s;
  }

  /** The last number assigned for `name` in memory (0 if none), for stats and tests. */
  current(name: string): number {
    return this.state.counters.get(name) ?? 0;
  }

  /** Records staged and not yet durable (answers held back). */
  get pendingSync(): number {
    return this.waiting.length;
  }

  /**
   * Handles one incoming message. Throws SequencerError on a malformed message or a request id
   * reused for another name, before touching any state. `_now` is unused: the sequencer has no
   * timers (clients own timeouts); it is in the signature so every core service looks alike.
   */
  handle(raw: unknown, _now?: number): SeqStep {
    const req = parseNextRequest(raw);
    const table = this.state.clients.get(req.client);
    const known = table?.entries.get(req.requestId);
    if (known !== undefined && known.name !== req.name)
      throw new SequencerError(`request ${req.client}#${req.requestId} asked for "${req.name}" but that id already has a number for "${known.name}"`);
    // A request below the floor is a stale duplicate the client has finished with: drop it.
    if (table !== undefined && req.requestId < table.floor) return { out: [], events: [], syncNeeded: false };
    advanceFloor(clientTable(this.state, req.client), req.done);
    const key = `${req.client}#${req.requestId}`;
    if (known !== undefined) {
      const out: Outgoing = { to: req.client, msg: { type: "seq.assigned", client: req.client, requestId: req.requestId, name: req.name, n: known.n } };
      if (!this.staged.has(key)) return { out: [out], events: [], syncNeeded: false };
      this.waiting.push({ out, event: undefined }); // a retry of a staged request: answer at the sync
      return this.afterStage();
    }
    const record: SeqRecord = { name: req.name, n: this.current(req.name) + 1, client: req.client, requestId: req.requestId, done: req.done };
    this.storage.append(record);
    applyRecord(this.state, record);
    this.staged.add(key);
    this.waiting.push({
      out: { to: req.client, msg: { type: "seq.assigned", client: req.client, requestId: req.requestId, name: req.name, n: record.n } },
      event: { type: "assign", client: req.client, requestId: req.requestId, name: req.name, n: record.n },
    });
    if (++this.sinceSnapshot >= this.snapshotEvery) {
      this.storage.snapshot(toSnapshot(this.state)); // a fresh copy: storage keeps it by reference
      this.sinceSnapshot = 0;
    }
    return this.afterStage();
  }

  /** Makes staged records durable (storage.sync) and releases every answer that waited on them. */
  flush(): SeqStep {
    if (this.waiting.length === 0) return { out: [], events: [], syncNeeded: false };
    this.storage.sync();
    const released = this.waiting;
    this.waiting = [];
    this.staged.clear();
    return { out: released.map((w) => w.out), events: released.flatMap((w) => (w.event ? [w.event] : [])), syncNeeded: false };
  }

  private afterStage(): SeqStep {
    if (this.groupCommit) return { out: [], events: [], syncNeeded: true };
    return this.flush();
  }
}
