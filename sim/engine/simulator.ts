/**
 * The engine: virtual time, the agenda, the network, and replicas driven only through the CRDT
 * contract. This file holds the hot path (updates, sends, deliveries); scripted faults and the
 * nemesis live in faults.ts, op mode (causal broadcast) in op-mode.ts, the end-of-run heal and
 * quiescence in final-phase.ts.
 *
 * Hot-path rules: no JSON unless tracing, no closures per message, one allocation per message
 * (the Ev), every random draw from the stream of its concern.
 */
import type { Crdt, Op, OpCrdt, StateCrdt } from "../../core/contract.ts";
import { Checkers } from "../checkers/index.ts";
import { Streams, STREAM, type Rng } from "../rng.ts";
import type { Scenario } from "../scenario/types.ts";
import { DEFAULT_ANTI_ENTROPY_MS, eventLimit } from "../scenario/limits.ts";
import { scenarioSqlSchema } from "../scenario/load-sql.ts";
import type { SqlSchema } from "../../sql/index.ts";
import type { RunStats } from "../run-types.ts";
import { OpNode, type OpRec } from "./causal.ts";
import { DigestSync } from "./digest-sync.ts";
import type { EngineHost } from "./engine-host.ts";
import { EventLimitError } from "./errors.ts";
import { NodeClock } from "./clock.ts";
import { Ev, EvKind, MsgKind } from "./event.ts";
import { EventQueue } from "./event-queue.ts";
import { Knowledge } from "./knowledge.ts";
import { Links } from "./links.ts";
import { MessageIds, Network } from "./network.ts";
import { OpMode } from "./op-mode.ts";
import { StateMode } from "./state-mode.ts";
import { Replica, type TimeSource } from "./replica.ts";
import { RecKind, SimDisk, type Rec } from "./storage.ts";
import { WriteAhead } from "./write-ahead.ts";
import type { ServiceEnv, ServiceHooks } from "./service-hooks.ts";
import type { FaultEnv } from "./fault-env.ts";
import { Trace } from "./trace.ts";
import { CanonicalLines, type TraceSink } from "../trace-format/sink.ts";
import { ClientWorkload } from "./workload.ts";
import { clockSpecOf, metaEvent } from "./run-meta.ts";
import { wireSizer } from "./wire-size.ts";
import { adaptAnswers, type Outbox } from "./answers.ts";

// Imported bindings copied into module constants: the hot path then reads plain locals.
const NewEv = Ev;
const DELIVER = EvKind.Deliver;
const ARRIVAL = EvKind.Arrival;
const ANTI_ENTROPY = EvKind.AntiEntropy;
const M_AE = MsgKind.AntiEntropy;
const M_OP = MsgKind.Op;
const M_DIGEST = MsgKind.Digest;

export type EngineOptions = {
  seed: number;
  /** Keep the trace: in `traceSink` when given (the compact file, streamed), else as canonical lines in memory. */
  trace: boolean;
  traceSink?: TraceSink;
  crdtName: string;
  /** Op mode: drop causally stable ops from the stores (default on; off only in tests). */
  opStoreGc?: boolean;
  /** Stop with an EventLimitError past this many events (default: sim/scenario/limits.ts eventLimit). */
  maxEvents?: number;
};

