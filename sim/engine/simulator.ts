/**
 * The engine: the composition of a run's parts and its main loop. Each part has a file and a
 * narrow port of its own (docs/design.md, "The simulator's parts"): the network (network.ts)
 * and the replicas' wire onto it (wire.ts), the links and their faults (links.ts,
 * link-faults.ts), the node lifecycle (lifecycle.ts), the fault schedule (fault-schedule.ts),
 * storage with its log and recovery (write-ahead.ts), the clocks (clock.ts), the sync modes
 * (state-mode.ts, op-mode.ts, digest-sync.ts), the services (sim/services, through ServiceEnv),
 * anti-entropy (anti-entropy.ts), the checkers (sim/checkers) and the end of the run
 * (final-phase.ts). This file builds them, hands each the port it needs (never the simulator),
 * and runs the agenda: arrivals and deliveries here (the hot path), everything else routed to
 * the part that owns it.
 *
 * Hot-path rules: no JSON unless tracing, no closures per message, one allocation per message
 * (the Ev), every random draw from the stream of its concern.
 */
import type { Crdt, Op, OpCrdt, StateCrdt } from "../../core/contract.ts";
import type { StoreCrdt } from "../../core/index.ts";
import type { FinalPhase } from "../checkers/convergence.ts";
import { Checkers } from "../checkers/index.ts";
import type { StopAt } from "../checkers/first-violation.ts";
import { Streams, STREAM } from "../rng.ts";
import type { Scenario } from "../scenario/types.ts";
import { DEFAULT_ANTI_ENTROPY_MS, eventLimit } from "../scenario/limits.ts";
import { scenarioSqlSchema } from "../scenario/load-sql.ts";
import type { MetaEvent, RunStats } from "../run-types.ts";
import { OpNode, type OpRec } from "./causal.ts";
import { DigestSync } from "./digest-sync.ts";
import type { EngineHost } from "./engine-host.ts";
import { EventLimitError } from "./errors.ts";
import { NodeClock } from "./clock.ts";
import { Ev, EvKind, MsgKind } from "./event.ts";
import { EventQueue } from "./event-queue.ts";
import { FaultSchedule } from "./fault-schedule.ts";
import { runFinalPhase } from "./final-phase.ts";
import { Knowledge } from "./knowledge.ts";
import { NodeLifecycle } from "./lifecycle.ts";
import { LinkFaults } from "./link-faults.ts";
import { Links } from "./links.ts";
import { MessageFates } from "./message-fates.ts";
import { MessageIds, Network } from "./network.ts";
import { applyOpEffect, OpMode } from "./op-mode.ts";
import { Progress } from "./progress.ts";
import { StateMode } from "./state-mode.ts";
import { Replica, type TimeSource } from "./replica.ts";
import { RecKind, SimDisk, type Rec } from "./storage.ts";
import { WriteAhead } from "./write-ahead.ts";
import type { ServiceEnv, ServiceHooks } from "./service-hooks.ts";
import { runSqlStep } from "./sql-step.ts";
import { Trace } from "./trace.ts";
import { CanonicalLines, type TraceSink } from "../trace-format/sink.ts";
import { ClientWorkload } from "./workload.ts";
import { clockSpecOf, metaEvent } from "./run-meta.ts";
import { wireSizer } from "./wire-size.ts";
import { adaptAnswers, type Outbox } from "./answers.ts";
import { ReplicaWire } from "./wire.ts";
import { AntiEntropy } from "./anti-entropy.ts";

// Imported bindings copied into module constants: the hot path then reads plain locals.
const DELIVER = EvKind.Deliver;
const ARRIVAL = EvKind.Arrival;
const ANTI_ENTROPY = EvKind.AntiEntropy;
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
  /** Stop, throwing RunStopped, at the first violation of this check with this signature (sim/checkers/first-violation.ts). */
  stopAt?: StopAt;
};

/** Builds the services of a run over their port (sim/services/install.ts), or null for none. */
export type ServicesFactory = (env: ServiceEnv) => ServiceHooks | null;

/** The Simulator's fields a fork makes again rather than copies (forkWith). */
const REWIRED: ReadonlySet<string> = new Set(["lifecycle", "linkFaults", "faults"]);

export class Simulator {
  /** The replicas, for the run's results (final values, checks). */
  readonly replicas: readonly Replica[];
  readonly checkers: Checkers;
  readonly trace: Trace;
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
  /** sync.antiEntropy "digest": rounds that ship only what the peer lacks (its counters are read by tests). */
  readonly digestSync: DigestSync | null = null;

