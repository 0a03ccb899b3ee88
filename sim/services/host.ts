/**
 * The services of a run (sequencer, RAMP shards). Service messages cross the run's network
 * component (sim/engine/network.ts) — an instance of their own over the replicas' links, stats
 * and message ids: the same latency distribution, loss, duplication, reordering, per-link FIFO,
 * partitions, hold and release — but on their own agenda kinds (EvKind.ServiceDeliver /
 * ServiceTimer) and their own seeded streams, so adding service traffic to a scenario neither
 * slows the replicas' delivery path nor reshuffles their network.
 *
 * Everything a service does is traced as a rare event (its canonical line is hashed whole):
 * service traffic is small, and the traceHash is then the same with or without the trace by
 * construction. Sends, drops, duplicates, holds and deliveries use the replicas' line shapes
 * (plus the message `kind` on a deliver; its `vv`/`value` are those of the replica beside the
 * service, which the message does not change), so every reader of the trace draws service
 * messages as arrows; local service events have their own types (`seq`, `txn`).
 */
import { Ev, EvKind } from "../engine/event.ts";
import type { Network } from "../engine/network.ts";
import type { ServiceEnv, ServiceHooks } from "../engine/service-hooks.ts";
import type { Trace } from "../engine/trace.ts";
import type { CheckResult, ServiceTally } from "../run-types.ts";
import type { Step } from "../scenario/types.ts";

/** A service message: plain JSON with a `type` ("seq.next", "ramp.prepare", …). */
export type ServiceMsg = { type: string };

/** A service message on the wire: its type (for the trace) and its JSON text. */
type OnTheWire = { type: string; text: string };

/** Per-node availability of one service (summary `stats.availability`). */
export type Tally = ServiceTally;

/** One kind of service with its servers and clients. */
export interface Service {
  /** The message-type prefix it owns ("seq." / "ramp."). */
  readonly prefix: string;
  /** The key under `stats.availability.<node>` ("sequencer" / "transactions"). */
  readonly statKey: string;
  handles(step: Step): boolean;
  step(node: number, step: Step, index: number): void;
  /** The sequencer's: asks for a number on behalf of an SQL step (ServiceHooks.nextval). */
  nextval?(node: number, name: string, done: (n: number | null) => void): void;
  deliver(node: number, msg: ServiceMsg): void;
  /** Timer `kind` at `node`, scheduled for `due` (it may run later: a paused node runs it at resume). */
  timer(node: number, kind: number, due: number): void;
  crash(node: number): void;
  restart(node: number): void;
  checks(expected: (name: string) => boolean): CheckResult[];
  /** Availability at `node`, or undefined when the node never used this service. */
  tally(node: number): Tally | undefined;
}

/** The service streams: their own, so that service traffic never shifts the replicas' draws. */
const STREAMS = { latency: "services/latency", loss: "services/loss", duplicate: "services/duplicate", reorder: "services/reorder" };

export class ServiceHost implements ServiceHooks {
  readonly services: Service[] = [];
  private readonly index: Map<string, number>;
  /** The services' network: the replicas' links, stats and message ids, streams of its own. */
  private readonly net: Network;
  /** Per node: service messages and timers that came due while it was paused. */
  private readonly inbox: Ev[][];

  constructor(readonly env: ServiceEnv) {
    this.index = new Map(env.names.map((n, i) => [n, i]));
    const streams = {
      latency: env.streams.get(STREAMS.latency),
      loss: env.streams.get(STREAMS.loss),
      duplicate: env.streams.get(STREAMS.duplicate),
      reorder: env.streams.get(STREAMS.reorder),
    };
    this.net = env.network(
      streams,
      env.trace.serviceMessages((ev) => (ev.payload as OnTheWire).type),
    );
    this.inbox = env.names.map(() => []);
  }

  get now(): number {
    return this.env.time.now;
  }