export class Simulator implements EngineHost, ServiceEnv, FaultEnv {
  readonly time: TimeSource = { now: 0 };
  readonly names: readonly string[];
  readonly n: number;
  readonly replicas: Replica[];
  readonly queue = new EventQueue<Ev>();
  readonly links: Links;
  readonly trace: Trace;
  readonly streams: Streams;
  /** The write-ahead log on the simulated disk; null when no crash can happen and there is no sync lag (nothing to persist). */
  readonly storage: WriteAhead | null;
  /** storage.syncLagMs: a write is durable (acknowledged, sendable) only at the next group commit. */
  readonly syncLag: number;
  /** Op mode: drop causally stable ops from the stores (causal.ts, op-mode.ts). */
  readonly opStoreGc: boolean;
  /** Op mode: updates travel as ops through the causal-broadcast layer (causal.ts). */
  readonly opMode: boolean;
  /** Op mode's half of the engine (op-mode.ts); null in delta and state modes. */
  readonly ops: OpMode | null;
  /** Delta and state modes' half (state-mode.ts); null in op mode. */
  private readonly states: StateMode | null;
  /** Op mode switches (scenario sync.dedup / sync.causal). */
  readonly dedup: boolean;
  readonly causal: boolean;
  /** The CRDT as state-based (null for an op-based one) and as op-based (null for a state-based one). */
  readonly stateCrdt: StateCrdt<any, unknown> | null;
  /** The tables of a scenario written in SQL (its `schema`), or null. */
  readonly sqlSchema: SqlSchema | null;
  readonly opCrdt: OpCrdt<any, any, unknown> | null;
  readonly checkers: Checkers;
  readonly clone: (s: any) => any;
  readonly stats: RunStats & { deliveredUpdates: number; answers?: number } = {
    events: 0,
    sent: 0,
    delivered: 0,
    dropped: 0,
    duplicated: 0,
    simTimeMs: 0,
    convergedAtMs: null,
    metadataBytes: 0,
    deliveredUpdates: 0,
  };
  readonly antiEntropyMs: number;
  /** stats.events may not pass this (checked with one compare per event). */
  readonly maxEvents: number;
  /** The replicas' network (network.ts); services have one of their own over the same links. */
  readonly net: Network;
  /** Message ids, shared with the services' network. */
  readonly msgIds = new MessageIds();
  /** Delivered message events that `send` reuses (one allocation fewer per message). */
  private readonly spare: Ev[] = [];
  /** Last time any replica's state or knowledge changed (for convergedAtMs). */
  lastChange = 0;
  /** True once `duration` is over: timers stop, only deliveries run. */
  final = false;
  /** Services on named nodes (sim/services); null when the scenario declares none. */
  services: ServiceHooks | null = null;

  /** sync.antiEntropy "digest": rounds that ship only what the peer lacks (digest-sync.ts). */
  readonly digestSync: DigestSync | null = null;
  readonly sizeOf: (s: unknown) => number;
  private readonly stateMode: boolean;
  readonly rAntiEntropy: Rng;
  /** The scenario's random workload (its clients), or null without one. */
  private readonly workload: ClientWorkload | null;

  /** The CRDT as the engine drives it: a merge that answers adapted to return a state (answers.ts). */
  readonly crdt: Crdt;
  /** A type whose merge answers: where its merges leave their answers; null otherwise. */
  readonly outbox: Outbox | null;

