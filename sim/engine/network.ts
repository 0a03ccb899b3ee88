/**
 * The simulated network (TigerBeetle's packet simulator): latency drawn from the scenario's
 * distribution, loss, duplication, reordering, per-link FIFO, the partitions and cuts of
 * `Links` (any shape, one-way included), hold and release, and the message counts of the run's
 * stats. Every message of a run crosses one: the replicas' traffic and the services' traffic
 * each have their own instance — their own random streams (so adding service traffic never
 * reshuffles the replicas' draws), their own tracer (compact records for the replicas' hot
 * path, canonical lines for service messages) and their own held list and in-flight count —
 * over the same links, the same stats and the same message ids, so a partition, a lossy link
 * or a one-way link treats every message alike.
 *
 * A message is an `Ev` (event.ts) whose `node` is the recipient and `from` the sender; the
 * caller fills its payload fields and `epoch` (the recipient's incarnation) before `send`, and
 * calls `arrive` when the agenda reaches it.
 */
import type { NetworkSpec } from "../scenario/types.ts";
import type { DropReason, RunStats } from "../run-types.ts";
import type { Rng } from "../rng.ts";
import { Ev } from "./event.ts";
import type { EventQueue } from "./event-queue.ts";
import { latencySampler, type LatencySampler } from "./latency.ts";
import { FATE_DUPLICATED, FATE_LOST, type MessageFates } from "./message-fates.ts";
import type { Links } from "./links.ts";

/** What the network writes to the trace, per message. */
export interface NetTracer {
  send(t: number, ev: Ev, bytes: number): void;
  drop(t: number, msg: number, reason: DropReason): void;
  duplicate(t: number, msg: number, of: number): void;
  hold(t: number, msg: number): void;
  release(t: number, msg: number): void;
}

/** The network's random streams, one per concern: a fault decision never shifts another's draws. */
export type NetStreams = { latency: Rng; loss: Rng; duplicate: Rng; reorder: Rng };

/** The stats the network keeps (a view of the run's RunStats). */
export type NetStats = Pick<RunStats, "sent" | "dropped" | "duplicated">;

/** Message ids, shared by every network of a run: the trace's `msg` numbers are one sequence. */
export class MessageIds {
  next = 1;
}

export class Network {
  /** Messages scheduled for delivery and not yet arrived (held ones excluded). */
  inFlight = 0;
  /** Messages held by a partition (hold mode), released at heal in hold order. */
  private held: Ev[] = [];
  private readonly latency: LatencySampler;
  // The streams as own fields: the hot path reads them without a second lookup.
  private readonly rLatency: Rng;
  private readonly rLoss: Rng;
  private readonly rDup: Rng;
  private readonly rReorder: Rng;
  private readonly loss: number;
  private readonly dup: number;
  private readonly reorder: number;
  private readonly holdMode: boolean;
  /** Per-link time of the last scheduled delivery (FIFO), or null when FIFO is off. */
  private readonly fifoLast: Float64Array | null;
  /**
   * Messages on the wire by id, kept only when the scenario's steps name messages (drop,
   * duplicate, hold): a map write per send is not paid by runs that never ask.
   */
  private readonly onWire: Map<number, Ev> | null;
  /** Messages a step took off the wire: their scheduled arrival is ignored. */
  private readonly taken = new Set<Ev>();

  constructor(
    private readonly n: number,
    spec: NetworkSpec,
    private readonly links: Links,
    private readonly queue: EventQueue<Ev>,
    private readonly time: { readonly now: number },
    private readonly ids: MessageIds,
    streams: NetStreams,
    private readonly tracer: NetTracer,
    private readonly stats: NetStats,
    messageSteps = false,
    /** The scenario's named message fates (`network.fates`), or null: the replicas' network only. */
    private readonly fates: MessageFates | null = null,
  ) {
    this.latency = latencySampler(spec.latency);
    this.rLatency = streams.latency;
    this.rLoss = streams.loss;
    this.rDup = streams.duplicate;
    this.rReorder = streams.reorder;
    this.loss = spec.loss ?? 0;
    this.dup = spec.duplicate ?? 0;
    this.reorder = spec.reorder ?? 0;
    this.holdMode = spec.partitionMode === "hold";
    this.fifoLast = spec.fifo ? new Float64Array(n * n) : null;
    this.onWire = messageSteps ? new Map() : null;
  }

  /** Messages waiting for a heal. */
  get holding(): number {
    return this.held.length;
  }

