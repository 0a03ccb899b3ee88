/**
 * Reading the canonical trace (sim/run-types.ts, written by sim/engine/trace.ts) into typed
 * events. The views only read: an unknown event type is kept (as `Other`) and shown nowhere
 * rather than rejected, so a newer engine's trace still draws in an older viewer.
 */
import type { TraceEvent } from "../sim/run-types.ts";

/** A version vector as printed by the engine: contiguous prefix per origin, gaps under "+". */
export type VV = { [origin: string]: number | { [origin: string]: number[] } };

export type Meta = { t: 0; type: "meta"; scenario?: string; seed?: number; crdt?: string; nodes?: string[] } & TraceEvent;
export type UpdateEv = { t: number; type: "update"; node: string; op: string; args: unknown[]; id: [string, number]; vv: VV; value: unknown };
export type SendEv = { t: number; type: "send"; msg: number; from: string; to: string; kind: string; bytes: number };
export type DeliverEv = { t: number; type: "deliver"; msg: number; to: string; from: string; vv: VV; value: unknown };
export type DropEv = { t: number; type: "drop"; msg: number; reason: string };
export type DuplicateEv = { t: number; type: "duplicate"; msg: number; of: number };
export type HoldEv = { t: number; type: "hold" | "release"; msg: number };
/** A restart also carries what was recovered from durable storage (traces since the disk). */
export type NodeEv = { t: number; type: "crash" | "restart" | "pause" | "resume"; node: string; vv?: VV; value?: unknown };
/** A write became durable (acknowledged) at its node's group commit. */
export type AckEv = { t: number; type: "ack"; node: string; id: [string, number] };
/** A crash lost writes not yet synced (never acknowledged, never sent). */
export type LostEv = { t: number; type: "unsynced-lost"; node: string; records: number; updates: [string, number][] };
/** Op mode: a delivered message's ops were (partly) buffered until causally ready. */
export type BufferEv = { t: number; type: "buffer"; msg: number; to: string; ops: number; buffered: number };
export type JumpEv = { t: number; type: "clock-jump"; node: string; by: number };
/** partition / cut / heal / converged and anything newer: drawn from whatever fields they carry. */
export type Other = TraceEvent;

export type Event = UpdateEv | SendEv | DeliverEv | DropEv | DuplicateEv | HoldEv | NodeEv | JumpEv | AckEv | LostEv | BufferEv | Other;

export type ParsedTrace = { meta: Meta | null; events: Event[] };

/** Parses trace lines (or a whole trace.jsonl text); a malformed line is an error naming its number. */
export function parseTrace(input: string | readonly string[]): ParsedTrace {
  const lines = typeof input === "string" ? input.split("\n") : input;
  const events: Event[] = [];
  let meta: Meta | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch (err) {
      throw new Error(`trace line ${i + 1}: not JSON (${(err as Error).message})`);
    }
    if (typeof e !== "object" || e === null || typeof (e as Event).type !== "string" || typeof (e as Event).t !== "number")
      throw new Error(`trace line ${i + 1}: expected an object with "t" and "type"`);
    if ((e as Event).type === "meta") meta = e as Meta;
    else events.push(e as Event);
  }
  return { meta, events };
}

/** Narrowing helper: the views switch on `type` and read the fields of that event shape. */
export function is<T extends Event["type"]>(e: Event, type: T): e is Extract<Event, { type: T }> {
  return e.type === type;
}