  constructor(
    readonly scenario: Scenario,
    given: Crdt,
    readonly options: EngineOptions,
  ) {
    const { crdt, outbox } = adaptAnswers(given);
    this.crdt = crdt;
    this.outbox = outbox;
    const isOp = crdt.kind === "op";
    const mode = scenario.sync?.mode ?? (isOp ? "op" : "delta");
    if (isOp && mode !== "op") throw new Error(`${crdt.name} is op-based (kind "op"): it replicates through sync mode "op" only, got "${mode}"`);
    if (outbox !== null && mode === "op")
      throw new Error(`${crdt.name}: a merge that answers (answers: true) replicates in delta or state mode, not op mode (its causal layer sends only numbered ops)`);
    this.opMode = mode === "op";
    this.ops = this.opMode ? new OpMode(this) : null;
    this.opCrdt = isOp ? crdt : null;
    this.stateCrdt = isOp ? null : crdt;
    this.sqlSchema = scenarioSqlSchema(scenario);
    this.dedup = scenario.sync?.dedup ?? true;
    this.causal = scenario.sync?.causal ?? true;
    this.stateMode = mode === "state";
    this.names = scenario.nodes;
    this.n = scenario.nodes.length;
    this.streams = new Streams(options.seed);
    this.trace = new Trace(this.names, options.trace ? (options.traceSink ?? new CanonicalLines(this.names)) : null);
    this.links = new Links(this.n);
    this.clone = crdt.clone ? crdt.clone.bind(crdt) : structuredClone;
    this.sizeOf = wireSizer(crdt as StateCrdt<any, unknown>);
    const streams = this.streams;
    const netStreams = { latency: streams.get(STREAM.latency), loss: streams.get(STREAM.loss), duplicate: streams.get(STREAM.duplicate), reorder: streams.get(STREAM.reorder) };
    const messageSteps = (scenario.steps ?? []).some((s) => "drop" in s || "duplicate" in s || "hold" in s);
    this.net = new Network(this.n, scenario.network ?? {}, this.links, this.queue, this.time, this.msgIds, netStreams, this.trace, this.stats, messageSteps);
    this.rAntiEntropy = this.streams.get(STREAM.antiEntropy);
    this.antiEntropyMs = scenario.sync?.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS;
    this.workload = ClientWorkload.of(scenario, crdt.ops, this.streams);
    this.syncLag = scenario.storage?.syncLagMs ?? 0;
    this.maxEvents = options.maxEvents ?? eventLimit(scenario, {}, options.trace);
    this.opStoreGc = this.opMode && options.opStoreGc !== false;
    const steps = scenario.steps ?? [];
    const crashes = steps.some((s) => "crash" in s) || scenario.nemesis?.crashes !== undefined;
    this.storage =
      crashes || this.syncLag > 0
        ? new WriteAhead(new SimDisk(this.syncLag, this.clone), this.syncLag, this.queue, this.time, this.trace, this.clone, {
            acked: (r, seq, now) => {
              this.checkers.durability?.acked(r.index, seq, now);
              this.checkers.addWins?.acked(r.index, seq);
            },
            synced: (r) => this.synced(r),
            replay: (state, rec) => this.replay(state, rec),
            final: () => this.final,
          })
        : null;
    this.checkers = new Checkers(scenario, crdt, options.crdtName, this.clone, this.streams.get(STREAM.checks), this.n, {
      opMode: this.opMode,
      causal: this.causal,
      reapply: this.opMode ? (state, rec) => (this.dedup ? state : this.ops!.applyEffect(state, rec as OpRec)) : null,
      applyOp: this.opMode ? (state, rec) => this.ops!.applyEffect(state, rec as OpRec) : null,
      durable: this.storage !== null,
    });
    const weights = this.checkers.counter?.weights ?? null;
    this.replicas = this.names.map((name, i) => {
      const r = new Replica(
        i,
        name,
        null,
        new Knowledge(this.n, weights),
        new NodeClock(clockSpecOf(scenario, name)),
        crdt as StateCrdt<any, unknown>,
        this.time,
        this.streams.get(STREAM.plugin(name)),
      );
      // Made with the node's ctx: a library's ids drawn in init come from the node's seeded stream.
      r.state = crdt.init(name, r.ctx);
      if (this.opMode) r.op = new OpNode(this.n);
      this.storage?.disk.init(i, r.state, r.knowledge);
      return r;
    });
    this.checkers.attach(this.replicas, this.streams.get(STREAM.orderChecks), this.streams.get(STREAM.checksPlugin));
    if (scenario.sync?.antiEntropy === "digest" && !this.opMode) this.digestSync = new DigestSync(this);
    this.states = isOp || this.opMode ? null : new StateMode(this, crdt, this.stateMode, this.digestSync, outbox);
    if (outbox !== null) this.stats.answers = 0;
  }

  get now(): number {
    return this.time.now;
  }

  /** The durability check runs (the services' port: RAMP adds its committed transactions to it). */
  get checksDurability(): boolean {
    return this.checkers.durability !== null;
  }

  // ---- setup and main loop -------------------------------------------------------------

