/**
 * A RAMP partition server: it owns the keys the shard function maps to its id, and keeps
 * `versions` (every prepared version, by key and timestamp) and `lastCommit[key]` (the
 * timestamp of the latest committed version), as in Bailis et al. (SIGMOD 2014), Algorithm 1.
 *
 * Prepare installs a version without making it visible; commit raises lastCommit to it (never
 * lowers it: commits of older transactions arriving late change nothing). Get returns the
 * version at lastCommit, or — RAMP-Fast's second round — the exact version asked for by
 * timestamp, which may be prepared and not yet committed here: that is what lets a reader
 * repair a fractured first round without waiting for the writer.
 *
 * Garbage collection: a version below lastCommit (superseded) is dropped `gcGraceMs` after it
 * was superseded. A second-round get for a collected version answers `missing` and the reader
 * restarts its read from round one, so GC never makes a read wrong, only longer; choose a grace
 * above the readers' timeout and it never even does that. Prepared versions above lastCommit are
 * never collected (their commit may still be on its way) — a writer that abandons after
 * preparing leaves them until a later commit supersedes them.
 *
 * Durability: without `storage` a server is volatile. With it, every prepare, put and commit is
 * appended to the storage log before it is answered, and answered only once a `sync()` has made
 * it durable: at once, or with `groupCommit` when the caller calls `flush()` (its disk's group
 * commit). A restart is `new RampServer({ ..., storage })`: it replays what is durable. Because a
 * prepared version is durable before the client hears of it, and a client commits only after
 * every shard has prepared, a crash can lose only versions no client was told about; and a
 * transaction reported committed is the latest committed (or older than it) on every shard for
 * good. A get is answered at once, unless records are staged: then its answer waits for the
 * same sync (it may show a staged commit, and what a client has read must survive a crash).
 *
 * Pure: time is only what the caller passes as `now`; no I/O except through the storage.
 */
import { type Json, canonicalKey } from "../util/json.ts";
import type { RampRecord, RampSnapshot, RampStorage, StoredVersion } from "./durable.ts";
import { RampError } from "./errors.ts";
import { type Get, type Outgoing, type ServerRequest, type Version, type Write, parseServerRequest } from "./messages.ts";
import { BOTTOM, type Ts, compareTs, tsKey } from "./timestamp.ts";

export type RampServerOptions = {
  id: string;
  /** Maps a key to the id of the server that owns it; the same function every client uses. */
  shard: (key: string) => string;
  /** How long a superseded version stays readable by timestamp. Default 10 000 ms. */
  gcGraceMs?: number;
  /** Where prepares, puts and commits are logged before they are answered; none: volatile. */
  storage?: RampStorage;
  /** With storage: hold answers until `flush()` (the caller's group commit). Default false: sync each request. */
  groupCommit?: boolean;
  /** With storage: stage a snapshot (log compaction) after this many records, and no sooner than the log outgrows the versions held. Default 256. */
  snapshotEvery?: number;
};

/** What one request produced: the answers to send now, and whether a `flush()` is now owed. */
export type RampServerStep = { out: Outgoing[]; syncNeeded: boolean };

export class RampServer {
  readonly id: string;
  private readonly shard: (key: string) => string;
  private readonly grace: number;
  private readonly versions = new Map<string, Map<string, StoredVersion>>();
  private readonly lastCommit = new Map<string, Ts>();
  /**
   * Per key, the versions not yet superseded: the one at lastCommit and those prepared above it.
   * A commit scans only these, not every version the grace period still holds (under a high
   * write rate per key that is every write of the last gcGraceMs).
   */
  private readonly live = new Map<string, Map<string, StoredVersion>>();
  /** Superseded versions in the order they were superseded: GC pops from the front. */
  private gcQueue: { at: number; key: string; ts: string }[] = [];
  private gcHead = 0;
  private clock = -Infinity;
  private readonly storage: RampStorage | null;
  private readonly groupCommit: boolean;
  private readonly snapshotEvery: number;
  private sinceSnapshot = 0;
  /** Versions held (all keys): the size of a snapshot. */
  private stored = 0;
  /** Answers waiting for the next sync (group commit). */
  private waiting: Outgoing[] = [];

  /** A new server, or with `storage` a restarted one: the durable snapshot and log are replayed. */
  constructor(options: RampServerOptions) {
    this.id = options.id;
    this.shard = options.shard;
    this.grace = options.gcGraceMs ?? 10_000;
    if (!(this.grace >= 0)) throw new RampError(`gcGraceMs must be >= 0, got ${options.gcGraceMs}`);
    this.storage = options.storage ?? null;
    this.groupCommit = this.storage !== null && options.groupCommit === true;
    this.snapshotEvery = options.snapshotEvery ?? 256;
    if (!Number.isSafeInteger(this.snapshotEvery) || this.snapshotEvery < 1) throw new RampError(`snapshotEvery must be a positive integer, got ${options.snapshotEvery}`);
    if (this.storage !== null) this.recover(this.storage);
  }

