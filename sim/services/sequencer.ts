/**
 * The sequencer as a simulated service: core's Sequencer on one node (its durable state in a
 * core MemoryStorage — the same storage the simulated disk is built on — so it survives a crash
 * and restart without ever reissuing a number) and a SequencerClient on every node that asks
 * (`{ "node": "alice", "next": "invoice" }`).
 *
 * Durable before acknowledged: with `storage.syncLagMs` > 0 the sequencer group-commits (its
 * answers wait for the next sync, `syncLagMs` after the first staged assignment) and a crash
 * loses the staged, never-acknowledged ones; with no lag every assignment is synced at once.
 *
 * A client process is volatile: a crash of its node loses its pending requests (counted
 * `unfinished`); after a restart a new client asks with request ids above every id it used
 * before (incarnation × 2^32), as the core client requires.
 */
import { MemoryStorage } from "../../core/storage.ts";
import { Sequencer, SequencerClient, sequencerMonotonic, sequencerUnique, type SeqEvent } from "../../core/sequencer/index.ts";
import type { Outgoing } from "../../core/sequencer/messages.ts";
import type { SeqRecord, SeqSnapshot } from "../../core/sequencer/state.ts";
import type { CheckResult } from "../run-types.ts";
import type { ServicesSpec, Step } from "../scenario/types.ts";
import { firstFailure } from "./check-result.ts";
import { ClientTable } from "./clients.ts";
import { ServiceHost, type Service, type ServiceMsg, type Tally } from "./host.ts";
import { ServiceArrivals } from "./workload.ts";

type Spec = NonNullable<ServicesSpec["sequencer"]>;

export const SEQUENCER_DEFAULTS = { timeoutMs: 1000, retryMs: 200 };
const TICK = 0;
const FLUSH = 1;
const ARRIVAL = 2;

export class SequencerService implements Service {
  readonly prefix = "seq.";
  readonly statKey = "sequencer";
  readonly node: number;
  private readonly storage = new MemoryStorage<SeqSnapshot, SeqRecord>();
  private server: Sequencer | null;
  private flushAt: number | undefined = undefined;
  private readonly clients: ClientTable<SequencerClient>;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly syncLag: number;
  /** The run's sequencer history (core/sequencer/history.ts) and the time of each event. */
  readonly history: SeqEvent[] = [];
  readonly times: number[] = [];
  private readonly workload: ServiceArrivals<string> | null;

  constructor(
    private readonly host: ServiceHost,
    spec: Spec,
    syncLagMs: number,
  ) {
    this.node = host.nodeIndex(spec.node);
    this.timeoutMs = spec.timeoutMs ?? SEQUENCER_DEFAULTS.timeoutMs;
    this.retryMs = spec.retryMs ?? SEQUENCER_DEFAULTS.retryMs;
    this.syncLag = syncLagMs;
    this.server = Sequencer.recover(this.storage, this.options());
    this.clients = new ClientTable(
      host.env.n,
      (node) => this.makeClient(node),
      (node, at) => host.timer(this, node, TICK, at),
    );
    const w = spec.workload;
    const names = w?.names ?? ["invoice"];
    this.workload = w
      ? new ServiceArrivals(
          host,
          this,
          ARRIVAL,
          w,
          "sequencer",
          (rng) => rng.pick(names),
          (node, name) => this.ask(node, name),
        )
      : null;
  }

  /** Schedules the random requests (after the service is registered with the host). */
  start(): void {
    this.workload?.start();
  }

  private options() {
    return { groupCommit: this.syncLag > 0 };
  }

  handles(step: Step): boolean {
    return "next" in step;
  }

  step(node: number, step: Step, _index: number): void {
    if ("next" in step) this.ask(node, step.next);
  }

  /** Requests of SQL steps waiting for their number, by client and request id. */
  private readonly waiting = new Map<string, (n: number | null) => void>();

  nextval(node: number, name: string, done: (n: number | null) => void): void {
    this.ask(node, name, done);
  }

  /** `node` asks for the next number of `name`. */
  private ask(node: number, name: string, done?: (n: number | null) => void): void {
    const r = this.clients.attempt(node).next(name, this.host.now);
    if (done) for (const e of r.events) if (e.type === "invoke") this.waiting.set(`${e.client}#${e.requestId}`, done);
    this.record(node, r.events);
    this.sendAll(node, r.out);
    this.clients.arm(node);
  }

