/**
 * Digest anti-entropy for state-based types (scenario `sync.antiEntropy: "digest"`), generic
 * over every StateCrdt: instead of pushing its full state to a random peer every round, a node
 * sends its digest — its knowledge vector, 4 bytes per node — and the peer answers with only
 * what the node lacks.
 *
 * - Every node logs what it applies by origin and seq: its own updates' and peers' deltas, one
 *   entry per update, and the answers it receives, one shared entry for all the seqs an answer
 *   covers (so a node that learnt something from an answer can pass it on). The log is
 *   volatile: a crash loses it (a restarted node starts an empty one); entries every peer has
 *   reported having are dropped.
 * - Answer to a digest: for each origin, the seqs the answering node knows above the digest's
 *   counter. If the log holds all of them, the answer is the join of their entries (each entry
 *   once) plus the dots those entries cover — what the peer lacks, and at most the rest of an
 *   answer entry besides; if not (dropped, or lost in a crash) it falls back to the full state
 *   and the node's whole knowledge. Nothing to send, no answer.
 * - Write-ahead (storage.syncLagMs): own updates not yet durable never leave the node; a node
 *   holding such updates answers from its log (durable prefix only) or not at all.
 * - Pull as well as push: a digest (not an answer to one) that shows the sender has something
 *   the receiver lacks is answered with the receiver's own digest too, so one round repairs both
 *   directions, as op mode's causal layer does (causal.ts).
 *
 * An answer travels as an ordinary anti-entropy message (a state payload plus the knowledge it
 * brings, MsgKind.AntiEntropy; `oseq` 1 marks a join of logged entries, 0 a full state), so the
 * engine applies, persists, checks and traces it like a full state. Digests travel as MsgKind.Digest. Bytes: a digest is 4 per node; an answer is the
 * encoded join plus 8 per node (the seq range it covers per origin), a fallback the encoded state.
 */
import type { StateCrdt } from "../../core/contract.ts";
import type { EngineHost } from "./engine-host.ts";
import { type Ev, MsgKind } from "./event.ts";
import { Knowledge } from "./knowledge.ts";
import type { Replica } from "./replica.ts";
import { wireSizer } from "./wire-size.ts";

/** A logged payload and the dots it covers: one update's delta (o, s), or an answer's join (k). */
type Entry = { payload: unknown; o: number; s: number; k: Knowledge | null };
/** One origin's log: seqs ≤ base were dropped; items[i] is the entry holding seq base + 1 + i (or a hole). */
type OriginLog = { base: number; items: (Entry | undefined)[] };

/** One node's volatile log, valid for one incarnation (epoch) of the node. */
type NodeLog = { epoch: number; origins: OriginLog[]; peers: (Int32Array | null)[] };

export class DigestSync {
  private readonly logs: NodeLog[];
  private readonly crdt: StateCrdt<any, unknown>;
  private readonly sizeOf: (s: unknown) => number;
  /** Answers sent, and how many fell back to the full state (run stats for tests and the bench). */
  answers = 0;
  fallbacks = 0;

  constructor(private readonly host: EngineHost) {
    this.crdt = host.stateCrdt!;
    this.sizeOf = wireSizer(this.crdt);
    this.logs = host.replicas.map((r) => this.fresh(r.epoch));
  }

  private fresh(epoch: number): NodeLog {
    const n = this.host.n;
    return { epoch, origins: Array.from({ length: n }, () => ({ base: 0, items: [] })), peers: new Array<Int32Array | null>(n).fill(null) };
  }

  /** The node's log for its current incarnation (a restart finds an empty one). */
  private logOf(r: Replica): NodeLog {
    let log = this.logs[r.index]!;
    if (log.epoch !== r.epoch) this.logs[r.index] = log = this.fresh(r.epoch);
    return log;
  }

  /** Logs an update's delta applied at `r` (an own update, or a peer's delta message). */
  log(r: Replica, origin: number, seq: number, delta: unknown): void {
    this.put(this.logOf(r), origin, seq, { payload: delta, o: origin, s: seq, k: null });
  }

  /** The engine applied message `ev` at `r`: log a delta, or a joined answer under every seq it covers. */
  applied(r: Replica, ev: Ev): void {
    if (ev.mkind === MsgKind.Delta) return this.log(r, ev.origin, ev.oseq, ev.payload);
    if (ev.mkind !== MsgKind.AntiEntropy || ev.oseq !== 1) return;
    const k = ev.knowledge!;
    const log = this.logOf(r);
    const entry: Entry = { payload: ev.payload, o: -1, s: 0, k };
    for (let o = 0; o < this.host.n; o++) {
      // An answer's dots: a run above each origin's prefix in k, or a few scattered extras.
      for (const s of k.extraSeqs(o)) this.put(log, o, s, entry);
      for (let s = k.contig[o]!; s >= 1 && k.has(o, s) && s > log.origins[o]!.base; s--) this.put(log, o, s, entry);
    }
  }

