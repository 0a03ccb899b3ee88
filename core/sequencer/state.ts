/**
 * The sequencer's durable state and how records rebuild it. Kept apart from the message handler
 * so that recovery (snapshot + log replay) and live operation share one `applyRecord`: what a
 * restart rebuilds is by construction what the live sequencer had made durable.
 */

/** One assignment, the unit written to the log before it is acknowledged. */
export type SeqRecord = { name: string; n: number; client: string; requestId: number; done: number };

/** Per client: requests below `floor` are finished and forgotten; `entries` answer retries. */
export type ClientTable = { floor: number; entries: Map<number, { name: string; n: number }> };

export type SeqState = { counters: Map<string, number>; clients: Map<string, ClientTable> };

/** JSON form of SeqState, what a snapshot stores. */
export type SeqSnapshot = {
  counters: [string, number][];
  clients: [string, { floor: number; entries: [number, string, number][] }][];
};

export const emptyState = (): SeqState => ({ counters: new Map(), clients: new Map() });

export function clientTable(s: SeqState, client: string): ClientTable {
  let t = s.clients.get(client);
  if (t === undefined) s.clients.set(client, (t = { floor: 0, entries: new Map() }));
  return t;
}

/** Raises a client's floor and forgets the requests below it (the client is done with them). */
export function advanceFloor(t: ClientTable, done: number): void {
  if (done <= t.floor) return;
  t.floor = done;
  for (const id of t.entries.keys()) if (id < done) t.entries.delete(id);
}

/** Applies one assignment. Idempotent and order-insensitive for counters (max), so replay is safe. */
export function applyRecord(s: SeqState, r: SeqRecord): void {
  s.counters.set(r.name, Math.max(s.counters.get(r.name) ?? 0, r.n));
  const t = clientTable(s, r.client);
  advanceFloor(t, r.done);
  if (r.requestId >= t.floor) t.entries.set(r.requestId, { name: r.name, n: r.n });
}

export function toSnapshot(s: SeqState): SeqSnapshot {
  return {
    counters: [...s.counters],
    clients: [...s.clients].map(([c, t]) => [c, { floor: t.floor, entries: [...t.entries].map(([id, e]) => [id, e.name, e.n] as [number, string, number]) }]),
  };
}

export function fromSnapshot(snap: SeqSnapshot | undefined): SeqState {
  const s = emptyState();
  if (snap === undefined) return s;
  for (const [name, n] of snap.counters) s.counters.set(name, n);
  for (const [c, t] of snap.clients) s.clients.set(c, { floor: t.floor, entries: new Map(t.entries.map(([id, name, n]) => [id, { name, n }])) });
  return s;
}
