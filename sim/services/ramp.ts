/**
 * RAMP-Fast transactions as a simulated service: core's RampServer on every shard node and a
 * RampClient (the coordinator of its own transactions) on every node that runs a `txn` step.
 * Mode "ramp" prepares on every shard before committing anywhere and repairs reads with a
 * second round; mode "naive" puts each key on its shard at once and reads one round — the
 * fractured reads the read-atomic checker reports.
 *
 * Crashes: a client process is volatile (its in-flight transactions are lost; a restarted
 * client takes a fresh id, `alice~2`, so its timestamps never collide with the old ones). A
 * shard server logs every prepare, put and commit to its storage (core MemoryStorage, as the
 * sequencer) and answers only once it is durable: at once, or with `storage.syncLagMs` at the
 * shard's next group commit. A crash loses the staged, never-answered records (traced `txn`
 * `unsynced-lost`); the restart replays the durable snapshot and log (traced `txn` `recover`).
 *
 * Besides read-atomic, the service adds its part to `durability` whenever that check runs: in
 * what the shards recover from their storage at the end, every transaction a client saw commit
 * is still the latest (or superseded) on each of its shards, and every version a read returned
 * is still there. A request a shard cannot serve is rejected (traced `txn` `rejected`).
 */
import { MemoryStorage } from "../../core/storage.ts";
import {
  RampClient,
  RampError,
  RampServer,
  committedDurable,
  readAtomic,
  tsKey,
  type RampEvent,
  type RampRecord,
  type RampServerStep,
  type RampSnapshot,
  type ShardView,
  type Ts,
} from "../../core/ramp/index.ts";
import type { Outgoing } from "../../core/ramp/messages.ts";
import type { Json } from "../../core/util/json.ts";
import type { CheckResult } from "../run-types.ts";
import type { Rng } from "../rng.ts";
import type { ServicesSpec, Step, TxnSpec } from "../scenario/types.ts";
import { firstFailure } from "./check-result.ts";
import { ClientTable } from "./clients.ts";
import { ServiceHost, type Service, type ServiceMsg, type Tally } from "./host.ts";
import { shardFunction } from "./shards.ts";
import { ServiceArrivals } from "./workload.ts";

type Spec = NonNullable<ServicesSpec["ramp"]>;

export const RAMP_DEFAULTS = { timeoutMs: 1000, retryMs: 200 };
const TICK = 0;
const ARRIVAL = 1;
const FLUSH = 2;
const REQUESTS = new Set(["ramp.prepare", "ramp.commit", "ramp.put", "ramp.get"]);

/** A transaction's key for its latency, from its invoke to its outcome event (same client, same ts or read number). */
const writeKey = (e: { client: string; ts: Ts }) => `w ${e.client} ${tsKey(e.ts)}`;
const readKey = (e: { client: string; read: number }) => `r ${e.client} ${e.read}`;

export class RampService implements Service {
  readonly prefix = "ramp.";
  readonly statKey = "transactions";
  private readonly mode: "ramp" | "naive";
  private readonly shard: (key: string) => string;
  private readonly shards: readonly string[];
  /** Shard node → its server, null while the node is down. */
  private readonly servers = new Map<number, RampServer | null>();
  private readonly storages = new Map<number, MemoryStorage<RampSnapshot, RampRecord>>();
  /** Shard node → when its pending group commit runs. */
  private readonly flushAt = new Map<number, number>();
  private readonly syncLag: number;
  private readonly clients: ClientTable<RampClient>;
  /** Client id → node (answers are addressed to client ids). */
  private readonly clientNode = new Map<string, number>();
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  readonly history: RampEvent[] = [];
  readonly times: number[] = [];
  private readonly workload: ServiceArrivals<TxnSpec> | null;

