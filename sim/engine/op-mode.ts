/**
 * Op mode (sync.mode "op", or an op-based CRDT): the engine's side of reliable causal broadcast
 * (causal.ts) — issuing an update as an op, shipping it, anti-entropy digests, and receiving
 * ops and retransmitted batches with dedup, causal buffering and op-store collection. The
 * simulator keeps the agenda, the network, storage and the checkers; this class drives them.
 */
import type { Op } from "../../core/contract.ts";
import { causallyReady, vectorOf, type OpRec } from "./causal.ts";
import { MsgKind, type Ev } from "./event.ts";
import type { Replica } from "./replica.ts";
import type { EngineHost } from "./engine-host.ts";
import { noteAnswer, noteIssued } from "./issued.ts";
import { crdtThrew } from "./errors.ts";
import { RecKind } from "./storage.ts";
import type { Outbox } from "./answers.ts";

const M_OP = MsgKind.Op;
const M_OPS = MsgKind.Ops;
const M_DIGEST = MsgKind.Digest;
/** How deep answers to answers may go from one delivery before the type is told they never end. */
const MAX_ANSWER_DEPTH = 100;

/** One op's effect applied to `state`: an OpCrdt's effect, or a state-based type's delta merged (also for replay and the checkers). */
export function applyOpEffect(crdts: Pick<EngineHost, "opCrdt" | "stateCrdt" | "names">, state: unknown, rec: OpRec): unknown {
  return crdts.opCrdt !== null ? crdts.opCrdt.effect(state, rec.e, { origin: crdts.names[rec.o]!, seq: rec.s }) : crdts.stateCrdt!.merge(state, rec.e);
}

export class OpMode {
  constructor(
    private readonly host: EngineHost,
    /** A type whose effect (or merge) answers: where it leaves its answers (answers.ts); else null. */
    private readonly outbox: Outbox | null = null,
  ) {}

  /** What deliveries at one replica answered, sent once the message that caused them is traced. */
  private readonly answered: unknown[] = [];

  /** `applyEffect` at replica `r` itself (not a copy): what it answered, taken before any check touches a copy. */
  private effectAt(r: Replica, rec: OpRec): unknown[] | null {
    const outbox = this.outbox;
    if (outbox === null) {
      r.state = this.applyEffect(r.state, rec);
      return null;
    }
    // What earlier calls on copies (the checks, a recovery) left there is not this replica's to send.
    outbox.length = 0;
    r.state = this.applyEffect(r.state, rec);
    return outbox.length > 0 ? outbox.splice(0) : null;
  }

  /** Applies one op's effect (an OpCrdt's effect, or a state-based type's delta) to `state`. */
  applyEffect(state: unknown, rec: OpRec): unknown {
    return applyOpEffect(this.host, state, rec);
  }

  /** Issues `op` at `r` as an op (its dependencies: what `r` has delivered) and ships it once durable. */
  update(r: Replica, op: Op, origin: string): void {
    const now = this.host.time.now;
    const seq = r.seq + 1;
    const ck = this.host.checkers;
    ck.order.before(r, now);
    ck.counter?.issue(r.index, seq, op.op, op.args);
    ck.sequence?.beforeUpdate(r);
    // Dependencies: what this replica had delivered when the op was prepared.
    const deps = vectorOf(r.knowledge);
    let rec: OpRec;
    let answered: unknown[] | null = null;
    try {
      let effect: unknown;
      if (this.host.opCrdt !== null) effect = this.host.opCrdt.prepare(r.state, op, r.ctx);
      else {
        const result = this.host.stateCrdt!.update(r.state, op, r.ctx);
        r.state = result.state;
        effect = result.delta;
      }
      rec = { o: r.index, s: seq, deps, e: effect, bytes: this.host.sizeOf(effect) + 4 * (this.host.n + 2) };
      // An op-based type applies its own op through effect, like every other replica.
      if (this.host.opCrdt !== null) answered = this.effectAt(r, rec);
    } catch (e) {
      throw crdtThrew(`t=${now} ${origin}: ${r.name} ${op.op} ${JSON.stringify(op.args)}`, e);
    }
    r.seq = seq;
    r.knowledge.add(r.index, seq);
    r.op!.put(rec);
    r.touch();
    this.host.progress.lastChange = now;
    ck.order.record(r, rec);
    noteIssued(this.host, r, seq, op, now);
    const storage = this.host.storage;
    const staged = storage !== null && storage.logOwn(r, { kind: RecKind.Op, op: rec }, seq);
    ck.strong.afterChange(r, now, -seq);
    ck.counter?.afterChange(r, now, -seq);
    ck.events?.afterChange(r, now, -seq);
    if (staged) r.deferred.push({ seq, payload: rec });
    else this.broadcast(r, rec);
    if (answered !== null) this.answer(r, answered, 1);
  }