  nodeIndex(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`unknown node "${name}" (nodes: ${this.env.names.join(", ")})`);
    return i;
  }

  name(i: number): string {
    return this.env.names[i]!;
  }

  add(s: Service): void {
    this.services.push(s);
  }

  // ---- tracing -------------------------------------------------------------------------

  /** A sequencer history event at `node`, now. */
  seq(node: number, e: Parameters<Trace["seq"]>[2]): void {
    this.env.trace.seq(this.now, node, e);
  }

  /** A RAMP transaction event at `node`, now. */
  txn(node: number, e: Parameters<Trace["txn"]>[2]): void {
    this.env.trace.txn(this.now, node, e);
  }

  // ---- network -------------------------------------------------------------------------

  /** Sends `msg` from node `from` to node `to` over the services' network. */
  send(from: number, to: number, msg: ServiceMsg): void {
    const ev = new Ev(EvKind.ServiceDeliver, to);
    ev.from = from;
    // The payload travels as text: every delivery parses its own copy, nothing is shared.
    const text = JSON.stringify(msg);
    ev.payload = { type: msg.type, text } satisfies OnTheWire;
    ev.epoch = this.env.replicas[to]!.epoch;
    this.net.send(ev, text.length);
  }

  /**
   * Schedules timer `kind` (0–15) of service `svc` at node `node`, time `at` (stale ones are the
   * service's to ignore). A bound timer belongs to the node's current process: it dies with a
   * crash, and waits while the node is paused. An unbound one (workload arrivals) always fires.
   */
  timer(svc: Service, node: number, kind: number, at: number, bound = true): void {
    const ev = new Ev(EvKind.ServiceTimer, node);
    ev.id = this.services.indexOf(svc) * 16 + kind;
    ev.origin = bound ? 0 : 1;
    ev.epoch = this.env.replicas[node]!.epoch;
    this.env.queue.push(ev, Math.max(at, this.now));
  }

  // ---- engine hooks ----------------------------------------------------------------------

  onEvent(ev: Ev): void {
    if (ev.kind === EvKind.ServiceTimer && ev.origin === 1) return this.run(ev);
    const r = this.env.replicas[ev.node]!;
    // A message to a crashed node (or to an incarnation that has since crashed) is lost, and one
    // on a link a partition cut while it was in flight is dropped or held, as the replicas' are;
    // a timer of a process that no longer exists just dies.
    const gone = r.crashed || ev.epoch !== r.epoch;
    if (ev.kind === EvKind.ServiceDeliver) {
      if (!this.net.arrive(ev, gone)) return;
    } else if (gone) return;
    if (r.paused) {
      this.inbox[ev.node]!.push(ev);
      return;
    }
    this.run(ev);
  }

  private run(ev: Ev): void {
    if (ev.kind === EvKind.ServiceTimer) return this.services[ev.id >> 4]!.timer(ev.node, ev.id & 15, ev.t);
    const msg = JSON.parse((ev.payload as OnTheWire).text) as ServiceMsg;
    this.env.stats.delivered++;
    this.env.trace.serviceDeliver(this.now, ev.id, this.env.replicas[ev.node]!, ev.from, msg.type);
    const svc = this.services.find((s) => msg.type.startsWith(s.prefix));
    if (svc === undefined) throw new Error(`service message of unknown type ${JSON.stringify(msg.type)}`);
    svc.deliver(ev.node, msg);
  }

  nextval(node: number, name: string, done: (n: number | null) => void): boolean {
    const svc = this.services.find((s) => s.nextval !== undefined);
    if (svc === undefined) return false;
    svc.nextval!(node, name, done);
    return true;
  }

  step(step: Step, index: number): void {
    if (!("node" in step)) return;
    const i = this.nodeIndex(step.node);
    const r = this.env.replicas[i]!;
    const what = "next" in step ? "next" : "txn";
    if (!r.up) {
      this.env.trace.skip(this.now, i, { op: what }, r.crashed ? "crashed" : "paused");
      return;
    }
    const svc = this.services.find((s) => s.handles(step));
    if (svc === undefined) throw new Error(`steps[${index}]: no service declared for "${what}"`);
    svc.step(i, step, index);
  }

  crash(node: number): void {
    // What waited in a paused process's buffers is volatile.
    for (const ev of this.inbox[node]!.splice(0)) if (ev.kind === EvKind.ServiceDeliver) this.net.drop(ev, "crash");
    for (const s of this.services) s.crash(node);
  }

  restart(node: number): void {
    for (const s of this.services) s.restart(node);
  }

  resume(node: number): void {
    for (const ev of this.inbox[node]!.splice(0)) this.run(ev);
  }

  heal(): void {
    this.net.release();
  }

  // ---- results -----------------------------------------------------------------------------

  checks(expected: (name: string) => boolean): CheckResult[] {
    return this.services.flatMap((s) => s.checks(expected));
  }

  /**
   * `stats.availability`: per node, CRDT writes accepted (own updates issued) and, for each
   * service it used, requests attempted / succeeded / timed out / unfinished (lost in a crash
   * of the asking node, or still waiting when the run ended).
   */
  availability(): Record<string, Record<string, number | Tally>> {
    // fromEntries defines own keys: a node called "__proto__" gets its row like any other.
    return Object.fromEntries(
      this.env.replicas.map((r, i) => {
        const entry: Record<string, number | Tally> = { crdtWrites: r.seq };
        for (const s of this.services) {
          const t = s.tally(i);
          if (t !== undefined) entry[s.statKey] = t;
        }
        return [r.name, entry];
      }),
    );
  }
}
