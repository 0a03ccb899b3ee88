/**
 * The transaction hold of a StoreReplica (docs/design.md, "Transactions on a node"): a
 * transaction's updates (peers' deltas, or sync answers' objects joining one) are kept here in
 * memory, out of the knowledge, until every dot the transaction lists is known or held; then all
 * of them are applied together, in the order they arrived (RAMP-Fast's commit, decided locally).
 *
 * Which held updates are whole is the greatest fixed point over the held updates: an update is
 * applied when every member dot of each transaction it lists is in the knowledge, or provided by
 * another update applied with it (a delta with that dot; a sync object for that object listing
 * it, or sent whole with a version vector covering it). The hold finds it without looking at
 * every held update on every receipt:
 *
 * - Each transaction listed by some held update has one record of its members; a member is
 *   *missing* (neither known nor provided by a held update), *provided* or *known*. A record is
 *   complete when none is missing, and an update is *ready* when every record it lists is.
 * - A member changes state only when something names it: a held update arriving for its object
 *   (indexed by object) or a dot entering the knowledge (indexed by dot; the replica says which,
 *   `knownDot`, or that a collection's knowledge was raised, `knowledgeRaised`).
 * - `settle` starts from the updates that became ready since the last settle (or arrived, or
 *   had a member become known), adds the ready updates that depend on them (those listing a
 *   transaction with a member on their objects), and computes the fixed point over that set
 *   only: every check reads the knowledge and the set themselves, so the indexes decide what is
 *   looked at, never what is applied. After a settle every update still held is not whole.
 *
 * Work per receipt is proportional to the metadata it touches (linear over a catch-up), where
 * recomputing the fixed point over every held update was quadratic.
 *
 * The hold reaches the store only through a HoldPort: the knowledge, and the replica's own
 * merges of a delta and of a sync object.
 */
import { CausalContext } from "../clock/causal-context.ts";
import type { StateCrdt } from "../contract.ts";
import { cloneState as copy } from "../crdt/_internals/nested.ts";
import { type DeltaMessage, sameTxn, type SyncObject, txnKey, type TxnMeta } from "./messages.ts";

/** A transaction's delta, held. */
export type HeldDelta = DeltaMessage & { txn: TxnMeta };
/** A sync object joining a transaction's update, held. */
export type HeldObject = SyncObject & { txns: TxnMeta[] };
/** An update held back until its transaction is whole: a peer's delta, or a sync answer's object. */
export type Prepared = { kind: "delta"; msg: HeldDelta } | { kind: "sync"; collection: string; object: HeldObject; covered: boolean };

/** What the hold reads and writes of the store. */
export interface HoldPort {
  /** A collection's knowledge (the dots applied), or undefined before the first. */
  knowledge(collection: string): CausalContext | undefined;
  putKnowledge(collection: string, cc: CausalContext): void;
  /** Merges a delta into its object and adds its dot to `cc` (the collection's knowledge, not holding it), writing both. */
  applyDelta(msg: DeltaMessage, cc: CausalContext): void;
  /** Merges a sync object into its object (its vector raised when sent whole or `covered`). */
  mergeObject(collection: string, object: SyncObject, covered: boolean): void;
  /** Records an object's last transaction, if the object exists. */
  putTxn(collection: string, id: string, txn: TxnMeta): void;
}

const MISSING = 0;
const PROVIDED = 1;
const KNOWN = 2;

/** One member of a transaction record: a dot of `origin` in collection `c` that updated object `id`. */
type Member = {
  rec: TxnRecord;
  c: string;
  id: string;
  origin: string;
  seq: number;
  dot: string;
  obj: string;
  /** The keys of the held updates that would provide it: its delta, its object's sync object. */
  deltaKey: string;
  objectKey: string;
  state: number;
};
type TxnRecord = { key: string; meta: TxnMeta; members: Member[]; missing: number; entries: Set<Entry> };
type Entry = {
  key: string;
  /** Arrival: the order in which held updates are applied together (a join keeps its object's first). */
  order: number;
  p: Prepared;
  c: string;
  obj: string;
  /** The dots a sync object provides through the transactions it lists (its own members). */
  provides: Set<string>;
  records: TxnRecord[];
  /** Records listed that are not complete. */
  incomplete: number;
  origins: string[];
};