  /**
   * Issues what an effect at `r` answered (or, a state-based type in op mode, a merge): each
   * answer becomes `r`'s next op, its dependencies what `r` has delivered (the answered op
   * included); it is applied at `r` through effect like any op at its origin (a merge's answer is
   * in `r`'s state already, by contract), stored, logged and broadcast through the causal layer
   * like an update — so faults meet it and anti-entropy retransmits it — and counted in
   * stats.answers, once per peer it is sent to. The checkers learn of it as of an update, by its
   * dot (issued.ts `noteAnswer`). An answer's own effect may answer in turn.
   */
  private answer(r: Replica, sent: unknown[], depth: number): void {
    const host = this.host;
    const now = host.time.now;
    const ck = host.checkers;
    for (const e of sent) {
      const seq = r.seq + 1;
      if (depth > MAX_ANSWER_DEPTH) throw crdtThrew(`t=${now} ${r.name}`, new Error(`answers never came to an end (an answer to an answer, ${MAX_ANSWER_DEPTH} deep)`));
      ck.order.before(r, now);
      ck.sequence?.beforeUpdate(r);
      const rec: OpRec = { o: r.index, s: seq, deps: vectorOf(r.knowledge), e, bytes: host.sizeOf(e) + 4 * (host.n + 2) };
      let more: unknown[] | null = null;
      try {
        if (host.opCrdt !== null) more = this.effectAt(r, rec);
      } catch (err) {
        throw crdtThrew(`t=${now} ${r.name}: its answer ${r.name}:${seq}`, err);
      }
      r.seq = seq;
      r.knowledge.add(r.index, seq);
      r.op!.put(rec);
      r.touch();
      host.progress.lastChange = now;
      ck.order.record(r, rec);
      // Before it is logged: with no sync lag, logging acknowledges it.
      noteAnswer(host, r, seq, now);
      const storage = host.storage;
      const staged = storage !== null && storage.logOwn(r, { kind: RecKind.Op, op: rec }, seq);
      ck.strong.afterChange(r, now, -seq);
      ck.counter?.afterChange(r, now, -seq);
      ck.events?.afterChange(r, now, -seq);
      host.stats.answers! += host.n - 1;
      if (staged) r.deferred.push({ seq, payload: rec });
      else this.broadcast(r, rec);
      if (more !== null) this.answer(r, more, depth + 1);
    }
  }

  /** Sends op `rec` to every other replica. */
  broadcast(r: Replica, rec: OpRec): void {
    const from = r.index;
    for (let to = 0; to < this.host.n; to++) if (to !== from) this.host.wire.send(from, to, M_OP, rec, rec.o, rec.s, null, rec.bytes);
  }

  /** Anti-entropy in op mode: this replica's delivered vector to one seeded-random peer. */
  sendDigest(r: Replica, to = -1, reply = false): void {
    let peer = to;
    if (peer < 0) {
      peer = this.host.rAntiEntropy.int(0, this.host.n - 2);
      if (peer >= r.index) peer++;
    }
    this.host.wire.send(r.index, peer, M_DIGEST, vectorOf(r.knowledge), reply ? 1 : 0, 0, null, 4 * this.host.n);
  }