  private readonly time: TimeSource = { now: 0 };
  private readonly n: number;
  private readonly queue = new EventQueue<Ev>();
  private readonly streams: Streams;
  private readonly progress = new Progress();
  private readonly net: Network;
  private readonly wire: ReplicaWire;
  /** The write-ahead log on the simulated disk; null when no crash can happen and there is no sync lag (nothing to persist). */
  private readonly storage: WriteAhead | null;
  // The fault parts: ports of closures over this simulator, made by wireFaults (again on a fork).
  private lifecycle!: NodeLifecycle;
  private linkFaults!: LinkFaults;
  private faults!: FaultSchedule;
  private readonly links: Links;
  /** The CRDT as the engine drives it, and its pure helpers: shared by a fork (fork.ts). */
  private readonly crdt: Crdt;
  private readonly clone: (x: any) => any;
  private readonly sizeOf: (x: any) => number;
  /** Op mode's half of the engine (op-mode.ts); null in delta and state modes. */
  private readonly ops: OpMode | null;
  /** Delta and state modes' half (state-mode.ts); null in op mode. */
  private readonly states: StateMode | null;
  private readonly services: ServiceHooks | null;
  private readonly workload: ClientWorkload | null;
  private readonly opMode: boolean;
  private readonly antiEntropyMs: number;
  private maxEvents: number;
  private readonly antiEntropy: AntiEntropy;
  private readonly stateCrdt: StateCrdt<any, unknown> | null;
  /** A type whose merge or effect answers: where they leave their answers; null otherwise. */
  private readonly outbox: Outbox | null;