export type TxnHold = {
  /** Held updates by key, in arrival order. */
  readonly entries: Map<string, Entry>;
  readonly records: Map<string, TxnRecord>;
  /** Object → the members on it (of every record). */
  readonly byObject: Map<string, Set<Member>>;
  /** Dot → the members naming it. */
  readonly byDot: Map<string, Set<Member>>;
  /** Collection → origin → how many held updates carry it (a delta's origin, a sync object's vector's replicas). */
  readonly origins: Map<string, Map<string, number>>;
  /** Updates to look at in the next settle. */
  readonly dirty: Set<Entry>;
  arrivals: number;
};

export function newTxnHold(): TxnHold {
  return { entries: new Map(), records: new Map(), byObject: new Map(), byDot: new Map(), origins: new Map(), dirty: new Set(), arrivals: 0 };
}

/** Updates held (deltas, and sync objects: one per object). */
export function heldCount(hold: TxnHold): number {
  return hold.entries.size;
}

/**
 * What the hold keeps in memory: updates held, the transactions they list, and the members of
 * those transactions (each held update carries its transactions' whole member lists).
 */
export function holdStats(hold: TxnHold): { updates: number; transactions: number; members: number } {
  let members = 0;
  for (const r of hold.records.values()) members += r.members.length;
  return { updates: hold.entries.size, transactions: hold.records.size, members };
}

/** Holds a transaction's delta (validated by the caller, its dot not known). False when it is held already. */
export function holdDelta(hold: TxnHold, msg: HeldDelta, port: HoldPort): boolean {
  const key = `d\u0000${msg.collection}\u0000${msg.origin}\u0000${msg.seq}`;
  if (hold.entries.has(key)) return false;
  const e = newEntry(hold, key, { kind: "delta", msg }, msg.collection, msg.id);
  addEntry(hold, e, port);
  return true;
}

/** Holds a sync object that joins a transaction's update (joined with one held before for the same object). */
export function holdObject(hold: TxnHold, c: string, o: HeldObject, covered: boolean, crdt: StateCrdt, port: HoldPort): void {
  const key = `s\u0000${c}\u0000${o.id}`;
  const before = hold.entries.get(key);
  if (before?.p.kind !== "sync") {
    const e = newEntry(hold, key, { kind: "sync", collection: c, object: { ...o, vv: o.vv.clone(), txns: [...o.txns] }, covered }, c, o.id);
    addEntry(hold, e, port);
    return;
  }
  const b = before.p.object;
  const txns = new Map(b.txns.map((t) => [txnKey(t), t]));
  for (const t of o.txns) txns.set(txnKey(t), t);
  countOrigins(hold, before, -1);
  before.p = {
    kind: "sync",
    collection: c,
    object: { id: o.id, full: b.full || o.full, vv: b.vv.clone().merge(o.vv), state: crdt.merge(copy(crdt, b.state), o.state), txns: [...txns.values()] },
    covered: before.p.covered && covered,
  };
  describe(before);
  countOrigins(hold, before, 1);
  const listed = new Set(before.records);
  for (const t of before.p.object.txns) {
    const r = recordOf(hold, t, port);
    if (listed.has(r)) continue;
    listed.add(r);
    before.records.push(r);
    r.entries.add(before);
    if (r.missing > 0) before.incomplete++;
  }
  provided(hold, before, port);
  hold.dirty.add(before);
}

/** A dot entered collection `c`'s knowledge outside the hold (a plain delta, a local update). */
export function knownDot(hold: TxnHold, c: string, origin: string, seq: number): void {
  if (hold.entries.size === 0) return;
  const ms = hold.byDot.get(dotKey(c, origin, seq));
  if (ms) for (const m of ms) becomeKnown(hold, m);
}

/** Collection `c`'s knowledge was raised by a whole context (a sync answer's): the members it now holds become known. */
export function knowledgeRaised(hold: TxnHold, c: string, cc: CausalContext): void {
  for (const r of hold.records.values()) for (const m of r.members) if (m.state !== KNOWN && m.c === c && cc.has([m.origin, m.seq])) becomeKnown(hold, m);
}

