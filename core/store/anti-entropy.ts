/**
 * Anti-entropy of a StoreReplica (docs/design.md, "The node protocol"): the digest a replica
 * sends, the answer it computes to a peer's digest, and the merge of such an answer.
 *
 * - `digest`: per collection, the knowledge (the dots applied).
 * - `missing`: what the peer lacks and nothing else (nor what it holds pending, if it says). Per collection and origin, the deltas above
 *   the peer's counter come from the delta log (joined per object: one entry per object, not per
 *   update); where the log no longer holds them (compacted, or learnt through a sync rather than
 *   one by one) the objects those origins touched beyond the peer's counter are sent whole.
 * - `applySync`: merges an answer; the collection's knowledge is raised to the sender's only when
 *   the answer was computed against a digest this replica still covers, and never for the origins
 *   a held transaction's object carries (so the knowledge never claims a dot that is not visible).
 *
 * These are functions over a SyncPort rather than methods, so the replica (reads, local and peer
 * updates, the log) and anti-entropy can be read and changed apart; the port is exactly what
 * anti-entropy touches of the store: some backing reads and writes, the store CRDT's merge of one
 * object, and the transaction hold (txn-hold.ts). StoreReplica's `digest`, `missing` and
 * `applySync` delegate here unchanged.
 */
import { CausalContext } from "../clock/causal-context.ts";
import { VersionVector } from "../clock/version-vector.ts";
import type { StateCrdt } from "../contract.ts";
import { cloneState as copy } from "../crdt/_internals/nested.ts";
import { compareStrings } from "../util/json.ts";
import type { StoreBacking } from "./backing.ts";
import { type StoreDigest, type SyncMessage, type SyncObject, type SyncPart, txnKey, type TxnMeta } from "./messages.ts";
import { type HeldObject, heldCount, heldOrigins, holdObject, type HoldPort, knowledgeRaised, settle, type TxnHold } from "./txn-hold.ts";

/** What anti-entropy reads and writes of the store. */
export interface SyncPort {
  /** The store's collections, in schema order (the order of a digest's and an answer's parts). */
  readonly collections: readonly string[];
  /** A collection's object type; throws a StoreError for an unknown collection. */
  typeOf(collection: string): StateCrdt;
  readonly backing: Pick<StoreBacking, "knowledge" | "putKnowledge" | "logGet" | "touchedAbove" | "object" | "vv" | "txn" | "put">;
  /** Merges a state into an object as the store CRDT does (without writing it): the object's state after, undefined when it is still absent. */
  join(collection: string, id: string, state: unknown): unknown;
  /** The transaction hold, and its port; `holding()` false (a test-only bug) merges a transaction's objects as they arrive. */
  readonly hold: TxnHold;
  readonly holdPort: HoldPort;
  holding(): boolean;
}

/** Per collection, a copy of the knowledge (collections without any left out). */
export function digest(port: SyncPort): StoreDigest {
  const out: StoreDigest = new Map();
  for (const c of port.collections) {
    const cc = port.backing.knowledge(c);
    if (cc && !cc.isEmpty()) out.set(c, cc.clone());
  }
  return out;
}

/**
 * The answer to a peer's digest: everything this replica knows that the peer lacks — less the
 * peer's `pending` dots (held by its transaction hold: it has them, not yet visible), which are
 * left out of the joined deltas. The answer's `base` stays the digest: the peer raises its
 * knowledge only where it holds nothing (applySync), so a dot left out is never claimed unseen.
 */
export function missing(port: SyncPort, peer: StoreDigest, pending?: StoreDigest): SyncMessage {
  for (const c of peer.keys()) port.typeOf(c);
  for (const c of pending?.keys() ?? []) port.typeOf(c);
  const parts: SyncPart[] = [];
  for (const c of port.collections) {
    const cc = port.backing.knowledge(c);
    if (!cc) continue;
    const base = peer.get(c) ?? new CausalContext();
    const part = missingIn(port, c, cc, base, pending?.get(c));
    if (part) parts.push(part);
  }
  return { parts };
}