  /** Schedules steps, workload, anti-entropy and nemesis; then runs until `duration`. */
  runMain(): void {
    const sc = this.scenario;
    this.trace.meta(
      metaEvent(sc, {
        seed: this.options.seed,
        crdtName: this.options.crdtName,
        sync: this.opMode ? "op" : this.stateMode ? "state" : "delta",
        antiEntropyMs: this.antiEntropyMs,
        opMode: this.opMode ? { dedup: this.dedup, causal: this.causal } : null,
        syncLagMs: this.storage ? this.syncLag : null,
        digest: this.digestSync !== null,
      }),
    );
    (sc.steps ?? []).forEach((_, i) => {
      const ev = new Ev(EvKind.Step, 0);
      ev.id = i;
      this.queue.push(ev, sc.steps![i]!.at);
    });
    this.workload?.schedule(this.queue);
    if (this.antiEntropyMs > 0 && this.n > 1)
      for (let i = 0; i < this.n; i++) {
        // A seeded phase per node, so that gossip rounds do not all fire in the same millisecond.
        this.queue.push(new Ev(EvKind.AntiEntropy, i), this.rAntiEntropy.int(1, this.antiEntropyMs));
      }
    const every = sc.nemesis?.partitions?.every;
    if (every && every > 0 && this.n > 1) this.queue.push(new Ev(EvKind.NemesisStart, 0), every);
    const clockEvery = sc.nemesis?.clocks?.every;
    if (clockEvery) this.queue.push(new Ev(EvKind.ClockNemesis, 0), clockEvery);
    const crashEvery = sc.nemesis?.crashes?.every;
    if (crashEvery) this.queue.push(new Ev(EvKind.CrashNemesis, 0), crashEvery);
    this.loop(sc.duration);
  }

  /** Processes events up to and including time `until`. */
  loop(until: number): void {
    const q = this.queue;
    const stats = this.stats;
    const maxEvents = this.maxEvents;
    for (;;) {
      const top = q.peek();
      if (top === undefined || top.t > until) return;
      q.pop();
      this.time.now = top.t;
      if (++stats.events > maxEvents) throw this.overEventLimit();
      switch (top.kind) {
        case DELIVER:
          this.deliver(top);
          break;
        case ARRIVAL:
          this.arrival(top);
          break;
        case ANTI_ENTROPY:
          this.antiEntropyTick(top);
          break;
        default:
          this.onFault(top);
      }
    }
  }

  /** The error for a run past maxEvents (out of line: the loop only compares). */
  overEventLimit(): EventLimitError {
    return new EventLimitError(this.maxEvents, this.time.now, this.scenario.duration);
  }

  /** Scripted steps and nemesis events (faults.ts installs the handler). */
  onFault: (ev: Ev) => void = () => {};

  // ---- updates ---------------------------------------------------------------------------

  private arrival(ev: Ev): void {
    if (this.final) return;
    const i = ev.node;
    const workload = this.workload!;
    // The op is drawn even when the node is down, so faults never shift the workload stream.
    const op = workload.draw(i);
    const r = this.replicas[i]!;
    if (r.up) this.update(r, op, "workload");
    const next = workload.next(i);
    if (next >= 0) this.queue.push(ev, next);
  }

  /** Issues `op` at replica `r` and ships it. `origin` names the step for error messages. */
  update(r: Replica, op: Op, origin: string): void {
    if (this.opMode) this.ops!.update(r, op, origin);
    else this.states!.update(r, op, origin);
  }

  /** The intent checkers and the trace learn of update `seq` just issued at `r` (also from op-mode.ts). */
  issued(r: Replica, seq: number, op: Op, now: number): void {
    const ck = this.checkers;
    ck.addWins?.issued(r, seq, op.op, op.args, now);
    ck.noLostWrites?.issued(r, seq, op.op, op.args, now);
    ck.durability?.issued(r, seq, op.op, op.args, now);
    ck.sequence?.issued(r, seq, now);
    this.trace.update(now, r, op.op, op.args, seq);
  }

  // ---- storage (write-ahead.ts): what the engine does when a node's writes become durable ----