/** The origins whose dots held updates of collection `c` may carry: the knowledge is not raised for them while they wait. */
export function heldOrigins(hold: TxnHold, c: string): Set<string> {
  return new Set(hold.origins.get(c)?.keys());
}

/**
 * The dots held updates carry, per collection (each not in the knowledge, or it would have been
 * applied): a held delta's dot, and the dots a held sync object's transactions list on its
 * object. What a replica reports as pending beside its digest, so a peer does not send them
 * again while they wait for the rest of their transactions (docs/design.md, "The node protocol").
 * A dot a held sync object joined outside its transactions (a plain update on the same object)
 * is not reported: the peer sends it again, as a plain object merged at once.
 */
export function heldDots(hold: TxnHold): Map<string, CausalContext> {
  const out = new Map<string, CausalContext>();
  const add = (c: string, origin: string, seq: number) => {
    let cc = out.get(c);
    if (!cc) out.set(c, (cc = new CausalContext()));
    cc.add([origin, seq]);
  };
  for (const e of hold.entries.values()) {
    if (e.p.kind === "delta") {
      add(e.c, e.p.msg.origin, e.p.msg.seq);
      continue;
    }
    const o = e.p.object;
    for (const t of o.txns) for (const m of t.members) if (m.collection === e.c && m.id === o.id) add(e.c, t.origin, m.seq);
  }
  return out;
}

/**
 * Applies every held update whose transactions are whole (see the top of this file), in arrival
 * order, through the port. Returns the deltas applied (to pass on); sync objects applied count in
 * the knowledge only (their transactions' dots on the object).
 */
export function settle(hold: TxnHold, port: HoldPort): DeltaMessage[] {
  if (hold.entries.size === 0 || hold.dirty.size === 0) {
    hold.dirty.clear();
    return [];
  }
  // The candidates: ready updates that changed, and the ready ones depending on them.
  const set = new Set<Entry>();
  const stack: Entry[] = [];
  for (const e of hold.dirty) if (e.incomplete === 0 && hold.entries.get(e.key) === e) stack.push(e);
  hold.dirty.clear();
  const seen = new Set<TxnRecord>();
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (set.has(e)) continue;
    set.add(e);
    const named = e.p.kind === "delta" ? hold.byDot.get(dotKey(e.c, e.p.msg.origin, e.p.msg.seq)) : hold.byObject.get(e.obj);
    if (!named) continue;
    for (const m of named) {
      if (seen.has(m.rec)) continue;
      seen.add(m.rec);
      for (const f of m.rec.entries) if (f.incomplete === 0 && !set.has(f)) stack.push(f);
    }
  }
  // The fixed point over them, per transaction: a transaction lacking a dot (not known, no
  // provider left in the set) takes every update listing it out of the set, and the
  // transactions those updates provided dots of are checked again.
  const known = new Map<string, CausalContext | undefined>();
  const knows = (m: Member): boolean => {
    if (!known.has(m.c)) known.set(m.c, port.knowledge(m.c));
    return known.get(m.c)?.has([m.origin, m.seq]) ?? false;
  };
  const users = new Map<Entry, TxnRecord[]>();
  const use = (provider: Entry, r: TxnRecord) => {
    const list = users.get(provider);
    if (list) list.push(r);
    else users.set(provider, [r]);
  };
  const whole = (r: TxnRecord): boolean => {
    for (const m of r.members) {
      if (knows(m)) continue;
      const d = hold.entries.get(m.deltaKey);
      if (d && set.has(d)) {
        use(d, r);
        continue;
      }
      const s = hold.entries.get(m.objectKey);
      if (s && set.has(s) && providesDot(s, m)) {
        use(s, r);
        continue;
      }
      return false;
    }
    return true;
  };
  const records = new Set<TxnRecord>();
  for (const e of set) for (const r of e.records) records.add(r);
  const lacking: TxnRecord[] = [];
  for (const r of records) if (!whole(r)) lacking.push(r);
  const out = new Set<TxnRecord>(lacking);
  while (lacking.length > 0) {
    const r = lacking.pop()!;
    for (const e of r.entries) {
      if (!set.delete(e)) continue;
      for (const q of users.get(e) ?? [])
        if (!out.has(q) && !whole(q)) {
          out.add(q);
          lacking.push(q);
        }
    }
  }
  if (set.size === 0) return [];
  const live = [...set].sort((a, b) => a.order - b.order);
  for (const e of live) removeEntry(hold, e);
  const applied: DeltaMessage[] = [];
  for (const e of live) {
    const p = e.p;
    if (p.kind === "delta") {
      const cc = port.knowledge(p.msg.collection) ?? new CausalContext();
      if (cc.has([p.msg.origin, p.msg.seq])) continue;
      port.applyDelta(p.msg, cc);
      applied.push(p.msg);
      continue;
    }
    const { collection: c, object: o } = p;
    port.mergeObject(c, o, p.covered);
    // The transactions' own dots are now known; the rest of what the object joined is left to the part's knowledge (or the next digest).
    const cc = port.knowledge(c) ?? new CausalContext();
    let last: TxnMeta | undefined;
    let top = 0;
    for (const t of o.txns)
      for (const m of t.members)
        if (m.collection === c && m.id === o.id) {
          cc.add([t.origin, m.seq]);
          if (m.seq >= top) [last, top] = [t, m.seq];
        }
    port.putKnowledge(c, cc);
    if (last) port.putTxn(c, o.id, last);
  }
  // The dots applied are known now; a member a sync object provided only through its vector may be missing again.
  for (const e of live) {
    if (hold.entries.size === 0) break;
    if (e.p.kind === "delta") {
      knownDot(hold, e.c, e.p.msg.origin, e.p.msg.seq);
      continue;
    }
    for (const t of e.p.object.txns) for (const m of t.members) if (m.collection === e.c && m.id === e.p.object.id) knownDot(hold, e.c, t.origin, m.seq);
    for (const m of hold.byObject.get(e.obj) ?? []) if (m.state === PROVIDED && stateOf(hold, m, port) === MISSING) becomeMissing(hold, m);
  }
  return applied;
}

