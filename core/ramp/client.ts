/**
 * A RAMP client (the coordinator of its own transactions), as a message-driven state machine.
 *
 * Write (mode "ramp"): PREPARE to every shard holding one of its keys (each version carries
 * the transaction's timestamp and its full key set); only when every shard has answered
 * `prepared`, COMMIT to each. A transaction that cannot prepare before its deadline is
 * abandoned: no commit was sent, so no reader can ever see any of it. Once committing, it
 * retries until every shard confirms (no deadline: stopping half way would leave it committed
 * on some shards only, which readers repair but which is never finished).
 *
 * Read (mode "ramp"): round 1 GETs the latest committed version of each key; `repairs()` finds
 * the keys whose returned version is older than a sibling's metadata says; round 2 GETs those by
 * exact timestamp. If a repair target was garbage-collected the read restarts from round 1.
 *
 * Mode "naive" (to show what RAMP prevents): writes PUT (install + commit) on each shard with no
 * prepare, reads return round 1 as is. It exhibits fractured reads.
 *
 * No clock of its own: calls take `now`; `wakeAt()` says when `tick` is next due.
 */
import { type Json, jsonProblem } from "../util/json.ts";
import { RampError } from "./errors.ts";
import type { RampEvent, ReadVersion } from "./history.ts";
import { MAX_KEY_LENGTH, type Outgoing, type ReadItem, type Version, parseServerReply } from "./messages.ts";
import { repairs } from "./repair.ts";
import { type Ts, tsKey } from "./timestamp.ts";

export type RampClientOptions = {
  /** Client id: the reply address and the tie-breaker of its timestamps. Unique per incarnation. */
  id: string;
  /** Every server id; a key the shard function maps elsewhere is an error. */
  servers: readonly string[];
  shard: (key: string) => string;
  mode?: "ramp" | "naive";
  /** Give up on a read, or on a write still preparing, this long after it started. */
  timeoutMs: number;
  /** Resend unanswered requests this often. */
  retryMs: number;
};

export type RampStep = { out: Outgoing[]; events: RampEvent[] };

type WriteTx = {
  ts: Ts;
  writes: Record<string, Json>;
  keys: string[];
  phase: "prepare" | "commit" | "put";
  byShard: Map<string, string[]>;
  waiting: Set<string>;
  deadline: number;
  retryAt: number;
};

type ReadTx = {
  id: number;
  keys: string[];
  attempt: number;
  round: 1 | 2;
  /** The items asked of each shard still waiting to answer in this round. */
  asked: Map<string, ReadItem[]>;
  got: Map<string, Version>;
  deadline: number;
  retryAt: number;
};

export class RampClient {
  readonly mode: "ramp" | "naive";
  private clock = 0;
  private nextRead = 0;
  private readonly writesInFlight = new Map<string, WriteTx>();
  private readonly readsInFlight = new Map<number, ReadTx>();

  constructor(readonly options: RampClientOptions) {
    this.mode = options.mode ?? "ramp";
    if (!(options.timeoutMs > 0) || !(options.retryMs > 0)) throw new RampError("timeoutMs and retryMs must be positive");
  }

  /** Starts a write transaction of `writes` (key → JSON value). Returns its timestamp. */
  write(writes: Record<string, Json>, now: number): RampStep & { ts: Ts } {
    const keys = Object.keys(writes);
    if (keys.length === 0) throw new RampError("a write transaction needs at least one key");
    for (const k of keys) {
      const p = jsonProblem(writes[k]);
      if (p !== undefined) throw new RampError(`value of key "${k}" is not a JSON value: ${p}`);
    }
    const byShard = this.group(keys);
    this.clock = Math.max(this.clock + 1, Math.floor(now));
    const ts: Ts = { t: this.clock, c: this.options.id };
    const tx: WriteTx = {
      ts,
      writes: structuredClone(writes),
      keys,
      phase: this.mode === "naive" ? "put" : "prepare",
      byShard,
      waiting: new Set(byShard.keys()),
      deadline: now + this.options.timeoutMs,
      retryAt: now + this.options.retryMs,
    };
    this.writesInFlight.set(tsKey(ts), tx);
    return { ts, out: [...tx.waiting].map((s) => this.writeMsg(tx, s)), events: [{ type: "write-invoke", client: this.options.id, ts, writes: structuredClone(writes) }] };
  }