  /** r's group commit completed: its own updates and an anti-entropy round that waited for it now leave the node. */
  private synced(r: Replica): void {
    const deferred = r.deferred;
    r.deferred = [];
    if (deferred.length > 0 && this.n > 1) {
      if (this.opMode) for (const x of deferred) this.ops!.broadcast(r, x.payload as OpRec);
      else this.states!.shipDeferred(r, deferred);
    }
    if (r.aeDeferred) {
      r.aeDeferred = false;
      if (r.up && this.n > 1) this.antiEntropyFrom(r);
    }
  }

  /** One logged record re-applied to a recovering state. */
  private replay(state: unknown, rec: Rec): unknown {
    return rec.kind === RecKind.Op ? this.ops!.applyEffect(state, rec.op) : this.stateCrdt!.merge(state, rec.payload);
  }

  /** Rebuilds a restarting replica from its durable snapshot and log. */
  recover(r: Replica): void {
    if (this.storage === null) return;
    this.storage.recover(r);
    this.checkers.order.reset(r);
    this.checkers.events?.reset(r);
  }

  /** A restarted replica catches up at once: in op mode it asks a peer for the ops it lacks. */
  catchUp(r: Replica): void {
    if (this.opMode && this.n > 1 && this.antiEntropyMs > 0) this.ops!.sendDigest(r);
  }

  /** One anti-entropy round from `r`: its full state (state and delta modes) or its digest (op mode). */
  antiEntropyFrom(r: Replica): void {
    if (this.opMode) this.ops!.sendDigest(r);
    else if (this.digestSync !== null) this.digestSync.round(r);
    else this.sendState(r, M_AE);
  }

  private antiEntropyTick(ev: Ev): void {
    if (this.final) return;
    const r = this.replicas[ev.node]!;
    if (r.up) {
      // Write-ahead: while own updates wait for their sync, the state must not leave the node.
      if (this.storage !== null && this.storage.pendingOwn(r) > 0) r.aeDeferred = true;
      else this.antiEntropyFrom(r);
    }
    this.queue.push(ev, this.time.now + this.antiEntropyMs);
  }

  /** Full state to one seeded-random peer. */
  sendState(r: Replica, kind: MsgKind): void {
    let peer = this.rAntiEntropy.int(0, this.n - 2);
    if (peer >= r.index) peer++;
    const snap = this.clone(r.state);
    this.send(r.index, peer, kind, snap, 0, 0, r.knowledge.clone(), this.sizeOf(snap));
  }

  // ---- network ---------------------------------------------------------------------------

  /** Sends a replica message over the network (`bytes`: its encoded size, counted as metadata). */
  send(from: number, to: number, kind: MsgKind, payload: unknown, origin: number, oseq: number, k: Knowledge | null, bytes: number): void {
    this.stats.metadataBytes += bytes;
    const ev = this.spare.pop() ?? new NewEv(DELIVER, to);
    ev.kind = DELIVER;
    ev.node = to;
    ev.from = from;
    ev.mkind = kind;
    ev.payload = payload;
    ev.origin = origin;
    ev.oseq = oseq;
    ev.knowledge = k;
    ev.epoch = this.replicas[to]!.epoch;
    this.net.send(ev, bytes);
  }

  deliver(ev: Ev): void {
    const r = this.replicas[ev.node]!;
    if (!this.net.arrive(ev, r.crashed || ev.epoch !== r.epoch)) return;
    if (r.paused) {
      r.inbox.push(ev);
      return;
    }
    this.apply(r, ev);
    // Applied, nothing refers to the event (only to its payload): it carries the next message. Op
    // messages may wait in a causal buffer, so they are left alone.
    if (ev.mkind < M_OP) {
      ev.payload = null;
      ev.knowledge = null;
      this.spare.push(ev);
    }
  }

  /** Merges a delivered message into `r` (also used for a paused node's inbox at resume). */
  apply(r: Replica, ev: Ev): void {
    if (ev.mkind < M_OP) this.states!.apply(r, ev);
    else if (this.digestSync !== null && ev.mkind === M_DIGEST) this.digestSync.onDigest(r, ev);
    else this.ops!.onMessage(r, ev);
  }
}
