/**
 * Which register writes a node's answers name: the write an update's acknowledgement carries in
 * its delta, and the writes a final state shows. A node sends these as its type's own encoding
 * (base64); here they become RegisterWrite records (history.ts) that the no-lost-writes check
 * compares: an MV-Register entry is known by its dot, an LWW write by its timestamp and writer.
 */
import { canonicalKey, compareLwwWrites, type Crdt, type Json, type Dot, type LwwRegisterState } from "../core/index.ts";

/** What the history reads of an MV-Register state (core keeps it in a dot kernel): its values and each one's dots. */
type MvEntries = { values(): Json[]; dotsOf(key: string): readonly Dot[] };
import type { ObjectState, WriteAck } from "../node/index.ts";
import type { AckRecord, RegisterWrite, StateRecord } from "./history.ts";

export type RegisterKind = "lww" | "mv";

export function registerKind(crdtName: string): RegisterKind | undefined {
  return crdtName === "lww-register" ? "lww" : crdtName === "mv-register" ? "mv" : undefined;
}

function decode(crdt: Crdt, base64: string): unknown {
  const codec = crdt.kind === "state" ? crdt.codec : undefined;
  if (!codec) throw new Error(`cluster: ${crdt.name} has no codec to read a node's state with`);
  return codec.decode(new Uint8Array(Buffer.from(base64, "base64")));
}

/** The writes a register state (or delta) holds: each MV entry's dots, or the LWW write (none before the first). */
export function writesOf(kind: RegisterKind, state: unknown): RegisterWrite[] {
  if (kind === "lww") {
    const w = (state as LwwRegisterState).write;
    return w === null ? [] : [{ value: w.value, ts: { l: w.ts.l, c: w.ts.c }, writer: w.writer }];
  }
  const k = state as MvEntries;
  return k.values().flatMap((value) => k.dotsOf(canonicalKey(value)!).map(([r, c]) => ({ value, dot: [r, c] as [string, number] })));
}

/** An update's acknowledgement as the history keeps it; `kind` set: the register write its delta made (null when it made none). */
export function ackRecord(ack: WriteAck, kind: RegisterKind | undefined, crdt: Crdt): AckRecord {
  const out: AckRecord = { dot: [ack.origin, ack.seq], known: ack.known };
  if (kind && ack.delta !== undefined) out.write = writesOf(kind, decode(crdt, ack.delta))[0] ?? null;
  return out;
}

/** A node's register state as the history keeps it, and the value it shows (`empty` when the node holds none). */
export function stateRecord(s: ObjectState, kind: RegisterKind, crdt: Crdt, empty: unknown): { value: unknown; record: StateRecord } {
  if (s.state === null) return { value: empty, record: { present: [], known: s.known } };
  const state = decode(crdt, s.state);
  return { value: crdt.value(state as never), record: { present: writesOf(kind, state), known: s.known } };
}

/** Whether two records name the same write (the same dot or timestamp and writer, and the same value). */
export function sameWrite(a: RegisterWrite, b: RegisterWrite): boolean {
  if (canonicalKey(a.value) !== canonicalKey(b.value)) return false;
  if (a.dot || b.dot) return a.dot?.[0] === b.dot?.[0] && a.dot?.[1] === b.dot?.[1];
  return a.writer === b.writer && a.ts?.l === b.ts?.l && a.ts?.c === b.ts?.c;
}

/** LWW's order on writes (core's compareWrites: timestamp, then writer, then value): > 0 when `a` beats `b`. */
export function compareLww(a: RegisterWrite, b: RegisterWrite): number {
  return compareLwwWrites({ value: a.value as Json, ts: a.ts!, writer: a.writer! }, { value: b.value as Json, ts: b.ts!, writer: b.writer! });
}