  /** Starts a read of `keys`. Returns its id. */
  read(keys: string[], now: number): RampStep & { read: number } {
    if (keys.length === 0) throw new RampError("a read needs at least one key");
    if (new Set(keys).size !== keys.length) throw new RampError("a read lists a key twice");
    this.group(keys); // validates every key's shard before any state changes
    const tx: ReadTx = { id: this.nextRead++, keys: [...keys], attempt: 0, round: 1, asked: new Map(), got: new Map(), deadline: now + this.options.timeoutMs, retryAt: 0 };
    this.readsInFlight.set(tx.id, tx);
    const out = this.startRound(tx, 1, new Map(keys.map((k) => [k, null])), now);
    return { read: tx.id, out, events: [{ type: "read-invoke", client: this.options.id, read: tx.id, keys: [...keys] }] };
  }

  /** A reply from a server. Stale and duplicate replies are ignored. */
  handle(raw: unknown, now: number): RampStep {
    const msg = parseServerReply(raw);
    if (msg.type === "ramp.values") return this.onValues(msg.server, msg.read, msg.attempt, msg.versions, now);
    const tx = this.writesInFlight.get(tsKey(msg.ts));
    if (tx === undefined || !tx.waiting.has(msg.server)) return { out: [], events: [] };
    const expected = tx.phase === "prepare" ? "ramp.prepared" : "ramp.committed";
    if (msg.type !== expected) return { out: [], events: [] }; // a late duplicate from the previous phase
    tx.waiting.delete(msg.server);
    if (tx.waiting.size > 0) return { out: [], events: [] };
    if (tx.phase === "prepare") {
      // Every shard has the versions: commit may begin (and must then finish).
      tx.phase = "commit";
      tx.waiting = new Set(tx.byShard.keys());
      tx.retryAt = now + this.options.retryMs;
      return { out: [...tx.waiting].map((s) => this.writeMsg(tx, s)), events: [] };
    }
    this.writesInFlight.delete(tsKey(tx.ts));
    return { out: [], events: [{ type: "write-ok", client: this.options.id, ts: tx.ts }] };
  }

  /** Resends what is due; gives up on reads and still-preparing writes past their deadline. */
  tick(now: number): RampStep {
    const out: Outgoing[] = [];
    const events: RampEvent[] = [];
    for (const [k, tx] of this.writesInFlight) {
      if (tx.phase !== "commit" && now >= tx.deadline) {
        this.writesInFlight.delete(k);
        events.push({ type: "write-unavailable", client: this.options.id, ts: tx.ts });
      } else if (now >= tx.retryAt) {
        tx.retryAt = now + this.options.retryMs;
        for (const s of tx.waiting) out.push(this.writeMsg(tx, s));
      }
    }
    for (const [id, tx] of this.readsInFlight) {
      if (now >= tx.deadline) {
        this.readsInFlight.delete(id);
        events.push({ type: "read-unavailable", client: this.options.id, read: id });
      } else if (now >= tx.retryAt) {
        tx.retryAt = now + this.options.retryMs;
        for (const [s, reads] of tx.asked) out.push(this.getMsg(tx, s, reads));
      }
    }
    return { out, events };
  }

  wakeAt(): number | undefined {
    let t: number | undefined;
    for (const tx of this.writesInFlight.values()) t = Math.min(t ?? Infinity, tx.retryAt, tx.phase === "commit" ? Infinity : tx.deadline);
    for (const tx of this.readsInFlight.values()) t = Math.min(t ?? Infinity, tx.retryAt, tx.deadline);
    return t;
  }

  get outstanding(): { reads: number; writes: number } {
    return { reads: this.readsInFlight.size, writes: this.writesInFlight.size };
  }

