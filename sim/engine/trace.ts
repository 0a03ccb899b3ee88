/**
 * The trace writer: one typed method per event kind of sim/run-types.ts's TraceEvent. It owns
 * each type's key order (the lines are built by hand, so no object's key order — user data —
 * leaks in) and the traceHash (trace-hash.ts): every event is fed to the hash identically with
 * or without `trace`. A kept trace goes to a sink (sim/trace-format/sink.ts): the canonical lines
 * in memory, or the compact file streamed as the run goes. Nothing else writes a line.
 */
import { canonicalKey } from "../../core/util/json.ts";
import type { DropReason, FaultCause, MetaEvent, SequencerEvent, TransactionEvent } from "../run-types.ts";
import type { Ev } from "./event.ts";
import type { Knowledge } from "./knowledge.ts";
import type { NetTracer } from "./network.ts";
import type { TraceSink } from "../trace-format/sink.ts";
import { TraceHash } from "./trace-hash.ts";

export type { DropReason } from "../run-types.ts";

/** What the trace needs from a replica to print `vv` and `value` after an event. */
export interface TracedReplica {
  readonly index: number;
  readonly knowledge: Knowledge;
  valueJson(): string;
}

const DROP_CODE: Record<DropReason, number> = { loss: 0, partition: 1, crash: 2, dedup: 3, step: 4 };

const Tag = {
  Update: 1,
  Send: 2,
  Deliver: 3,
  Drop: 4,
  Duplicate: 5,
  Hold: 6,
  Release: 7,
  Line: 8,
  OpName: 9,
  ArgNumber: 10,
  ArgJson: 11,
} as const;

/** The writer is also the replicas' network tracer (network.ts): the hot path makes one call per message event. */
export class Trace implements NetTracer {
  readonly hash = new TraceHash();
  private readonly q: string[];
  private readonly sorted: number[];
  /** Op names seen so far → small ints; a name is hashed in full once, when first seen. */
  private readonly opIds = new Map<string, number>();
  private lastOp: string | null = null;
  private lastOpId = 0;

  constructor(
    readonly names: readonly string[],
    /** Where kept events go; null: only the hash is fed. */
    readonly sink: TraceSink | null,
  ) {
    this.q = names.map((n) => JSON.stringify(n));
    this.sorted = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  }

  private vv(r: TracedReplica): string {
    return r.knowledge.vvJson(this.names, this.sorted);
  }

  /** Rare events: the line is hashed as text, and kept when tracing. */
  private rare(line: string): void {
    this.hash.line(Tag.Line, line);
    if (this.sink) this.sink.rare(line);
  }