  constructor(
    private scenario: Scenario,
    given: Crdt,
    private readonly options: EngineOptions,
    services?: ServicesFactory,
  ) {
    // The CRDT as the engine drives it: a merge or effect that answers adapted to return a state (answers.ts).
    const { crdt, outbox } = adaptAnswers(given);
    this.outbox = outbox;
    this.crdt = crdt;
    const isOp = crdt.kind === "op";
    const mode = scenario.sync?.mode ?? (isOp ? "op" : "delta");
    if (isOp && mode !== "op") throw new Error(`${crdt.name} is op-based (kind "op"): it replicates through sync mode "op" only, got "${mode}"`);
    const opMode = (this.opMode = mode === "op");
    const opCrdt: OpCrdt<any, any, unknown> | null = isOp ? crdt : null;
    const stateCrdt = (this.stateCrdt = isOp ? null : crdt);
    const dedup = scenario.sync?.dedup ?? true;
    const causal = scenario.sync?.causal ?? true;
    const names = scenario.nodes;
    const n = (this.n = names.length);
    const time = this.time;
    const queue = this.queue;
    const streams = (this.streams = new Streams(options.seed));
    const trace = (this.trace = new Trace(names, options.trace ? (options.traceSink ?? new CanonicalLines(names)) : null));
    const links = (this.links = new Links(n));
    const clone = (this.clone = crdt.clone ? crdt.clone.bind(crdt) : structuredClone);
    const sizeOf = (this.sizeOf = wireSizer(crdt as StateCrdt<any, unknown>));
    const netStreams = { latency: streams.get(STREAM.latency), loss: streams.get(STREAM.loss), duplicate: streams.get(STREAM.duplicate), reorder: streams.get(STREAM.reorder) };
    const messageSteps = (scenario.steps ?? []).some((s) => "drop" in s || "duplicate" in s || "hold" in s);
    const msgIds = new MessageIds();
    const stats = this.stats;
    const net = (this.net = new Network(n, scenario.network ?? {}, links, queue, time, msgIds, netStreams, trace, stats, messageSteps, fatesOf(scenario)));
    const rAntiEntropy = streams.get(STREAM.antiEntropy);
    this.antiEntropyMs = scenario.sync?.antiEntropyMs ?? DEFAULT_ANTI_ENTROPY_MS;
    this.workload = ClientWorkload.of(scenario, crdt.ops, streams);
    const syncLag = scenario.storage?.syncLagMs ?? 0;
    this.maxEvents = options.maxEvents ?? eventLimit(scenario, {}, options.trace);
    const opStoreGc = opMode && options.opStoreGc !== false;
    const crashes = (scenario.steps ?? []).some((s) => "crash" in s) || scenario.nemesis?.crashes !== undefined;
    const progress = this.progress;
    const crdts = { opCrdt, stateCrdt, names };
    const storage = (this.storage =
      crashes || syncLag > 0
        ? new WriteAhead(new SimDisk(syncLag, clone), syncLag, queue, time, trace, clone, {
            acked: (r, seq, now) => {
              checkers.durability?.acked(r.index, seq, now);
              checkers.addWins?.acked(r.index, seq);
            },
            synced: (r) => this.synced(r),
            replay: (state, rec: Rec) => (rec.kind === RecKind.Op ? applyOpEffect(crdts, state, rec.op) : stateCrdt!.merge(state, rec.payload)),
            final: () => progress.final,
          })
        : null);
    const checkers = (this.checkers = new Checkers(scenario, crdt, options.crdtName, clone, streams.get(STREAM.checks), n, {
      opMode,
      causal,
      reapply: opMode ? (state, rec) => (dedup ? state : applyOpEffect(crdts, state, rec as OpRec)) : null,
      applyOp: opMode ? (state, rec) => applyOpEffect(crdts, state, rec as OpRec) : null,
      durable: storage !== null,
      ...(options.stopAt && { stopAt: options.stopAt }),
    }));
    const weights = checkers.counter?.weights ?? null;
    const replicas = (this.replicas = names.map((name, i) => {
      const r = new Replica(
        i,
        name,
        null,
        new Knowledge(n, weights),
        new NodeClock(clockSpecOf(scenario, name)),
        crdt as StateCrdt<any, unknown>,
        time,
        streams.get(STREAM.plugin(name)),
      );
      // Made with the node's ctx: a library's ids drawn in init come from the node's seeded stream.
      r.state = crdt.init(name, r.ctx);
      if (opMode) r.op = new OpNode(n);
      storage?.disk.init(i, r.state, r.knowledge);
      return r;
    }));
    checkers.attach(replicas, streams.get(STREAM.orderChecks), streams.get(STREAM.checksPlugin));
    const wire = (this.wire = new ReplicaWire(net, replicas, stats));
    const host: EngineHost = {
      time,
      names,
      n,
      replicas,
      trace,
      storage,
      syncLag,
      opStoreGc,
      dedup,
      causal,
      stateCrdt,
      opCrdt,
      checkers,
      clone,
      stats,
      sizeOf,
      rAntiEntropy,
      progress,
      wire,
    };
    this.ops = opMode ? new OpMode(host, outbox) : null;
    if (scenario.sync?.antiEntropy === "digest" && !opMode) this.digestSync = new DigestSync(host);
    this.states = isOp || opMode ? null : new StateMode(host, crdt, mode === "state", this.digestSync, outbox);
    if (outbox !== null) stats.answers = 0;
    this.antiEntropy = new AntiEntropy({
      periodMs: this.antiEntropyMs,
      replicas,
      time,
      queue,
      progress,
      storage,
      rng: rAntiEntropy,
      wire,
      clone,
      sizeOf,
      ops: this.ops,
      digestSync: this.digestSync,
    });

    // The fault parts; the services come last (their start puts timers on the agenda).
    this.wireFaults();
    this.services = null;
    this.services =
      services?.({
        scenario,
        names,
        n,
        replicas,
        time,
        queue,
        trace,
        stats,
        streams,
        syncLag,
        checksDurability: checkers.durability !== null,
        network: (s, tracer) => new Network(n, scenario.network ?? {}, links, queue, time, msgIds, s, tracer, stats),
      }) ?? null;
  }

  /**
   * Builds the fault parts over this simulator's state: their ports are closures over `this`, so
   * a fork (fork.ts) copies the state and runs this again on the copy. The ports reach the
   * services through `services()`, which answers null until they are made.
   */
  private wireFaults(): void {
    const { scenario, replicas, time, trace, storage, net, checkers, n, queue, streams, links } = this;
    const opMode = this.opMode;
    const stateCrdt = this.stateCrdt;
    const serviceHooks = () => this.services;
    this.lifecycle = new NodeLifecycle({
      replicas,
      time,
      trace,
      storage,
      net,
      services: serviceHooks,
      retract: (node, seq) => checkers.retract(node, seq),
      recover: (r) => {
        if (storage === null) return;
        storage.recover(r);
        checkers.order.reset(r);
        checkers.events?.reset(r);
      },
      // A restarted replica catches up at once: in op mode it asks a peer for the ops it lacks.
      catchUp: (r) => {
        if (opMode && n > 1 && this.antiEntropyMs > 0) this.ops!.sendDigest(r);
      },
      apply: (r, ev) => this.apply(r, ev),
    });
    this.linkFaults = new LinkFaults({ links, time, trace, net, services: serviceHooks });
    const sqlSchema = scenarioSqlSchema(scenario);
    const update = (r: Replica, op: Op, origin: string) => this.update(r, op, origin);
    this.faults = new FaultSchedule({
      scenario,
      replicas,
      time,
      queue,
      streams,
      trace,
      lifecycle: this.lifecycle,
      linkFaults: this.linkFaults,
      services: serviceHooks,
      update,
      sql: (r, step, i) => runSqlStep({ crdt: stateCrdt as StoreCrdt, schema: sqlSchema!, time, trace, update, services: serviceHooks }, r, step, i),
    });
  }

