/**
 * A RAMP test world: servers s0..s2, clients, the shared test network, and a command language
 * (issue a write or read, deliver / drop / duplicate message i, let time pass) that fast-check
 * generates. Every interleaving comes from the command list, so a failure replays exactly.
 */
import fc from "fast-check";
import { TestNetwork } from "../../sequencer/_test/network.ts";
import { RampClient } from "../client.ts";
import type { RampEvent } from "../history.ts";
import type { RampMessage } from "../messages.ts";
import { MemoryStorage, type ReplicaStorage } from "../../storage.ts";
import type { RampRecord, RampSnapshot, RampStorage } from "../durable.ts";
import { RampError } from "../errors.ts";
import { RampServer } from "../server.ts";

export const SERVERS = ["s0", "s1", "s2"];
export const KEYS = ["x", "y", "z", "w"];
const OWNER: Record<string, string> = { x: "s0", y: "s1", z: "s2", w: "s0" };
export const shard = (key: string): string => OWNER[key] ?? "s9";
export const TIMEOUT = 400;
export const RETRY = 50;

export type Cmd =
  | { k: "write"; c: number; mask: number; v: number }
  | { k: "read"; c: number; mask: number }
  | { k: "deliver" | "drop" | "dup"; i: number }
  | { k: "time"; dt: number }
  /** Durable worlds only: server s's group commit, or its crash and immediate restart. */
  | { k: "flush" | "crash"; s: number };

const mask = fc.integer({ min: 1, max: 2 ** KEYS.length - 1 });
export const cmdArb = (clients: number, durable = false): fc.Arbitrary<Cmd> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ k: fc.constant("write" as const), c: fc.nat(clients - 1), mask, v: fc.nat(99) }) as fc.Arbitrary<Cmd> },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("read" as const), c: fc.nat(clients - 1), mask }) },
    { weight: 10, arbitrary: fc.record({ k: fc.constant("deliver" as const), i: fc.nat(60) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("drop" as const, "dup" as const), i: fc.nat(60) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("time" as const), dt: fc.integer({ min: 1, max: 100 }) }) },
    ...(durable
      ? [
          { weight: 3, arbitrary: fc.record({ k: fc.constant("flush" as const), s: fc.nat(SERVERS.length - 1) }) },
          { weight: 1, arbitrary: fc.record({ k: fc.constant("crash" as const), s: fc.nat(SERVERS.length - 1) }) },
        ]
      : []),
  );

/**
 * A disk that lies about fsync: `sync()` returns but nothing reaches the platter, so a crash
 * loses everything. The canary that a durability check must catch.
 */
export class LyingStorage implements ReplicaStorage<RampSnapshot, RampRecord> {
  readonly pending = 0;
  append(): void {}
  snapshot(): void {}
  sync(): void {}
  load() {
    return { snapshot: undefined, log: [] };
  }
  crash(): number {
    return 0;
  }
}

/** Durable servers: each logs to its own storage; with group commit answers wait for a `flush` command. */
export type Durable = { groupCommit: boolean; storage?: () => RampStorage & { crash(): number }; snapshotEvery?: number };

const keysOf = (m: number) => KEYS.filter((_, i) => m & (1 << i));

export class RampWorld {
  readonly servers = new Map<string, RampServer>();
  readonly clients: RampClient[] = [];
  readonly net = new TestNetwork<RampMessage>();
  readonly history: RampEvent[] = [];
  readonly storages = new Map<string, RampStorage & { crash(): number }>();
  now = 0;

  constructor(
    mode: "ramp" | "naive",
    clients = 3,
    private readonly gcGraceMs = 10_000,
    private readonly durable: Durable | null = null,
  ) {
    for (const id of SERVERS) {
      if (durable !== null) this.storages.set(id, durable.storage?.() ?? new MemoryStorage<RampSnapshot, RampRecord>());
      this.servers.set(id, this.server(id));
    }
    for (let i = 0; i < clients; i++) this.clients.push(new RampClient({ id: `c${i}`, servers: SERVERS, shard, mode, timeoutMs: TIMEOUT, retryMs: RETRY }));
  }

  /** Server `id`, recovered from its storage in a durable world. */
  server(id: string): RampServer {
    const storage = this.storages.get(id);
    const d = this.durable;
    return new RampServer({ id, shard, gcGraceMs: this.gcGraceMs, ...(storage && d ? { storage, groupCommit: d.groupCommit, snapshotEvery: d.snapshotEvery ?? 256 } : {}) });
  }

  /**
   * A server handles a request. It rejects one it cannot serve (state untouched): only a server
   * that lost a prepare it had answered (a lying disk) ever sees a commit it never prepared.
   */
  private serve(id: string, server: RampServer, msg: RampMessage): void {
    try {
      this.emit(id, server.handle(msg, this.now));
    } catch (e) {
      if (!(e instanceof RampError)) throw e;
    }
  }

  private emit(from: string, step: { out: { to: string; msg: RampMessage }[]; events?: RampEvent[] }): void {
    this.history.push(...(step.events ?? []));
    this.net.send(from, step.out);
  }

  run(c: Cmd): void {
    switch (c.k) {
      case "write": {
        const writes = Object.fromEntries(keysOf(c.mask).map((k) => [k, `${k}${c.v}`]));
        this.emit(`c${c.c}`, this.clients[c.c]!.write(writes, this.now));
        return;
      }
      case "read":
        this.emit(`c${c.c}`, this.clients[c.c]!.read(keysOf(c.mask), this.now));
        return;
      case "deliver": {
        const env = this.net.take(c.i);
        if (env === undefined) return;
        const server = this.servers.get(env.to);
        if (server) this.serve(env.to, server, env.msg);
        else this.emit(env.to, this.clients[Number(env.to.slice(1))]!.handle(env.msg, this.now));
        return;
      }
      case "drop":
        this.net.drop(c.i);
        return;
      case "dup":
        this.net.duplicate(c.i);
        return;
      case "time":
        this.now += c.dt;
        this.clients.forEach((cl, i) => this.emit(`c${i}`, cl.tick(this.now)));
        return;
      case "flush": {
        const id = SERVERS[c.s]!;
        this.emit(id, { out: this.servers.get(id)!.flush() });
        return;
      }
      case "crash": {
        // Power loss and an immediate restart: staged records and held answers are gone.
        const id = SERVERS[c.s]!;
        const storage = this.storages.get(id);
        if (storage === undefined) return;
        storage.crash();
        this.servers.set(id, this.server(id));
        return;
      }
    }
  }

  /** Heals the network: deliver everything and let retries run until no client waits. */
  drain(): void {
    const busy = () => this.clients.some((c) => c.outstanding.reads + c.outstanding.writes > 0);
    for (let round = 0; round < 200 && (busy() || this.net.inFlight.length > 0); round++) {
      while (this.net.inFlight.length > 0) this.run({ k: "deliver", i: 0 });
      for (let s = 0; s < SERVERS.length; s++) this.run({ k: "flush", s });
      while (this.net.inFlight.length > 0) this.run({ k: "deliver", i: 0 });
      this.run({ k: "time", dt: RETRY });
    }
  }
}