  update(t: number, r: TracedReplica, op: string, args: readonly unknown[], seq: number): void {
    const h = this.hash;
    // The last op's id at hand: a workload mostly repeats its op, and a Map lookup per update is not free.
    let opId = op === this.lastOp ? this.lastOpId : this.opIds.get(op);
    if (opId === undefined) {
      opId = this.opIds.size;
      this.opIds.set(op, opId);
      h.tag(Tag.OpName);
      h.str(op);
    }
    this.lastOp = op;
    this.lastOpId = opId;
    h.tag(Tag.Update);
    h.uint(t);
    h.uint(r.index);
    h.uint(seq);
    h.uint(opId);
    h.uint(args.length);
    // Numbers are hashed as themselves, anything else as canonical JSON (typed, so 1 ≠ "1").
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === "number") {
        h.tag(Tag.ArgNumber);
        h.num(a);
      } else {
        h.tag(Tag.ArgJson);
        h.str(canonicalKey(a) ?? "null");
      }
    }
    if (this.sink) this.sink.update(t, r.index, op, canonicalKey(args), seq, this.vv(r), r.valueJson());
  }

  send(t: number, ev: Ev, bytes: number): void {
    const h = this.hash;
    const msg = ev.id;
    const from = ev.from;
    const to = ev.node;
    const kind = ev.mkind;
    // The msg id is implied (ids are handed out in send order), the kind rides in the tag word,
    // and the link is one word when node indices fit 16 bits.
    if (from < 0x8000 && to < 0x8000) h.rec3(Tag.Send | (kind << 8), t, (from << 16) | to, bytes);
    else {
      h.tag(Tag.Send | (kind << 8));
      h.uint(t);
      h.uint(0xffff0000);
      h.uint(from);
      h.uint(to);
      h.uint(bytes);
    }
    // The sink builds its line out of line: V8 counts a callee's whole bytecode against the
    // caller's inlining budget, and building lines here left the delivery path out of budget
    // before it inlined the merge.
    if (this.sink !== null) this.sink.send(t, msg, from, to, kind, bytes);
  }

  deliver(t: number, msg: number, r: TracedReplica, from: number): void {
    // Recipient and sender are those of the message's send record: not repeated here.
    this.hash.rec2(Tag.Deliver, t, msg);
    if (this.sink !== null) this.deliverOut(this.sink, t, msg, r, from);
  }

  private deliverOut(sink: TraceSink, t: number, msg: number, r: TracedReplica, from: number): void {
    sink.deliver(t, msg, r.index, from, this.vv(r), r.valueJson());
  }

  drop(t: number, msg: number, reason: DropReason): void {
    const h = this.hash;
    h.tag(Tag.Drop);
    h.uint(t);
    h.uint(msg);
    h.uint(DROP_CODE[reason]);
    if (this.sink) this.sink.drop(t, msg, reason);
  }

  duplicate(t: number, msg: number, of: number): void {
    const h = this.hash;
    h.tag(Tag.Duplicate);
    h.uint(t);
    h.uint(msg);
    h.uint(of);
    if (this.sink) this.sink.duplicate(t, msg, of);
  }

  hold(t: number, msg: number): void {
    this.hash.tag(Tag.Hold);
    this.hash.uint(t);
    this.hash.uint(msg);
    if (this.sink) this.sink.hold(t, msg, false);
  }

  release(t: number, msg: number): void {
    this.hash.tag(Tag.Release);
    this.hash.uint(t);
    this.hash.uint(msg);
    if (this.sink) this.sink.hold(t, msg, true);
  }

  // ---- rare events: each is one line, hashed as text ---------------------------------------

  /** The first line: the run's parameters. Its key order is MetaEvent's. */
  meta(e: MetaEvent): void {
    let line =
      `{"t":0,"type":"meta","scenario":${JSON.stringify(e.scenario)},"seed":${e.seed},"crdt":${JSON.stringify(e.crdt)},` +
      `"nodes":[${e.nodes.map((x) => JSON.stringify(x)).join(",")}],"sync":"${e.sync}","antiEntropyMs":${e.antiEntropyMs},"duration":${e.duration}`;
    const clocks = e.clocks;
    // In node order (not the record's: a node named "1" would come first).
    if (clocks) line += `,"clocks":{${e.nodes.map((name) => `${JSON.stringify(name)}:{"skew":${clocks[name]?.skew ?? 0},"drift":${clocks[name]?.drift ?? 0}}`).join(",")}}`;
    if (e.dedup !== undefined) line += `,"dedup":${e.dedup},"causal":${e.causal ?? true}`;
    if (e.syncLagMs !== undefined) line += `,"syncLagMs":${e.syncLagMs}`;
    if (e.antiEntropy !== undefined) line += `,"antiEntropy":"${e.antiEntropy}"`;
    this.rare(line + "}");
  }

  private byMember(by: FaultCause): string {
    return by === "step" ? "" : `,"by":"${by}"`;
  }

  /** crash, pause, resume (`by` written only when the nemesis is the cause). */
  nodeEvent(t: number, type: "crash" | "pause" | "resume", node: number, by: FaultCause = "step"): void {
    this.rare(`{"t":${t},"type":"${type}","node":${this.q[node]}${this.byMember(by)}}`);
  }

  /**
   * A restart, with what the replica recovered from durable storage (its version vector and
   * value), so a viewer can show what the crash kept.
   */
  restart(t: number, r: TracedReplica, by: FaultCause = "step"): void {
    this.rare(`{"t":${t},"type":"restart","node":${this.q[r.index]}${this.byMember(by)},"vv":${this.vv(r)},"value":${r.valueJson()}}`);
  }

  clockSkew(t: number, node: number, skew: number, clock: number): void {
    this.rare(`{"t":${t},"type":"clock-skew","node":${this.q[node]},"skew":${skew},"clock":${clock},"source":"nemesis"}`);
  }

  clockJump(t: number, node: number, by: number, clock: number, source: "step" | "nemesis"): void {
    this.rare(`{"t":${t},"type":"clock-jump","node":${this.q[node]},"by":${by},"clock":${clock}${source === "nemesis" ? `,"source":"nemesis"` : ""}}`);
  }

  /** A partition into groups of nodes (`shape`: how it was drawn). */
  partitionGroups(t: number, by: FaultCause, shape: string, groups: readonly (readonly number[])[]): void {
    this.rare(`{"t":${t},"type":"partition","by":"${by}","shape":"${shape}","groups":${this.groups(groups)}}`);
  }

  /** A partition given as the links it cuts (one-way and ring shapes). */
  partitionLinks(t: number, by: FaultCause, shape: string, pairs: readonly (readonly [number, number])[]): void {
    this.rare(`{"t":${t},"type":"partition","by":"${by}","shape":"${shape}","links":${this.links(pairs)}}`);
  }

  cut(t: number, pairs: readonly (readonly [number, number])[]): void {
    this.rare(`{"t":${t},"type":"cut","links":${this.links(pairs)}}`);
  }

  heal(t: number, by: FaultCause | "final"): void {
    this.rare(`{"t":${t},"type":"heal","by":"${by}"}`);
  }

  /** A step that found its node down: an op (or a service request, "next"/"txn"), or a SQL statement. */
  skip(t: number, node: number, what: { op: string } | { sql: string }, reason: "crashed" | "paused"): void {
    const member = "op" in what ? `"op":${JSON.stringify(what.op)}` : `"sql":${JSON.stringify(what.sql)}`;
    this.rare(`{"t":${t},"type":"skip","node":${this.q[node]},${member},"reason":"${reason}"}`);
  }

  sqlError(t: number, node: number, step: number, reason: string): void {
    this.rare(`{"t":${t},"type":"sql-error","node":${this.q[node]},"step":${step},"reason":${JSON.stringify(reason)}}`);
  }

  /** Own update `seq` of `node` became durable. */
  ack(t: number, node: number, seq: number): void {
    const n = this.q[node]!;
    this.rare(`{"t":${t},"type":"ack","node":${n},"id":[${n},${seq}]}`);
  }

  /** A crash lost `records` unsynced records, among them these own updates. */
  unsyncedLost(t: number, node: number, records: number, own: readonly number[]): void {
    const n = this.q[node]!;
    this.rare(`{"t":${t},"type":"unsynced-lost","node":${n},"records":${records},"updates":[${own.map((s) => `[${n},${s}]`).join(",")}]}`);
  }

  buffer(t: number, msg: number, to: number, ops: number, buffered: number): void {
    this.rare(`{"t":${t},"type":"buffer","msg":${msg},"to":${this.q[to]},"ops":${ops},"buffered":${buffered}}`);
  }

  /** The last line: whether the replicas converged, when, and each one's value (nodes in name order). */
  converged(t: number, ok: boolean, at: number | null, rounds: number, replicas: readonly TracedReplica[]): void {
    const values = this.sorted.map((i) => `${this.q[i]}:${replicas[i]!.valueJson()}`).join(",");
    this.rare(`{"t":${t},"type":"converged","ok":${ok},"at":${at},"rounds":${rounds},"values":{${values}}}`);
  }

  // ---- service messages: the message events as lines, hashed as text --------------------

  serviceSend(t: number, msg: number, from: number, to: number, kind: string, bytes: number): void {
    this.rare(`{"t":${t},"type":"send","msg":${msg},"from":${this.q[from]},"to":${this.q[to]},"kind":${JSON.stringify(kind)},"bytes":${bytes}}`);
  }

  serviceDeliver(t: number, msg: number, r: TracedReplica, from: number, kind: string): void {
    this.rare(`{"t":${t},"type":"deliver","msg":${msg},"to":${this.q[r.index]},"from":${this.q[from]},"vv":${this.vv(r)},"value":${r.valueJson()},"kind":${JSON.stringify(kind)}}`);
  }

  serviceDrop(t: number, msg: number, reason: DropReason): void {
    this.rare(`{"t":${t},"type":"drop","msg":${msg},"reason":"${reason}"}`);
  }

  serviceDuplicate(t: number, msg: number, of: number): void {
    this.rare(`{"t":${t},"type":"duplicate","msg":${msg},"of":${of}}`);
  }

  serviceHold(t: number, msg: number, release: boolean): void {
    this.rare(`{"t":${t},"type":"${release ? "release" : "hold"}","msg":${msg}}`);
  }

  // ---- service histories -----------------------------------------------------------------

  /** A sequencer history event; its members in SequencerEvent's order, user data (names, counters) as canonical JSON. */
  seq(t: number, node: number, e: DistributiveOmit<SequencerEvent, "t" | "type" | "node">): void {
    let m: string;
    switch (e.event) {
      case "next":
      case "timeout":
        m = `"name":${JSON.stringify(e.name)},"req":${e.req}`;
        break;
      case "ok":
        m = `"name":${JSON.stringify(e.name)},"req":${e.req},"n":${e.n}`;
        break;
      case "assign":
        m = `"name":${JSON.stringify(e.name)},"req":${e.req},"client":${JSON.stringify(e.client)},"n":${e.n}`;
        break;
      case "unsynced-lost":
        m = `"records":${e.records}`;
        break;
      case "recover":
        m = `"counters":${canonicalKey(e.counters)}`;
        break;
    }
    this.rare(`{"t":${t},"type":"seq","node":${this.q[node]},"event":"${e.event}",${m}}`);
  }

  /** A RAMP transaction event, like `seq`; `ts` is a timestamp key, keys and values user data. */
  txn(t: number, node: number, e: DistributiveOmit<TransactionEvent, "t" | "type" | "node">): void {
    let m: string;
    switch (e.event) {
      case "rejected":
        m = `"reason":${JSON.stringify(e.reason)}`;
        break;
      case "unsynced-lost":
        m = `"records":${e.records}`;
        break;
      case "recover":
        m = `"versions":${e.versions}`;
        break;
      case "write":
        m = `"ts":${JSON.stringify(e.ts)},"writes":${canonicalKey(e.writes)}`;
        break;
      case "committed":
      case "write-timeout":
        m = `"ts":${JSON.stringify(e.ts)}`;
        break;
      case "read":
        m = `"read":${e.read},"keys":${canonicalKey(e.keys)}`;
        break;
      case "read-ok":
        m = `"read":${e.read},"values":${canonicalKey(e.values)},"versions":${canonicalKey(e.versions)}`;
        break;
      case "read-timeout":
        m = `"read":${e.read}`;
        break;
    }
    this.rare(`{"t":${t},"type":"txn","node":${this.q[node]},"event":"${e.event}",${m}}`);
  }

  /** Node-name pairs as canonical JSON: [["a","b"],…]. */
  private links(pairs: readonly (readonly [number, number])[]): string {
    return `[${pairs.map(([a, b]) => `[${this.q[a]},${this.q[b]}]`).join(",")}]`;
  }

  private groups(groups: readonly (readonly number[])[]): string {
    return `[${groups.map((g) => `[${g.map((i) => this.q[i]).join(",")}]`).join(",")}]`;
  }

  /** The tracer of the services' network: every message event as a line; `kind` names a message's type. */
  serviceMessages(kind: (ev: Ev) => string): NetTracer {
    return {
      send: (t, ev, bytes) => this.serviceSend(t, ev.id, ev.from, ev.node, kind(ev), bytes),
      drop: (t, msg, reason) => this.serviceDrop(t, msg, reason),
      duplicate: (t, msg, of) => this.serviceDuplicate(t, msg, of),
      hold: (t, msg) => this.serviceHold(t, msg, false),
      release: (t, msg) => this.serviceHold(t, msg, true),
    };
  }

  digest(): string {
    return this.hash.digest();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
