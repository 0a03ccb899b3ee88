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
    const e = parseLine(lines[i]!, i + 1);
    if (e === null) continue;
    if (e.type === "meta") meta = e as Meta;
    else events.push(e);
  }
  return { meta, events };
}

/** One canonical line as an event (null for a blank one); `n` is its number, for the error. */
function parseLine(line: string, n: number): Event | null {
  if (line.trim() === "") return null;
  let e: unknown;
  try {
    e = JSON.parse(line);
  } catch (err) {
    throw new Error(`trace line ${n}: not JSON (${(err as Error).message})`);
  }
  if (typeof e !== "object" || e === null || typeof (e as Event).type !== "string" || typeof (e as Event).t !== "number")
    throw new Error(`trace line ${n}: expected an object with "t" and "type"`);
  return e as Event;
}

/** Narrowing helper: the views switch on `type` and read the fields of that event shape. */
export function is<T extends Event["type"]>(e: Event, type: T): e is Extract<Event, { type: T }> {
  return e.type === type;
}

/**
 * The most events a timeline draws. The layout holds a few numbers per event (the texts as
 * splices: layout/text-table.ts) and the page carries them packed (render/pack.ts); a longer run
 * gets its summary views (report.md, junit.xml) and no timeline.
 */
export const TIMELINE_MAX_EVENTS = 4_000_000;

/** A trace file whose last line is cut off: the run was stopped while writing it. */
export class TornTraceError extends Error {
  override name = "TornTraceError";
  constructor(readonly events: number) {
    super(`cut off after ${events.toLocaleString("en-US")} events (the run was stopped while writing it)`);
  }
}

/** A trace whose events are read as they are laid out, once: a long run's events are never all held. */
export type StreamedTrace = { meta: Meta | null; events: Iterable<Event> };

/**
 * A trace file (either format version) for a timeline, streamed: its meta line read first, its
 * events parsed one at a time as the layout asks for them. Too long a file (more than
 * TIMELINE_MAX_EVENTS lines) gives `over` without being read. A malformed line, or a last line
 * cut off (a run stopped while writing it), throws when the stream reaches it: the layout is
 * abandoned, nothing is written. A line the format does not allow throws TraceFormatError.
 */
export function streamTraceFile(file: string): StreamedTrace | { over: number } {
  // Counted first, so a long run is refused before any of it is read (a header and a trailer besides the events).
  if (countLines(file) > TIMELINE_MAX_EVENTS + 2) return { over: TIMELINE_MAX_EVENTS };
  const info: TraceFileInfo = { version: 1, lines: 0, whole: false };
  const lines = traceFileLines(file, info);
  let first: Event | null = null;
  let meta: Meta | null = null;
  // Read by hand: leaving a for…of early would close the generator the events go on from.
  for (let r = lines.next(); !r.done; r = lines.next()) {
    first = parseLine(r.value, info.lines);
    if (first !== null) break;
  }
  if (first?.type === "meta") {
    meta = first as Meta;
    first = null;
  }
  // The lanes come from the meta line's nodes; a hand-cut trace without them is read once more for its names.
  if (meta && !Array.isArray(meta.nodes)) meta = { ...meta, nodes: namesIn(file) };
  else if (!meta) meta = { t: 0, type: "meta", nodes: namesIn(file) } as unknown as Meta;
  function* events(): Generator<Event> {
    if (first !== null) yield first;
    for (let r = lines.next(); !r.done; r = lines.next()) {
      const e = parseLine(r.value, info.lines);
      if (e !== null && e.type !== "meta") yield e;
    }
    if (info.torn !== undefined) throw new TornTraceError(info.lines);
  }
  return { meta, events: events() };
}

/** Node names in order of first mention (a trace without a meta line naming them). */
function namesIn(file: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  let n = 0;
  for (const l of traceFileLines(file)) {
    const e = parseLine(l, ++n) as (Event & { node?: unknown; from?: unknown; to?: unknown }) | null;
    if (e === null) continue;
    for (const x of [e.node, e.from, e.to])
      if (typeof x === "string" && !seen.has(x)) {
        seen.add(x);
        names.push(x);
      }
  }
  return names;
}