  // ---- setup and main loop -------------------------------------------------------------

  /** Schedules steps, workload, anti-entropy and nemesis; then runs until `duration`. */
  runMain(): void {
    this.start();
    this.loop(this.scenario.duration);
  }

  /** The run's first trace line, for its scenario as the engine resolved it. */
  metaEvent(): MetaEvent {
    const sc = this.scenario;
    return metaEvent(sc, {
      seed: this.options.seed,
      crdtName: this.options.crdtName,
      sync: this.opMode ? "op" : (sc.sync?.mode ?? "delta") === "state" ? "state" : "delta",
      antiEntropyMs: this.antiEntropyMs,
      opMode: this.opMode ? { dedup: sc.sync?.dedup ?? true, causal: sc.sync?.causal ?? true } : null,
      syncLagMs: this.storage ? this.storage.syncLag : null,
      digest: this.digestSync !== null,
    });
  }

  /**
   * The agenda's sequence number of step 0: step i is pushed with stepSeq0 + i, before anything
   * else of start(), so a forked run (fork.ts) can re-number its steps exactly as a fresh run would.
   */
  private stepSeq0 = 0;

  /** Traces the meta line and schedules steps, workload, anti-entropy and nemesis (runMain's first half). */
  start(): void {
    this.trace.meta(this.metaEvent());
    this.stepSeq0 = this.queue.seqNext;
    this.faults.scheduleSteps();
    this.workload?.schedule(this.queue);
    this.antiEntropy.schedule();
    this.faults.scheduleNemeses();
  }

  /** The run's scenario (a fork's is the edited one, fork.ts). */
  get runScenario(): Scenario {
    return this.scenario;
  }

  /** The agenda, to inspect (fork.test.ts compares a fork's with a fresh run's). */
  get agenda(): EventQueue<Ev> {
    return this.queue;
  }

  /** The options the run was made with. */
  get runOptions(): EngineOptions {
    return this.options;
  }

  /** The services the factory made (sim/services/install.ts's host), or null. */
  get serviceHooks(): ServiceHooks | null {
    return this.services;
  }

  // ---- forking (fork.ts) -----------------------------------------------------------------

  /** Why this run cannot be forked, or null: the parts whose state holds closures fork.ts cannot remake. */
  whyUnforkable(): string | null {
    if (this.opMode) return "op mode";
    // The adapted merge (answers.ts) fills this run's outbox from a closure the copy would share.
    if (this.outbox !== null) return "a type that answers";
    if (this.storage !== null) return "a disk (crashes or a sync lag)";
    if (this.services !== null) return "services";
    if (this.scenario.nemesis) return "a nemesis";
    if (this.trace.sink !== null && !(this.trace.sink instanceof CanonicalLines)) return "a streamed trace";
    return null;
  }

  /**
   * An independent copy between two events: `copyOf` deep-copies the state (fork.ts), sharing
   * what never changes (the CRDT, the scenario, the options, the pure clone and sizeOf); the
   * fault parts, whose ports are closures over the simulator, are made again over the copy, and
   * so is each replica's ctx.
   */
  forkWith(copyOf: (v: unknown, shared: ReadonlySet<unknown>) => unknown): Simulator {
    const shared = new Set<unknown>([this.crdt, this.scenario, this.options, this.clone, this.sizeOf]);
    const copy = Object.create(Simulator.prototype) as Simulator;
    const src = this as unknown as Record<string, unknown>;
    const dst = copy as unknown as Record<string, unknown>;
    for (const k of Object.keys(src)) if (!REWIRED.has(k)) dst[k] = copyOf(src[k], shared);
    copy.wireFaults();
    for (const r of copy.replicas) (r as { ctx: Replica["ctx"] }).ctx = Replica.ctxOf(r.name, r.clock, copy.time, copy.streams.get(STREAM.plugin(r.name)));
    return copy;
  }

