/**
 * Reading the canonical trace (sim/run-types.ts, written by sim/engine/trace.ts) into typed
 * events. The views only read: an unknown event type is kept (as `Other`) and shown nowhere
 * rather than rejected, so a newer engine's trace still draws in an older viewer.
 */
import type { MetaEvent as Meta, TraceEvent } from "../sim/run-types.ts";
import { countLines, traceFileLines, type TraceFileInfo } from "../sim/trace-format/file.ts";

// The event types are the engine's (sim/run-types.ts), under the views' short names.
export type {
  VV,
  MetaEvent as Meta,
  UpdateEvent as UpdateEv,
  SendEvent as SendEv,
  DeliverEvent as DeliverEv,
  DropEvent as DropEv,
  DuplicateEvent as DuplicateEv,
  HoldEvent as HoldEv,
  NodeEvent as NodeEv,
  AckEvent as AckEv,
  LostEvent as LostEv,
  BufferEvent as BufferEv,
  ClockJumpEvent as JumpEv,
} from "../sim/run-types.ts";
/** An event type this viewer does not know (a newer engine's): kept, drawn from whatever fields it carries. */
export type Other = { t: number; type: string; [field: string]: unknown };

export type Event = TraceEvent | Other;

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

/**
 * The most events a timeline draws: the page and its layout hold every event in memory, so a
 * longer run gets its summary views (report.md, junit.xml) and no timeline.
 */
export const TIMELINE_MAX_EVENTS = 200_000;

/**
 * A trace file's canonical lines for a timeline (either format version), or why there are none:
 * more events than TIMELINE_MAX_EVENTS (read no further), or a file whose last line is cut off
 * (a run stopped while writing it). A line the format does not allow throws TraceFormatError.
 */
export function timelineLines(file: string): { lines: string[] } | { over: number } | { torn: number } {
  // Counted first, so a long run's lines are never held only to be dropped (a header and a trailer besides the events).
  if (countLines(file) > TIMELINE_MAX_EVENTS + 2) return { over: TIMELINE_MAX_EVENTS };
  const info: TraceFileInfo = { version: 1, lines: 0, whole: false };
  const lines: string[] = [];
  for (const l of traceFileLines(file, info)) {
    if (lines.length === TIMELINE_MAX_EVENTS) return { over: TIMELINE_MAX_EVENTS };
    lines.push(l);
  }
  if (info.torn !== undefined) return { torn: lines.length };
  return { lines };
}