  /** Handles one request. Throws RampError (state untouched) on a malformed or misrouted one. */
  handle(raw: unknown, now: number): RampServerStep {
    const msg = parseServerRequest(raw);
    this.checkOwned(msg);
    if (msg.type === "ramp.prepare" || msg.type === "ramp.put") this.checkNoReuse(msg.ts, msg.writes);
    if (msg.type === "ramp.commit") this.checkPrepared(msg.ts, msg.keys);
    // Validated: from here on nothing throws.
    this.advance(now);
    if (msg.type === "ramp.get") {
      const answer = this.get(msg);
      // Durable before visible: while records are staged, a read could show one of them (a commit),
      // and a crash would take back what a client has seen. Such an answer goes out with them.
      if (this.waiting.length === 0) return { out: [answer], syncNeeded: false };
      this.waiting.push(answer);
      return { out: [], syncNeeded: true };
    }
    const answer = this.mutate(msg);
    if (this.storage === null) return { out: [answer], syncNeeded: false };
    // Write-ahead: logged before it is answered; answered once durable.
    this.storage.append({ req: msg, now });
    // Compact once the log outgrows the state as well: a snapshot copies every version, so
    // with many versions held for GC grace a fixed interval would cost more per record than the record.
    if (++this.sinceSnapshot >= Math.max(this.snapshotEvery, this.stored)) {
      this.storage.snapshot(this.toSnapshot());
      this.sinceSnapshot = 0;
    }
    this.waiting.push(answer);
    if (this.groupCommit) return { out: [], syncNeeded: true };
    return { out: this.flush(), syncNeeded: false };
  }

  /** Makes the staged records durable and returns every answer that waited on them. */
  flush(): Outgoing[] {
    if (this.waiting.length === 0) return [];
    this.storage!.sync();
    const out = this.waiting;
    this.waiting = [];
    return out;
  }

  /** Answers held back until the next sync. */
  get pendingSync(): number {
    return this.waiting.length;
  }

  /** The server clock (the largest `now` seen), GC's time base. */
  private advance(now: number): void {
    this.clock = Math.max(this.clock, now); // a node clock may step back; GC time never does
    this.collect();
  }

  private mutate(msg: RampRecord["req"]): Outgoing {
    switch (msg.type) {
      case "ramp.prepare":
        for (const w of msg.writes) this.install(w, msg.ts, msg.keys);
        return { to: msg.client, msg: { type: "ramp.prepared", server: this.id, ts: msg.ts } };
      case "ramp.put":
        for (const w of msg.writes) this.install(w, msg.ts, msg.keys);
        for (const w of msg.writes) this.commit(w.key, msg.ts);
        return { to: msg.client, msg: { type: "ramp.committed", server: this.id, ts: msg.ts } };
      case "ramp.commit":
        for (const k of msg.keys) this.commit(k, msg.ts);
        return { to: msg.client, msg: { type: "ramp.committed", server: this.id, ts: msg.ts } };
    }
  }

  private get(msg: Get): Outgoing {
    const versions = msg.reads.map(({ key, ts }) => {
      const want = ts ?? this.lastCommit.get(key) ?? BOTTOM;
      if (want.t === 0) return { key, value: null, ts: BOTTOM, keys: [] };
      const found = this.versions.get(key)?.get(tsKey(want));
      return found ? found.version : { key, missing: want };
    });
    return { to: msg.client, msg: { type: "ramp.values", server: this.id, read: msg.read, attempt: msg.attempt, versions } };
  }

  /** Rebuilds the state from the durable snapshot, then replays the durable log. */
  private recover(storage: RampStorage): void {
    const { snapshot, log } = storage.load();
    if (snapshot !== undefined) this.fromSnapshot(snapshot);
    for (const rec of log) {
      this.advance(rec.now);
      this.mutate(rec.req);
    }
    this.sinceSnapshot = log.length;
  }

  /** A fresh copy of the state (storage keeps a snapshot by reference). Versions are immutable and shared. */
  private toSnapshot(): RampSnapshot {
    const versions: StoredVersion[] = [];
    for (const m of this.versions.values()) for (const s of m.values()) versions.push({ version: s.version, supersededAt: s.supersededAt });
    return { clock: this.clock, lastCommit: [...this.lastCommit], versions };
  }