  /**
   * Hands a fork the scenario `next` (fork.ts's retarget checked it differs in steps and duration
   * only) and its event limit; its steps are read from `next` from here on. Returns the step
   * numbering base (stepSeq0) and the agenda, which the caller re-numbers.
   */
  retargetTo(next: Scenario, maxEvents: number): { stepSeq0: number; queue: EventQueue<Ev> } {
    this.scenario = next;
    this.maxEvents = maxEvents;
    this.wireFaults();
    return { stepSeq0: this.stepSeq0, queue: this.queue };
  }

  /** After `duration`: heals, restarts, drains and repairs until quiescence (final-phase.ts). */
  runFinal(): FinalPhase {
    return runFinalPhase({
      duration: this.scenario.duration,
      antiEntropyMs: this.antiEntropyMs,
      replicas: this.replicas,
      time: this.time,
      queue: this.queue,
      net: this.net,
      lifecycle: this.lifecycle,
      linkFaults: this.linkFaults,
      storage: this.storage,
      checkers: this.checkers,
      trace: this.trace,
      stats: this.stats,
      progress: this.progress,
      deliver: (ev) => {
        if (++this.stats.events > this.maxEvents) throw this.overEventLimit();
        this.deliver(ev);
      },
      antiEntropyFrom: (r) => this.antiEntropy.round(r),
    });
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
          this.antiEntropy.tick(top);
          break;
        default:
          this.route(top);
      }
    }
  }

  /** The error for a run past maxEvents (out of line: the loop only compares). */
  private overEventLimit(): EventLimitError {
    return new EventLimitError(this.maxEvents, this.time.now, this.scenario.duration);
  }

  /** Every other agenda event to the part that owns it: services, storage's group commit, the fault schedule. */
  private route(ev: Ev): void {
    if (ev.kind >= EvKind.ServiceDeliver) return this.services?.onEvent(ev);
    if (ev.kind === EvKind.Sync) return this.storage!.onSyncEvent(ev, this.replicas[ev.node]!);
    if (this.progress.final) return;
    this.faults.onEvent(ev);
  }

  // ---- updates ---------------------------------------------------------------------------

  private arrival(ev: Ev): void {
    if (this.progress.final) return;
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
  private update(r: Replica, op: Op, origin: string): void {
    if (this.opMode) this.ops!.update(r, op, origin);
    else this.states!.update(r, op, origin);
  }

  /** r's group commit completed (write-ahead.ts): its own updates and an anti-entropy round that waited for it now leave the node. */
  private synced(r: Replica): void {
    const deferred = r.deferred;
    r.deferred = [];
    if (deferred.length > 0 && this.n > 1) {
      if (this.opMode) for (const x of deferred) this.ops!.broadcast(r, x.payload as OpRec);
      else this.states!.shipDeferred(r, deferred);
    }
    if (r.aeDeferred) {
      r.aeDeferred = false;
      if (r.up && this.n > 1) this.antiEntropy.round(r);
    }
  }

  // ---- deliveries ------------------------------------------------------------------------

  private deliver(ev: Ev): void {
    const r = this.replicas[ev.node]!;
    if (!this.net.arrive(ev, r.crashed || ev.epoch !== r.epoch)) return;
    if (r.paused) {
      r.inbox.push(ev);
      return;
    }
    this.apply(r, ev);
    // Applied, nothing refers to the event (only to its payload): it carries the next message. Op
    // messages may wait in a causal buffer, so they are left alone.
    if (ev.mkind < M_OP) this.wire.recycle(ev);
  }

  /** Merges a delivered message into `r` (also used for a paused node's inbox at resume). */
  private apply(r: Replica, ev: Ev): void {
    if (ev.mkind < M_OP) this.states!.apply(r, ev);
    else if (this.digestSync !== null && ev.mkind === M_DIGEST) this.digestSync.onDigest(r, ev);
    else this.ops!.onMessage(r, ev);
  }
}

/** The scenario's named message fates (network.fates), or null when it names none. */
function fatesOf(scenario: Scenario): MessageFates | null {
  const f = scenario.network?.fates;
  if (!f || (!f.lost?.length && !f.duplicated?.length)) return null;
  return new MessageFates(scenario.nodes.length, scenario.nodes, f);
}