// ---- internals ----------------------------------------------------------------------------

function newEntry(hold: TxnHold, key: string, p: Prepared, c: string, id: string): Entry {
  const e: Entry = { key, order: hold.arrivals++, p, c, obj: objKey(c, id), provides: new Set(), records: [], incomplete: 0, origins: [] };
  describe(e);
  return e;
}

/** Sets what an entry provides and the origins it carries from its content. */
function describe(e: Entry): void {
  e.provides.clear();
  if (e.p.kind === "delta") {
    e.origins = [e.p.msg.origin];
    return;
  }
  const o = e.p.object;
  for (const t of o.txns) for (const m of t.members) if (m.collection === e.c && m.id === o.id) e.provides.add(dotKey(e.c, t.origin, m.seq));
  e.origins = [...o.vv.replicaIds()];
}

function addEntry(hold: TxnHold, e: Entry, port: HoldPort): void {
  hold.entries.set(e.key, e);
  countOrigins(hold, e, 1);
  const txns = e.p.kind === "delta" ? [e.p.msg.txn] : e.p.object.txns;
  for (const t of txns) {
    const r = recordOf(hold, t, port);
    if (r.entries.has(e)) continue;
    r.entries.add(e);
    e.records.push(r);
    if (r.missing > 0) e.incomplete++;
  }
  provided(hold, e, port);
  hold.dirty.add(e);
}

function removeEntry(hold: TxnHold, e: Entry): void {
  hold.entries.delete(e.key);
  hold.dirty.delete(e);
  countOrigins(hold, e, -1);
  for (const r of e.records) {
    r.entries.delete(e);
    if (r.entries.size > 0) continue;
    hold.records.delete(r.key);
    for (const m of r.members) {
      unindex(hold.byObject, m.obj, m);
      unindex(hold.byDot, m.dot, m);
    }
  }
}

function countOrigins(hold: TxnHold, e: Entry, by: 1 | -1): void {
  let counts = hold.origins.get(e.c);
  if (!counts) hold.origins.set(e.c, (counts = new Map()));
  for (const r of e.origins) {
    const n = (counts.get(r) ?? 0) + by;
    if (n > 0) counts.set(r, n);
    else counts.delete(r);
  }
  if (counts.size === 0) hold.origins.delete(e.c);
}