  private put(log: NodeLog, origin: number, seq: number, entry: Entry): void {
    const o = log.origins[origin]!;
    if (seq <= o.base) return;
    const i = seq - o.base - 1;
    if (o.items[i] === undefined) o.items[i] = entry;
  }

  /** One anti-entropy round from `r`: its digest to one seeded-random peer (the same draw as a state round). */
  round(r: Replica): void {
    const host = this.host;
    let peer = host.rAntiEntropy.int(0, host.n - 2);
    if (peer >= r.index) peer++;
    this.sendDigest(r, peer, false);
  }

  private sendDigest(r: Replica, to: number, reply: boolean): void {
    this.host.wire.send(r.index, to, MsgKind.Digest, Int32Array.from(r.knowledge.contig), reply ? 1 : 0, 0, null, 4 * this.host.n);
  }

  /** A digest reaches `r`: answer with what its sender lacks; ask back if the sender has more. */
  onDigest(r: Replica, ev: Ev): void {
    const host = this.host;
    host.stats.delivered++;
    host.trace.deliver(host.time.now, ev.id, r, ev.from);
    const theirs = ev.payload as Int32Array;
    const log = this.logOf(r);
    log.peers[ev.from] = theirs;
    this.answer(r, ev.from, theirs, log);
    if (ev.origin === 0) {
      const mine = r.knowledge.contig;
      for (let o = 0; o < host.n; o++)
        if (theirs[o]! > mine[o]!) {
          this.sendDigest(r, ev.from, true);
          break;
        }
    }
    this.truncate(r, log);
  }

  private answer(r: Replica, to: number, theirs: Int32Array, log: NodeLog): void {
    const host = this.host;
    const k = r.knowledge;
    // Own updates leave the node only once durable (write-ahead).
    const ownTop = host.storage === null ? r.seq : r.durableSeq;
    const covered = new Knowledge(host.n);
    const used = new Set<Entry>();
    let joined: unknown = undefined;
    let complete = true;
    for (let o = 0; o < host.n && complete; o++) {
      const from = theirs[o]!;
      const seqs: number[] = [];
      for (let s = from + 1; s <= k.contig[o]!; s++) seqs.push(s);
      for (const s of k.extraSeqs(o)) if (s > from) seqs.push(s);
      const entries = log.origins[o]!;
      for (const s of seqs) {
        if (o === r.index && s > ownTop) break;
        const e = s > entries.base ? entries.items[s - entries.base - 1] : undefined;
        if (e === undefined) {
          complete = false;
          break;
        }
        if (used.has(e)) continue;
        used.add(e);
        joined = joined === undefined ? host.clone(e.payload) : this.crdt.merge(joined, e.payload);
        if (e.k === null) covered.add(e.o, e.s);
        else covered.mergeFrom(e.k);
      }
    }
    if (complete) {
      if (joined === undefined) return;
      this.answers++;
      host.wire.send(r.index, to, MsgKind.AntiEntropy, joined, 0, 1, covered, this.sizeOf(joined) + 8 * host.n);
      return;
    }
    // The log cannot cover the gap: the full state, unless it holds own updates not yet durable.
    if (host.storage !== null && r.durableSeq < r.seq) return;
    this.answers++;
    this.fallbacks++;
    const snap = host.clone(r.state);
    host.wire.send(r.index, to, MsgKind.AntiEntropy, snap, 0, 0, k.clone(), this.sizeOf(snap));
  }

  /** Drops the deltas every peer has reported having (each peer's latest digest): they will not be asked for again unless a peer loses them in a crash, which the fallback covers. */
  private truncate(r: Replica, log: NodeLog): void {
    const n = this.host.n;
    for (let p = 0; p < n; p++) if (p !== r.index && log.peers[p] === null) return;
    for (let o = 0; o < n; o++) {
      let floor = Infinity;
      for (let p = 0; p < n; p++) if (p !== r.index) floor = Math.min(floor, log.peers[p]![o]!);
      const entries = log.origins[o]!;
      if (floor > entries.base) {
        entries.items.splice(0, floor - entries.base);
        entries.base = floor;
      }
    }
  }
}