  /** An op-mode message reaches `r`: an op, a batch of ops, or a digest. */
  onMessage(r: Replica, ev: Ev): void {
    const now = this.host.time.now;
    const stats = this.host.stats;
    stats.delivered++;
    if (ev.mkind === M_DIGEST) {
      const theirs = ev.payload as Int32Array;
      if (this.host.opStoreGc) {
        // A digest is the sender's volatile delivered vector: with a sync lag a crash can take
        // part of it back, so only an op's dependencies (durable once the op is sent) count then.
        if (this.host.syncLag === 0) r.op!.hear(ev.from, theirs);
        r.op!.collect(r.knowledge, r.index);
      }
      const missing = r.op!.missing(theirs, r.index, this.host.storage === null ? r.seq : r.durableSeq);
      this.host.trace.deliver(now, ev.id, r, ev.from);
      if (missing.length > 0) {
        let bytes = 0;
        for (const m of missing) bytes += m.bytes;
        this.host.wire.send(r.index, ev.from, M_OPS, missing, 0, 0, null, bytes);
      }
      // The sender has ops this replica lacks: ask for them (once; a reply never asks back).
      if (ev.origin === 0) {
        const mine = r.knowledge.contig;
        for (let o = 0; o < this.host.n; o++)
          if (theirs[o]! > mine[o]!) {
            this.sendDigest(r, ev.from, true);
            break;
          }
      }
      return;
    }
    let applied = 0;
    let held = 0;
    if (ev.mkind === M_OP) {
      stats.deliveredUpdates++;
      const k = this.receive(r, ev.payload as OpRec, ev.id);
      if (k === 1) applied++;
      else if (k === 2) held++;
    } else
      for (const rec of ev.payload as OpRec[]) {
        const k = this.receive(r, rec, ev.id);
        if (k === 1) applied++;
        else if (k === 2) held++;
      }
    if (applied > 0 && this.host.causal) {
      // Delivering an op may make buffered ones ready.
      for (let rec = r.op!.takeReady(r.knowledge, this.host.dedup); rec !== undefined; rec = r.op!.takeReady(r.knowledge, this.host.dedup)) {
        this.deliver(r, rec, ev.id);
        applied++;
      }
    }
    if (applied === 0 && held === 0 && ev.mkind === M_OP) {
      // Every op in it was delivered before: the layer drops the duplicate.
      stats.dropped++;
      this.host.trace.drop(now, ev.id, "dedup");
      return;
    }
    this.host.trace.deliver(now, ev.id, r, ev.from);
    if (held > 0) this.host.trace.buffer(now, ev.id, r.index, held, r.op!.buffered);
    if (this.answered.length > 0) this.answer(r, this.answered.splice(0), 1);
  }

  /** One op reaches `r`: 0 dropped as a duplicate, 1 delivered, 2 buffered until causally ready. */
  private receive(r: Replica, rec: OpRec, msg: number): number {
    const k = r.knowledge;
    if (this.host.opStoreGc) {
      // The op tells what its origin had delivered: its dependencies and its own earlier ops.
      const node = r.op!;
      node.hear(rec.o, rec.deps);
      node.heardOwn(rec.o, rec.s);
      node.maybeCollect(k, r.index);
    }
    if (this.host.dedup && (k.has(rec.o, rec.s) || (this.host.causal && r.op!.isBuffered(rec.o, rec.s)))) return 0;
    if (this.host.causal && !causallyReady(k, rec)) {
      r.op!.hold(rec);
      return 2;
    }
    this.deliver(r, rec, msg);
    return 1;
  }

  /** Applies a causally ready op at `r`, stores it for retransmission, logs it, and tells the checkers. */
  private deliver(r: Replica, rec: OpRec, msg: number): void {
    const now = this.host.time.now;
    const ck = this.host.checkers;
    ck.order.before(r, now);
    let answered: unknown[] | null;
    try {
      answered = this.effectAt(r, rec);
    } catch (e) {
      throw crdtThrew(`t=${now} msg ${msg} to ${r.name}: op ${this.host.names[rec.o]}:${rec.s}`, e);
    }
    const learned = r.knowledge.add(rec.o, rec.s);
    r.op!.put(rec);
    r.touch();
    this.host.storage?.logOther(r, { kind: RecKind.Op, op: rec });
    if (learned) this.host.progress.lastChange = now;
    ck.order.record(r, rec);
    if (ck.idem.sample()) ck.idem.check(r, rec, now, msg);
    ck.strong.afterChange(r, now, msg);
    ck.counter?.afterChange(r, now, msg);
    ck.events?.afterChange(r, now, msg);
    if (answered !== null) for (const a of answered) this.answered.push(a);
  }
}