  private onValues(server: string, id: number, attempt: number, versions: (Version | { key: string; missing: Ts })[], now: number): RampStep {
    const tx = this.readsInFlight.get(id);
    if (tx === undefined || tx.attempt !== attempt || !tx.asked.has(server)) return { out: [], events: [] };
    const asked = tx.asked.get(server)!;
    const expectedKeys = asked
      .map((r) => r.key)
      .sort()
      .join("\u0000");
    if (
      versions
        .map((v) => v.key)
        .sort()
        .join("\u0000") !== expectedKeys
    )
      throw new RampError(`ramp.values from "${server}" does not answer the keys asked`);
    if (versions.some((v) => "missing" in v)) {
      // A repair target was garbage-collected: start the read over (round 1 sees newer commits).
      tx.got.clear();
      return { out: this.startRound(tx, 1, new Map(tx.keys.map((k) => [k, null])), now), events: [] };
    }
    tx.asked.delete(server);
    for (const v of versions as Version[]) {
      tx.got.set(v.key, v);
      this.clock = Math.max(this.clock, v.ts.t); // later writes by this client order after what it read
    }
    if (tx.asked.size > 0) return { out: [], events: [] };
    if (tx.round === 1 && this.mode === "ramp") {
      const needed = repairs(tx.got);
      if (needed.size > 0) return { out: this.startRound(tx, 2, needed, now), events: [] };
    }
    this.readsInFlight.delete(id);
    // fromEntries defines own keys: a key called "__proto__" is read like any other.
    const result: Record<string, ReadVersion> = Object.fromEntries(
      tx.keys.map((k) => {
        const v = tx.got.get(k)!;
        return [k, { ts: v.ts, value: v.value, keys: v.keys }];
      }),
    );
    return { out: [], events: [{ type: "read-ok", client: this.options.id, read: id, versions: result }] };
  }

  private startRound(tx: ReadTx, round: 1 | 2, items: Map<string, Ts | null>, now: number): Outgoing[] {
    tx.attempt++;
    tx.round = round;
    tx.asked = new Map();
    for (const [key, ts] of items) {
      const s = this.options.shard(key);
      const list = tx.asked.get(s) ?? tx.asked.set(s, []).get(s)!;
      list.push({ key, ts });
    }
    tx.retryAt = now + this.options.retryMs;
    return [...tx.asked].map(([s, reads]) => this.getMsg(tx, s, reads));
  }

  private getMsg(tx: ReadTx, server: string, reads: ReadItem[]): Outgoing {
    return { to: server, msg: { type: "ramp.get", client: this.options.id, read: tx.id, attempt: tx.attempt, reads } };
  }

  private writeMsg(tx: WriteTx, server: string): Outgoing {
    const keys = tx.byShard.get(server)!;
    const c = this.options.id;
    if (tx.phase === "commit") return { to: server, msg: { type: "ramp.commit", client: c, ts: tx.ts, keys } };
    const writes = keys.map((key) => ({ key, value: tx.writes[key]! }));
    return { to: server, msg: { type: tx.phase === "put" ? "ramp.put" : "ramp.prepare", client: c, ts: tx.ts, writes, keys: tx.keys } };
  }

  /** Keys by the server that owns them; an unknown shard is an error before anything is sent. */
  private group(keys: string[]): Map<string, string[]> {
    const byShard = new Map<string, string[]>();
    for (const k of keys) {
      if (typeof k !== "string" || k.length === 0 || k.length > MAX_KEY_LENGTH)
        throw new RampError(`key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters, got ${JSON.stringify(k)}`);
      const s = this.options.shard(k);
      if (!this.options.servers.includes(s))
        throw new RampError(`key "${k}" maps to shard ${JSON.stringify(s)}, which is not one of the servers [${this.options.servers.join(", ")}]`);
      (byShard.get(s) ?? byShard.set(s, []).get(s)!).push(k);
    }
    return byShard;
  }
}