  constructor(
    private readonly host: ServiceHost,
    spec: Spec,
    syncLagMs: number,
  ) {
    this.mode = spec.mode ?? "ramp";
    this.shard = shardFunction(spec);
    this.shards = spec.shards;
    this.timeoutMs = spec.timeoutMs ?? RAMP_DEFAULTS.timeoutMs;
    this.retryMs = spec.retryMs ?? RAMP_DEFAULTS.retryMs;
    this.syncLag = syncLagMs;
    for (const s of spec.shards) {
      const node = host.nodeIndex(s);
      this.storages.set(node, new MemoryStorage());
      this.servers.set(node, this.makeServer(node));
    }
    this.clients = new ClientTable(
      host.env.n,
      (node) => this.makeClient(node),
      (node, at) => host.timer(this, node, TICK, at),
    );
    const w = spec.workload;
    const keys = w?.keys ?? Object.keys(spec.keys ?? {});
    const reads = w?.reads ?? 0.5;
    let written = 0;
    // A fixed number of draws per arrival (read or write, key order, subset size).
    const draw = (rng: Rng, node: number): TxnSpec => {
      const read = rng.chance(reads);
      const subset = rng.shuffle([...keys]).slice(0, rng.int(1, keys.length));
      if (read) return { read: subset };
      const value = `${host.name(node)}-${++written}`;
      return { write: Object.fromEntries(subset.map((k) => [k, value])) };
    };
    this.workload = w ? new ServiceArrivals(host, this, ARRIVAL, w, "ramp", draw, (node, txn) => this.begin(node, txn)) : null;
  }

  /** Schedules the random transactions (after the service is registered with the host). */
  start(): void {
    this.workload?.start();
  }

  handles(step: Step): boolean {
    return "txn" in step;
  }

  step(node: number, step: Step, _index: number): void {
    if ("txn" in step) this.begin(node, step.txn);
  }

  /** `node` starts transaction `txn`. */
  private begin(node: number, txn: TxnSpec): void {
    const c = this.clients.attempt(node);
    const now = this.host.now;
    const r = txn.write !== undefined ? c.write(txn.write as Record<string, Json>, now) : c.read(txn.read!, now);
    this.record(node, r.events);
    this.sendAll(node, r.out);
    this.clients.arm(node);
  }

  deliver(node: number, msg: ServiceMsg): void {
    const now = this.host.now;
    if (REQUESTS.has(msg.type)) {
      const server = this.servers.get(node);
      // The host never delivers to a node that is down; a request to a non-shard is a harness bug.
      if (server === undefined || server === null) throw new Error(`${msg.type} delivered to ${this.host.name(node)}, which runs no shard server`);
      let step: RampServerStep;
      try {
        step = server.handle(msg, now);
      } catch (e) {
        // A request the shard cannot serve is rejected, its state untouched (a commit of a version it
        // never prepared can only come from a shard that lost an answered prepare: a disk that lies).
        if (!(e instanceof RampError)) throw e;
        this.host.txn(node, { event: "rejected", reason: e.message });
        return;
      }
      this.serverStep(node, step);
      return;
    }
    const c = this.clients.at(node);
    if (c === null) return; // an answer to a client process that no longer exists
    const r = c.handle(msg, now);
    this.record(node, r.events);
    this.sendAll(node, r.out);
    this.clients.arm(node);
  }

  timer(node: number, kind: number, due: number): void {
    if (kind === ARRIVAL) return this.workload!.fire(node);
    if (kind === FLUSH) {
      const server = this.servers.get(node);
      if (server === undefined || server === null || this.flushAt.get(node) !== due) return;
      this.flushAt.delete(node);
      this.sendAll(node, server.flush());
      return;
    }
    const c = this.clients.fired(node, due);
    if (c === null) return;
    const r = c.tick(this.host.now);
    this.record(node, r.events);
    this.sendAll(node, r.out);
    this.clients.arm(node);
  }

  crash(node: number): void {
    const storage = this.storages.get(node);
    if (storage !== undefined && this.servers.get(node) !== null) {
      const lost = storage.crash();
      this.servers.set(node, null);
      this.flushAt.delete(node);
      if (lost > 0) this.host.txn(node, { event: "unsynced-lost", records: lost });
    }
    this.clients.drop(node);
  }

  restart(node: number): void {
    if (this.servers.get(node) !== null) return;
    const server = this.makeServer(node);
    this.servers.set(node, server);
    this.host.txn(node, { event: "recover", versions: server.versionCount });
  }