/** A transaction's record (made with its members' states when first listed). */
function recordOf(hold: TxnHold, t: TxnMeta, port: HoldPort): TxnRecord {
  // One record per transaction; metadata differing from the record's under the same name (a
  // peer's bug) gets a record of its own, so every update is judged by its own metadata.
  let key = txnKey(t);
  for (let n = 1; ; n++) {
    const have = hold.records.get(key);
    if (!have) break;
    if (sameTxn(have.meta, t)) return have;
    key = `${txnKey(t)}\u0000${n}`;
  }
  const r: TxnRecord = { key, meta: t, members: [], missing: 0, entries: new Set() };
  for (const m of t.members) {
    const member: Member = {
      rec: r,
      c: m.collection,
      id: m.id,
      origin: t.origin,
      seq: m.seq,
      dot: dotKey(m.collection, t.origin, m.seq),
      obj: objKey(m.collection, m.id),
      deltaKey: `d\u0000${m.collection}\u0000${t.origin}\u0000${m.seq}`,
      objectKey: `s\u0000${m.collection}\u0000${m.id}`,
      state: MISSING,
    };
    member.state = stateOf(hold, member, port);
    if (member.state === MISSING) r.missing++;
    r.members.push(member);
    index(hold.byObject, member.obj, member);
    index(hold.byDot, member.dot, member);
  }
  hold.records.set(key, r);
  return r;
}

/** A held entry (new, or a sync object grown by a join) may provide missing members on its object. */
function provided(hold: TxnHold, e: Entry, port: HoldPort): void {
  const named = e.p.kind === "delta" ? hold.byDot.get(dotKey(e.c, e.p.msg.origin, e.p.msg.seq)) : hold.byObject.get(e.obj);
  if (!named) return;
  for (const m of named) {
    if (m.state !== MISSING) continue;
    const s = stateOf(hold, m, port);
    if (s === MISSING) continue;
    m.state = s;
    found(hold, m.rec);
  }
}

function stateOf(hold: TxnHold, m: Member, port: HoldPort): number {
  if (port.knowledge(m.c)?.has([m.origin, m.seq])) return KNOWN;
  if (hold.entries.has(m.deltaKey)) return PROVIDED;
  const s = hold.entries.get(m.objectKey);
  return s && providesDot(s, m) ? PROVIDED : MISSING;
}

/** Whether a held sync object provides a member's dot: its transactions list it, or it was sent whole with a vector covering it. */
function providesDot(s: Entry, m: Member): boolean {
  if (s.p.kind !== "sync") return false;
  return s.provides.has(m.dot) || (s.p.object.full && s.p.object.vv.get(m.origin) >= m.seq);
}

function becomeKnown(hold: TxnHold, m: Member): void {
  const was = m.state;
  if (was === KNOWN) return;
  m.state = KNOWN;
  if (was === MISSING) found(hold, m.rec);
  // Known where a provider was counted: an update waiting on a provider that is not whole may be whole now.
  else for (const e of m.rec.entries) if (e.incomplete === 0) hold.dirty.add(e);
}

/** A member of `r` stopped missing. */
function found(hold: TxnHold, r: TxnRecord): void {
  if (--r.missing > 0) return;
  for (const e of r.entries) if (--e.incomplete === 0) hold.dirty.add(e);
}

function becomeMissing(hold: TxnHold, m: Member): void {
  m.state = MISSING;
  if (m.rec.missing++ > 0) return;
  for (const e of m.rec.entries) e.incomplete++;
}

function index(map: Map<string, Set<Member>>, key: string, m: Member): void {
  const set = map.get(key);
  if (set) set.add(m);
  else map.set(key, new Set([m]));
}

function unindex(map: Map<string, Set<Member>>, key: string, m: Member): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(m);
  if (set.size === 0) map.delete(key);
}

function dotKey(c: string, origin: string, seq: number): string {
  return `${c}\u0000${origin}\u0000${seq}`;
}

function objKey(c: string, id: string): string {
  return `${c}\u0000${id}`;
}