/** One collection's part of the answer, or null when the peer lacks nothing of it. */
function missingIn(port: SyncPort, c: string, cc: CausalContext, base: CausalContext, pending: CausalContext | undefined): SyncPart | null {
  const { backing } = port;
  const crdt = port.typeOf(c);
  const deltas = new Map<string, unknown[]>();
  const txns = new Map<string, Map<string, TxnMeta>>();
  const unlogged: string[] = [];
  let any = false;
  for (const origin of cc.replicas()) {
    const seqs = lacking(cc, base, origin, pending);
    if (seqs.length === 0) continue;
    any = true;
    // An origin is served from the log only if the log holds every update of it the peer lacks.
    const entries = [];
    for (const s of seqs) {
      const e = backing.logGet(c, origin, s);
      if (e === undefined) break;
      entries.push(e);
    }
    if (entries.length < seqs.length) {
      unlogged.push(origin);
      continue;
    }
    for (const e of entries) {
      const list = deltas.get(e.id);
      if (list) list.push(e.delta);
      else deltas.set(e.id, [e.delta]);
      if (e.txn) {
        let ts = txns.get(e.id);
        if (!ts) txns.set(e.id, (ts = new Map()));
        ts.set(txnKey(e.txn), e.txn);
      }
    }
  }
  if (!any) return null;
  // Sent whole: the objects an unlogged origin touched with an update the peer lacks (a seq
  // above the peer's vector; the peer's rare out-of-order dots are ignored: one object too many).
  const whole = new Set<string>();
  for (const o of unlogged) for (const id of backing.touchedAbove(c, o, base.vv.get(o))) whole.add(id);
  const out: SyncObject[] = [];
  for (const id of [...new Set([...whole, ...deltas.keys()])].sort(compareStrings)) {
    const state = backing.object(c, id);
    // An update that changed nothing (its delta the type's initial state) created no object:
    // it is shipped on the delta path alone, as a joined delta with an empty vector.
    if (state === undefined && unlogged.length > 0) continue;
    const vv = backing.vv(c, id)?.clone() ?? new VersionVector();
    if (whole.has(id)) {
      const last = backing.txn?.(c, id);
      out.push(last ? { id, full: true, vv, state: copy(crdt, state), txns: [last] } : { id, full: true, vv, state: copy(crdt, state) });
      continue;
    }
    const list = deltas.get(id)!;
    let joined = copy(crdt, list[0]);
    for (let i = 1; i < list.length; i++) joined = crdt.merge(joined, list[i]);
    const ts = txns.get(id);
    out.push(ts ? { id, full: false, vv, state: joined, txns: [...ts.values()] } : { id, full: false, vv, state: joined });
  }
  return { collection: c, base: base.clone(), known: cc.clone(), objects: out };
}

/**
 * Merges an answer to this replica's digest. Returns the number of objects merged or held (an
 * object joining a transaction's update is held until the transaction is whole; while any
 * object of a collection is held, its knowledge is not raised for the origins such objects
 * name, so it never claims a dot that is not visible).
 */
export function applySync(port: SyncPort, msg: SyncMessage): number {
  // Every collection is checked before anything is merged: an error leaves the store as it was.
  for (const p of msg.parts) port.typeOf(p.collection);
  const { backing, hold } = port;
  let merged = 0;
  const raise: [SyncPart, boolean][] = [];
  let held = false;
  for (const p of msg.parts) {
    const c = p.collection;
    const cc = backing.knowledge(c) ?? new CausalContext();
    // Knowledge may be raised only if this replica still has everything the answer assumed.
    const covered = includes(cc, p.base);
    for (const o of p.objects) {
      merged++;
      if (o.txns?.length && port.holding()) {
        holdObject(hold, c, o as HeldObject, covered, port.typeOf(c), port.holdPort);
        held = true;
      } else mergeObject(port, c, o, covered);
    }
    raise.push([p, covered]);
  }
  if (held) settle(hold, port.holdPort);
  for (const [p, covered] of raise) {
    if (!covered) continue;
    const c = p.collection;
    const cc = backing.knowledge(c) ?? new CausalContext();
    const waiting = heldOrigins(hold, c);
    const known = waiting.size === 0 ? p.known : p.known.restricted((r) => !waiting.has(r));
    const grows = !includes(cc, known);
    backing.putKnowledge(c, cc.merge(known));
    if (grows && heldCount(hold) > 0) knowledgeRaised(hold, c, cc);
  }
  return merged;
}

/**
 * Merges one object of an answer into the store: its state joined, and its version vector raised
 * to the sender's when it was sent whole or the answer's base is covered (otherwise the object
 * may lack updates the vector would claim). Also the hold's merge of a sync object it releases.
 */
export function mergeObject(port: SyncPort, c: string, o: SyncObject, covered: boolean): void {
  const state = port.join(c, o.id, o.state);
  if (state !== undefined) {
    const vv = port.backing.vv(c, o.id) ?? new VersionVector();
    if (o.full || covered) vv.merge(o.vv);
    port.backing.put(c, o.id, state, vv);
  }
}

/** The seqs of `origin` that `cc` holds and `peer` neither knows nor holds pending, ascending. */
function lacking(cc: CausalContext, peer: CausalContext, origin: string, pending: CausalContext | undefined): number[] {
  const out: number[] = [];
  const lacks = (s: number) => !peer.has([origin, s]) && !pending?.has([origin, s]);
  for (let s = peer.vv.get(origin) + 1; s <= cc.vv.get(origin); s++) if (lacks(s)) out.push(s);
  const cloud = cc.cloudOf(origin);
  if (cloud) for (const s of [...cloud].sort((a, b) => a - b)) if (lacks(s)) out.push(s);
  return out;
}

/** Whether `a` holds every dot of `b`. */
function includes(a: CausalContext, b: CausalContext): boolean {
  if (!a.vv.dominates(b.vv)) return false;
  for (const d of b.cloud()) if (!a.has(d)) return false;
  return true;
}