  checks(expected: (name: string) => boolean): CheckResult[] {
    const count = (type: RampEvent["type"]) => this.history.filter((e) => e.type === type).length;
    const tail =
      `; mode ${this.mode}: ${count("write-ok")} write(s) committed, ${count("write-unavailable")} abandoned before commit, ` + `${count("read-unavailable")} read(s) timed out`;
    const nodeOf = (i: number) => {
      const node = this.clientNode.get(this.history[i]!.client);
      return node === undefined ? undefined : this.host.name(node);
    };
    const out = [firstFailure("read-atomic", readAtomic(this.history), this.times, expected, tail, nodeOf)];
    if (this.host.env.checksDurability) out.push(firstFailure("durability", committedDurable(this.history, this.recovered()), this.times, expected, "", nodeOf));
    return out;
  }

  /** What each shard would come back with from its durable storage alone. */
  private recovered(): (key: string) => ShardView {
    const images = new Map<string, RampServer>();
    for (const node of this.storages.keys()) images.set(this.host.name(node), this.makeServer(node));
    return (key) => {
      const server = this.shard(key);
      const image = images.get(server)!;
      return { server, latest: image.latest(key).ts, has: (ts) => image.has(key, ts) };
    };
  }

  tally(node: number): Tally | undefined {
    return this.clients.tally(node);
  }

  // ---- internals -----------------------------------------------------------------------

  /** The shard server of `node`, recovered from whatever its storage holds durably. */
  private makeServer(node: number): RampServer {
    // Superseded versions stay readable by timestamp past any reader's timeout (a read is done or
    // abandoned within timeoutMs), so GC never forces a read to restart; twice that for retries in flight.
    const storage = this.storages.get(node)!;
    return new RampServer({ id: this.host.name(node), shard: this.shard, gcGraceMs: 2 * this.timeoutMs, storage, groupCommit: this.syncLag > 0 });
  }

  private serverStep(node: number, step: RampServerStep): void {
    this.sendAll(node, step.out);
    if (step.syncNeeded && !this.flushAt.has(node)) {
      const at = this.host.now + this.syncLag;
      this.flushAt.set(node, at);
      this.host.timer(this, node, FLUSH, at);
    }
  }

  private makeClient(node: number): RampClient {
    const name = this.host.name(node);
    const epoch = this.host.env.replicas[node]!.epoch;
    // A fresh id per incarnation: timestamps (t, id) stay unique across the node's restarts.
    const id = epoch === 0 ? name : `${name}~${epoch}`;
    this.clientNode.set(id, node);
    return new RampClient({ id, servers: this.shards, shard: this.shard, mode: this.mode, timeoutMs: this.timeoutMs, retryMs: this.retryMs });
  }

  private sendAll(from: number, out: Outgoing[]): void {
    for (const o of out) {
      const to = this.clientNode.get(o.to) ?? this.host.nodeIndex(o.to);
      this.host.send(from, to, o.msg);
    }
  }

  private record(node: number, events: RampEvent[]): void {
    const now = this.host.now;
    for (const e of events) {
      this.history.push(e);
      this.times.push(now);
      switch (e.type) {
        case "write-invoke":
          this.clients.invoked(node, writeKey(e), now);
          this.host.txn(node, { event: "write", ts: tsKey(e.ts), writes: e.writes });
          break;
        case "write-ok":
          this.clients.outcome(node, true, writeKey(e), now);
          this.host.txn(node, { event: "committed", ts: tsKey(e.ts) });
          break;
        case "write-unavailable":
          this.clients.outcome(node, false, writeKey(e), now);
          this.host.txn(node, { event: "write-timeout", ts: tsKey(e.ts) });
          break;
        case "read-invoke":
          this.clients.invoked(node, readKey(e), now);
          this.host.txn(node, { event: "read", read: e.read, keys: e.keys });
          break;
        case "read-ok": {
          this.clients.outcome(node, true, readKey(e), now);
          // fromEntries defines own keys: a RAMP key called "__proto__" is printed like any other.
          const read = Object.entries(e.versions);
          const values = Object.fromEntries(read.map(([k, v]) => [k, v.value]));
          const versions = Object.fromEntries(read.map(([k, v]) => [k, tsKey(v.ts)]));
          this.host.txn(node, { event: "read-ok", read: e.read, values, versions });
          break;
        }
        case "read-unavailable":
          this.clients.outcome(node, false, readKey(e), now);
          this.host.txn(node, { event: "read-timeout", read: e.read });
          break;
      }
    }
  }
}
