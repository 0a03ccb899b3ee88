/**
 * Delta and state modes (sync.mode "delta", the default for a state-based CRDT, and "state"):
 * the engine's side of shipping a state-based type — issuing an update, sending its delta (or,
 * in state mode, the whole state) to every peer, merging what arrives. The mirror of op-mode.ts
 * for op mode; the simulator keeps the agenda, the network, storage and the checkers, and this
 * class drives them through EngineHost. The replicas' hot path runs here: no JSON unless
 * tracing, no closures per message.
 */
import type { Op, StateCrdt } from "../../core/contract.ts";
import type { DigestSync } from "./digest-sync.ts";
import type { EngineHost } from "./engine-host.ts";
import { noteIssued } from "./issued.ts";
import { crdtThrew } from "./errors.ts";
import { MsgKind, type Ev } from "./event.ts";
import type { Replica } from "./replica.ts";
import { RecKind } from "./storage.ts";
import type { Outbox } from "./answers.ts";

const M_DELTA = MsgKind.Delta;
const M_STATE = MsgKind.State;
const M_AE = MsgKind.AntiEntropy;

export class StateMode {
  constructor(
    private readonly host: EngineHost,
    private readonly crdt: StateCrdt<any, unknown>,
    /** State mode: an update ships the whole state, not its delta. */
    private readonly wholeState: boolean,
    /** sync.antiEntropy "digest": it keeps a delta log and learns what each merge brought. */
    private readonly digestSync: DigestSync | null,
    /** A type whose merge answers: where its merges leave their answers (answers.ts); else null. */
    private readonly outbox: Outbox | null = null,
  ) {}

  /** Issues `op` at replica `r` and ships it (once durable). `origin` names the step for error messages. */
  update(r: Replica, op: Op, origin: string): void {
    const host = this.host;
    const now = host.time.now;
    const seq = r.seq + 1;
    const ck = host.checkers;
    ck.order.before(r, now);
    ck.counter?.issue(r.index, seq, op.op, op.args);
    ck.sequence?.beforeUpdate(r);
    let result: { state: unknown; delta: unknown };
    try {
      result = this.crdt.update(r.state, op, r.ctx);
    } catch (e) {
      throw crdtThrew(`t=${now} ${origin}: ${r.name} ${op.op} ${JSON.stringify(op.args)}`, e);
    }
    r.seq = seq;
    r.state = result.state;
    r.knowledge.add(r.index, seq);
    r.touch();
    host.progress.lastChange = now;
    this.digestSync?.log(r, r.index, seq, result.delta);
    ck.order.record(r, result.delta);
    noteIssued(host, r, seq, op, now);
    // Logged after the checkers saw the update: with no lag it is acknowledged right here.
    const storage = host.storage;
    const staged = storage !== null && storage.logOwn(r, { kind: RecKind.Delta, payload: result.delta, o: r.index, s: seq }, seq);
    // A negative event id names the replica's own update -seq (no string built on the hot path).
    ck.strong.afterChange(r, now, -seq);
    ck.counter?.afterChange(r, now, -seq);
    ck.events?.afterChange(r, now, -seq);
    if (staged) r.deferred.push({ seq, payload: result.delta });
    else this.broadcast(r, seq, result.delta);
  }

  /** Own updates that waited for their group commit leave the node (state mode: the state once). */
  shipDeferred(r: Replica, deferred: readonly { seq: number; payload: unknown }[]): void {
    if (this.wholeState) this.broadcast(r, deferred[deferred.length - 1]!.seq, null);
    else for (const x of deferred) this.broadcast(r, x.seq, x.payload);
  }

  /** Ships update `seq`: its delta to every peer, or (state mode) the full state. */
  private broadcast(r: Replica, seq: number, delta: unknown): void {
    const host = this.host;
    const n = host.n;
    if (n < 2) return;
    const from = r.index;
    if (this.wholeState) {
      // One snapshot shared by every recipient: merge never mutates its second argument.
      const snap = host.clone(r.state);
      const k = r.knowledge.clone();
      const bytes = host.sizeOf(snap);
      for (let to = 0; to < n; to++) if (to !== from) host.wire.send(from, to, M_STATE, snap, 0, 0, k, bytes);
    } else {
      const bytes = host.sizeOf(delta);
      for (let to = 0; to < n; to++) if (to !== from) host.wire.send(from, to, M_DELTA, delta, from, seq, null, bytes);
    }
  }

  /** Merges a delivered delta or state into `r`. */
  apply(r: Replica, ev: Ev): void {
    const host = this.host;
    const now = host.time.now;
    const ck = host.checkers;
    ck.order.before(r, now);
    const outbox = this.outbox;
    // What earlier merges on copies (the checks, a recovery) left there is not this replica's to send.
    if (outbox !== null) outbox.length = 0;
    r.state = this.crdt.merge(r.state, ev.payload);
    // Taken at once: the checks below merge into copies, and their answers are not this replica's.
    const answered = outbox !== null && outbox.length > 0 ? outbox.splice(0) : null;
    const learned = ev.mkind === M_DELTA ? r.knowledge.add(ev.origin, ev.oseq) : r.knowledge.mergeFrom(ev.knowledge!) > 0;
    if (this.digestSync !== null) this.digestSync.applied(r, ev);
    r.touch();
    if (host.storage !== null) this.logDelivery(r, ev);
    if (learned) host.progress.lastChange = now;
    const stats = host.stats;
    stats.delivered++;
    if (ev.mkind !== M_AE) stats.deliveredUpdates++;
    ck.order.record(r, ev.payload);
    if (ck.idem.sample()) ck.idem.check(r, ev.payload, now, ev.id);
    host.trace.deliver(now, ev.id, r, ev.from);
    ck.strong.afterChange(r, now, ev.id);
    ck.counter?.afterChange(r, now, ev.id);
    ck.events?.afterChange(r, now, ev.id);
    if (answered !== null) this.answer(r, ev, answered);
  }

  /**
   * Broadcasts what `r`'s merge of `ev` answered. An answer carries what the answered message
   * carried — its update's dot, or its sender's knowledge — so a receiver learns exactly that
   * (contract: an answer includes the message it answers); it goes as the same kind of message.
   */
  private answer(r: Replica, ev: Ev, sent: unknown[]): void {
    const host = this.host;
    const n = host.n;
    for (const m of sent) {
      const bytes = host.sizeOf(m);
      for (let to = 0; to < n; to++)
        if (to !== r.index) {
          host.stats.answers!++;
          host.wire.send(r.index, to, ev.mkind, m, ev.origin, ev.oseq, ev.knowledge, bytes);
        }
    }
  }

  /** Logs a delivered delta or state (out of line: most runs have no disk, and `apply` is the hot path). */
  private logDelivery(r: Replica, ev: Ev): void {
    this.host.storage!.logOther(
      r,
      ev.mkind === M_DELTA ? { kind: RecKind.Delta, payload: ev.payload, o: ev.origin, s: ev.oseq } : { kind: RecKind.State, payload: ev.payload, k: ev.knowledge! },
    );
  }
}