  /**
   * Sends `ev` (payload, `from`, recipient `node` and `epoch` filled in): gives it an id, traces
   * it, then loses it, or puts it on the wire — and a duplicate after it, with an id of its own.
   */
  send(ev: Ev, bytes: number): void {
    const now = this.time.now;
    const id = this.ids.next++;
    ev.id = id;
    this.stats.sent++;
    this.tracer.send(now, ev, bytes);
    // Fixed draws per send (one per configured fault), so fault decisions stay aligned.
    let lost = this.loss > 0 && this.rLoss.chance(this.loss);
    let dupl = this.dup > 0 && this.rDup.chance(this.dup);
    if (this.fates !== null) {
      const fate = this.fates.next(ev.from, ev.node, now);
      if (fate === FATE_LOST) lost = true;
      else if (fate === FATE_DUPLICATED) dupl = true;
    }
    if (lost) return this.drop(ev, "loss");
    this.dispatch(ev);
    if (dupl) {
      const copy = copyOf(ev);
      copy.id = this.ids.next++;
      this.stats.duplicated++;
      this.tracer.duplicate(now, copy.id, id);
      this.dispatch(copy);
    }
  }

  /** Puts a message on the wire: blocked by a partition, or scheduled after its latency. */
  private dispatch(ev: Ev): void {
    const links = this.links;
    if (links.any && links.blocked[ev.from * this.n + ev.node] !== 0) return this.blocked(ev);
    let lat = this.latency(this.rLatency);
    if (this.reorder > 0 && this.rReorder.chance(this.reorder)) lat += 1 + Math.floor(this.rReorder.float() * 10 * lat);
    let at = this.time.now + lat;
    const fifo = this.fifoLast;
    if (fifo !== null) {
      const link = ev.from * this.n + ev.node;
      if (at < fifo[link]!) at = fifo[link]!;
      fifo[link] = at;
    }
    this.queue.push(ev, at);
    this.inFlight++;
    this.onWire?.set(ev.id, ev);
  }

  /**
   * A scenario step acts on message `id` if it is on the wire now: drops it, holds it until the
   * next heal, or sends a copy (its own id, a fresh latency). False, and nothing happens, when
   * it is not (not yet sent, arrived, dropped or already held).
   */
  act(id: number, action: "drop" | "duplicate" | "hold"): boolean {
    const ev = this.onWire?.get(id);
    if (ev === undefined) return false;
    const now = this.time.now;
    if (action === "duplicate") {
      const copy = copyOf(ev);
      copy.id = this.ids.next++;
      this.stats.duplicated++;
      this.tracer.duplicate(now, copy.id, id);
      this.dispatch(copy);
      return true;
    }
    this.onWire!.delete(id);
    this.taken.add(ev);
    this.inFlight--;
    if (action === "drop") this.drop(ev, "step");
    else {
      // A copy under the same id goes to the held list: the original's arrival, still on the
      // agenda, must stay ignored even if the held one is released and arrives first.
      const held = copyOf(ev);
      held.id = id;
      this.held.push(held);
      this.tracer.hold(now, id);
    }
    return true;
  }

  private blocked(ev: Ev): void {
    if (this.holdMode) {
      this.held.push(ev);
      this.tracer.hold(this.time.now, ev.id);
    } else this.drop(ev, "partition");
  }

  /**
   * The agenda reached message `ev`. False when it does not reach its recipient's process:
   * `gone` (the recipient crashed, or restarted, since the send: dropped), or a partition that
   * started while it was in flight (dropped or held).
   */
  arrive(ev: Ev, gone: boolean): boolean {
    if (this.taken.size !== 0 && this.taken.delete(ev)) return false;
    this.inFlight--;
    this.onWire?.delete(ev.id);
    if (gone) {
      this.drop(ev, "crash");
      return false;
    }
    const links = this.links;
    if (links.any && links.blocked[ev.from * this.n + ev.node] !== 0) {
      this.blocked(ev);
      return false;
    }
    return true;
  }

  /** A message that will never be delivered (also: one waiting in a paused process that crashed). */
  drop(ev: Ev, reason: DropReason): void {
    this.stats.dropped++;
    this.tracer.drop(this.time.now, ev.id, reason);
  }

  /** After the links healed: every held message goes back on the wire, with a fresh latency. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const ev of held) {
      this.tracer.release(this.time.now, ev.id);
      this.dispatch(ev);
    }
  }
}

function copyOf(ev: Ev): Ev {
  const c = new Ev(ev.kind, ev.node);
  c.from = ev.from;
  c.mkind = ev.mkind;
  c.payload = ev.payload;
  c.origin = ev.origin;
  c.oseq = ev.oseq;
  c.knowledge = ev.knowledge;
  c.epoch = ev.epoch;
  return c;
}