  deliver(node: number, msg: ServiceMsg): void {
    if (msg.type === "seq.next") {
      // Only the sequencer node runs a sequencer; a misrouted request is a harness bug.
      if (node !== this.node || this.server === null) throw new Error(`seq.next delivered to ${this.host.name(node)}, which runs no sequencer`);
      this.serverStep(this.server.handle(msg));
      return;
    }
    const c = this.clients.at(node);
    if (c === null) return; // an answer to a client process that no longer exists
    this.record(node, c.handle(msg).events);
    this.clients.arm(node);
  }

  timer(node: number, kind: number, due: number): void {
    if (kind === ARRIVAL) return this.workload!.fire(node);
    if (kind === FLUSH) {
      if (node !== this.node || this.server === null || this.flushAt !== due) return;
      this.flushAt = undefined;
      this.serverStep(this.server.flush());
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
    if (node === this.node && this.server !== null) {
      const lost = this.storage.crash();
      this.server = null;
      this.flushAt = undefined;
      if (lost > 0) this.host.seq(node, { event: "unsynced-lost", records: lost });
    }
    this.clients.drop(node);
    // The client process is gone, and the SQL statements waiting on it with it.
    const client = `${this.host.name(node)}#`;
    // (Deleting the entry being visited is safe while iterating a Map.)
    for (const k of this.waiting.keys()) if (k.startsWith(client)) this.waiting.delete(k);
  }

  restart(node: number): void {
    if (node !== this.node || this.server !== null) return;
    this.server = Sequencer.recover(this.storage, this.options());
    const names = [...new Set(this.history.map((e) => e.name))].sort();
    const counters = Object.fromEntries(names.map((n) => [n, this.server!.current(n)]));
    this.host.seq(node, { event: "recover", counters });
  }

  checks(expected: (name: string) => boolean): CheckResult[] {
    const timeouts = this.history.filter((e) => e.type === "unavailable").length;
    const answers = this.history.filter((e) => e.type === "ok").length;
    const tail = `; ${answers} answer(s), ${timeouts} request(s) timed out and were reported unavailable (never answered wrongly)`;
    // Clients are named after their nodes: the client that saw the duplicate or the step back.
    const nodeOf = (i: number) => this.history[i]!.client;
    return [
      firstFailure("sequencer-unique", sequencerUnique(this.history), this.times, expected, tail, nodeOf),
      firstFailure("sequencer-monotonic", sequencerMonotonic(this.history), this.times, expected, tail, nodeOf),
    ];
  }

  tally(node: number): Tally | undefined {
    return this.clients.tally(node);
  }

  // ---- internals -----------------------------------------------------------------------

  private makeClient(node: number): SequencerClient {
    // Request ids must never repeat across the node's incarnations (the sequencer dedups by them).
    const incarnation = this.host.env.replicas[node]!.epoch;
    return new SequencerClient({
      id: this.host.name(node),
      sequencer: this.host.name(this.node),
      timeoutMs: this.timeoutMs,
      retryMs: this.retryMs,
      firstRequestId: incarnation * 2 ** 32,
    });
  }

  private serverStep(step: { out: Outgoing[]; events: SeqEvent[]; syncNeeded: boolean }): void {
    this.record(this.node, step.events);
    this.sendAll(this.node, step.out);
    if (step.syncNeeded && this.flushAt === undefined) {
      this.flushAt = this.host.now + this.syncLag;
      this.host.timer(this, this.node, FLUSH, this.flushAt);
    }
  }

  private sendAll(from: number, out: Outgoing[]): void {
    for (const o of out) this.host.send(from, this.host.nodeIndex(o.to), o.msg);
  }

  private record(node: number, events: SeqEvent[]): void {
    const now = this.host.now;
    for (const e of events) {
      this.history.push(e);
      this.times.push(now);
      const key = `${e.client}#${e.requestId}`;
      if (e.type === "invoke") this.clients.invoked(this.host.nodeIndex(e.client), key, now);
      if (e.type === "ok" || e.type === "unavailable") this.clients.outcome(this.host.nodeIndex(e.client), e.type === "ok", key, now);
      if (e.type === "invoke") this.host.seq(node, { event: "next", name: e.name, req: e.requestId });
      else if (e.type === "ok") this.host.seq(node, { event: "ok", name: e.name, req: e.requestId, n: e.n });
      else if (e.type === "unavailable") this.host.seq(node, { event: "timeout", name: e.name, req: e.requestId });
      else this.host.seq(node, { event: "assign", name: e.name, req: e.requestId, client: e.client, n: e.n });
      if (e.type === "ok" || e.type === "unavailable") {
        const done = this.waiting.get(key);
        if (done) {
          this.waiting.delete(key);
          done(e.type === "ok" ? e.n : null);
        }
      }
    }
  }
}
