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
  | { k: "time"; dt: number };

const mask = fc.integer({ min: 1, max: 2 ** KEYS.length - 1 });
export const cmdArb = (clients: number): fc.Arbitrary<Cmd> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ k: fc.constant("write" as const), c: fc.nat(clients - 1), mask, v: fc.nat(99) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("read" as const), c: fc.nat(clients - 1), mask }) },
    { weight: 10, arbitrary: fc.record({ k: fc.constant("deliver" as const), i: fc.nat(60) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("drop" as const, "dup" as const), i: fc.nat(60) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("time" as const), dt: fc.integer({ min: 1, max: 100 }) }) },
  );

const keysOf = (m: number) => KEYS.filter((_, i) => m & (1 << i));

export class RampWorld {
  readonly servers = new Map<string, RampServer>();
  readonly clients: RampClient[] = [];
  readonly net = new TestNetwork<RampMessage>();
  readonly history: RampEvent[] = [];
  now = 0;

  constructor(mode: "ramp" | "naive", clients = 3, gcGraceMs = 10_000) {
    for (const id of SERVERS) this.servers.set(id, new RampServer({ id, shard, gcGraceMs }));
    for (let i = 0; i < clients; i++) this.clients.push(new RampClient({ id: `c${i}`, servers: SERVERS, shard, mode, timeoutMs: TIMEOUT, retryMs: RETRY }));
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
        if (server) this.emit(env.to, server.handle(env.msg, this.now));
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
    }
  }

  /** Heals the network: deliver everything and let retries run until no client waits. */
  drain(): void {
    const busy = () => this.clients.some((c) => c.outstanding.reads + c.outstanding.writes > 0);
    for (let round = 0; round < 200 && (busy() || this.net.inFlight.length > 0); round++) {
      while (this.net.inFlight.length > 0) this.run({ k: "deliver", i: 0 });
      this.run({ k: "time", dt: RETRY });
    }
  }
}