  private fromSnapshot(snap: RampSnapshot): void {
    this.clock = snap.clock;
    for (const [key, ts] of snap.lastCommit) this.lastCommit.set(key, ts);
    const superseded: { at: number; key: string; ts: string }[] = [];
    for (const { version, supersededAt } of snap.versions) {
      const k = tsKey(version.ts);
      const stored: StoredVersion = { version, supersededAt };
      this.hold(version.key, k, stored);
      if (supersededAt !== undefined) superseded.push({ at: supersededAt, key: version.key, ts: k });
      else this.keepLive(version.key, k, stored);
    }
    // GC pops in supersede order; a stable sort by time restores it (ties are collected together).
    this.gcQueue = superseded.sort((a, b) => a.at - b.at);
  }

  /** Whether the version of `key` written at `ts` is held (readable by timestamp). */
  has(key: string, ts: Ts): boolean {
    return this.versions.get(key)?.has(tsKey(ts)) ?? false;
  }

  /** The latest committed version of `key` (initial version if none), for tests and stats. */
  latest(key: string): Version {
    const ts = this.lastCommit.get(key);
    return (ts && this.versions.get(key)?.get(tsKey(ts))?.version) ?? { key, value: null, ts: BOTTOM, keys: [] };
  }

  /** Number of stored versions (all keys), to watch GC. */
  get versionCount(): number {
    return this.stored;
  }

  private checkOwned(msg: ServerRequest): void {
    const keys = msg.type === "ramp.get" ? msg.reads.map((r) => r.key) : msg.type === "ramp.commit" ? msg.keys : msg.writes.map((w) => w.key);
    for (const k of keys) {
      const owner = this.shard(k);
      if (owner !== this.id) throw new RampError(`${msg.type} for key "${k}" sent to server "${this.id}", but the key belongs to shard "${owner}"`);
    }
  }

  private checkNoReuse(ts: Ts, writes: Write[]): void {
    for (const w of writes) {
      const old = this.versions.get(w.key)?.get(tsKey(ts));
      if (old !== undefined && canonicalKey(old.version.value) !== canonicalKey(w.value))
        throw new RampError(`timestamp ${tsKey(ts)} reused for key "${w.key}" with a different value: timestamps must be unique per transaction`);
    }
  }

  private checkPrepared(ts: Ts, keys: string[]): void {
    for (const k of keys) {
      const last = this.lastCommit.get(k);
      // Below lastCommit a commit changes nothing (and its version may already be collected).
      if (last !== undefined && compareTs(ts, last) <= 0) continue;
      if (!this.versions.get(k)?.has(tsKey(ts))) throw new RampError(`ramp.commit of key "${k}" at ${tsKey(ts)} on server "${this.id}", which never prepared it`);
    }
  }

  private install(w: Write, ts: Ts, keys: string[]): void {
    const k = tsKey(ts);
    if (this.versions.get(w.key)?.has(k)) return; // a duplicate prepare
    const stored: StoredVersion = { version: { key: w.key, value: w.value as Json, ts, keys: [...keys] }, supersededAt: undefined };
    this.hold(w.key, k, stored);
    const last = this.lastCommit.get(w.key);
    if (last !== undefined && compareTs(ts, last) < 0)
      this.supersede(w.key, k, stored); // arrived after a later commit
    else this.keepLive(w.key, k, stored);
  }

  /** Holds a version (readable by timestamp until GC collects it). */
  private hold(key: string, k: string, stored: StoredVersion): void {
    let m = this.versions.get(key);
    if (m === undefined) this.versions.set(key, (m = new Map()));
    m.set(k, stored);
    this.stored++;
  }

  /** Marks a held version as not superseded: the latest committed or prepared above it. */
  private keepLive(key: string, k: string, stored: StoredVersion): void {
    let l = this.live.get(key);
    if (l === undefined) this.live.set(key, (l = new Map()));
    l.set(k, stored);
  }

  private commit(key: string, ts: Ts): void {
    const last = this.lastCommit.get(key);
    if (last !== undefined && compareTs(ts, last) <= 0) return;
    this.lastCommit.set(key, ts);
    const l = this.live.get(key);
    if (l === undefined) return;
    for (const [k, s] of l)
      if (compareTs(s.version.ts, ts) < 0) {
        l.delete(k); // deleting the entry being visited is safe in a Map iteration
        this.supersede(key, k, s);
      }
  }

  private supersede(key: string, k: string, s: StoredVersion): void {
    s.supersededAt = this.clock;
    this.gcQueue.push({ at: this.clock, key, ts: k });
  }

  private collect(): void {
    while (this.gcHead < this.gcQueue.length && this.gcQueue[this.gcHead]!.at + this.grace <= this.clock) {
      const { key, ts } = this.gcQueue[this.gcHead++]!;
      const m = this.versions.get(key);
      if (m?.delete(ts)) this.stored--;
      if (m?.size === 0) this.versions.delete(key);
    }
    if (this.gcHead > 1024 && this.gcHead * 2 > this.gcQueue.length) {
      this.gcQueue = this.gcQueue.slice(this.gcHead);
      this.gcHead = 0;
    }
  }
}
