/**
 * The timeline model: what the layout computes from a run and every view draws from (the
 * static SVG, the d3 page, the gallery thumbnail). Columnar plain arrays rather than one object
 * per event, because the page embeds it as JSON and must stay small and fast at 100,000 events.
 *
 * Positions are in data coordinates — time (virtual ms) on x, lane index on y — so one model
 * serves every zoom level; `geometry.ts` maps them to pixels.
 */
import type { CheckResult, RunStats } from "../../sim/run-types.ts";
import type { TextTable } from "./text-table.ts";

/** Event kinds (the `kind` column). A receive that taught the replica nothing is not a merge. */
export const K = {
  update: 0,
  send: 1,
  receive: 2,
  merge: 3,
  crash: 4,
  restart: 5,
  pause: 6,
  resume: 7,
  jump: 8,
  /** A write became durable: acknowledged (storage sync lag). */
  ack: 9,
  /** A crash lost unsynced (never acknowledged) writes. */
  lost: 10,
  /** Op mode: a message whose ops arrived before their causal past and wait in the buffer. */
  buffered: 11,
  /** A service's local event (sim/services: a sequencer request or answer, a transaction's begin or outcome). */
  service: 12,
  /** A service answer that worked: an invoice number, a commit, a read's values. */
  serviceOk: 13,
  /** A service failure: a request timed out (unavailable), a transaction abandoned, a fractured read. */
  serviceFail: 14,
} as const;
export type Kind = (typeof K)[keyof typeof K];
export const KIND_NAMES = [
  "update",
  "send",
  "receive",
  "merge",
  "crash",
  "restart",
  "pause",
  "resume",
  "clock jump",
  "ack",
  "unsynced lost",
  "buffered",
  "service request",
  "service answer",
  "service failure",
] as const;

/** Arrow status (the `st` column): how the message fared. */
export const A = { delivered: 0, dropped: 1, duplicate: 2, held: 3, inflight: 4 } as const;
export type ArrowStatus = (typeof A)[keyof typeof A];
export const ARROW_NAMES = ["delivered", "dropped", "duplicate", "held", "never delivered"] as const;

/**
 * A node's lane. `label` says how its clock lies at the start; `clockChanges`, when its clock is
 * stepped during the run (a clock jump, a new skew), the label from each such instant on.
 */
export type Lane = { name: string; skewMs: number; driftPpm: number; label: string; clockChanges?: { t: number; label: string }[] };

/** A shaded interval: a partition or cut (lane -1: across all lanes), a crash or pause (one lane). */
export type Band = { kind: "partition" | "cut" | "crash" | "pause"; lane: number; from: number; to: number; label: string };

/** A moment on the time axis: when replicas converged, or first diverged, or that they never did. */
export type Flag = {
  kind: "converged" | "diverged" | "not-converged" | "anomaly";
  t: number;
  label: string;
  /** anomaly: the lane of the node where the check's first offending event happened. */
  lane?: number;
  /** anomaly, diverged, not-converged: the scenario expects it (shown on purpose), not a failure. */
  caught?: boolean;
};

export type Events = {
  t: number[];
  lane: number[];
  kind: Kind[];
  /** Id in `texts.vv` (equal ids, equal texts): the replica's version vector after the event (carried over for sends; for a restart, what it recovered). */
  vv: number[];
  /** Id in `texts.val`: the replica's value (JSON) after the event; -1 when unknown (crashed). */
  val: number[];
  /** Index into `strs`: what happened, e.g. `add("x")`, `delta #4 → bob (24 B)`. */
  info: number[];
  /** For a receive/merge: the index of the send event it came from; else -1. Causal edges. */
  src: number[];
  /** Message id for a send, receive or merge; else -1. */
  msg: number[];
};

export type Arrows = {
  /** Send event index. */
  s: number[];
  /** Deliver event index, or -1 (dropped, never delivered). */
  d: number[];
  /** End time: the delivery, the drop, or the end of the run. */
  t: number[];
  /** Destination lane. */
  to: number[];
  st: ArrowStatus[];
  /** When the message was held by a partition (-1: never). */
  h: number[];
  /** Message kind (delta, state, ae) as an index into `strs`. */
  mk: number[];
};

export type Model = {
  scenario: string;
  description: string;
  seed: number;
  crdt: string;
  ok: boolean;
  traceHash: string;
  checks: CheckResult[];
  stats: RunStats | null;
  lanes: Lane[];
  /** Time range covered (virtual ms). */
  t0: number;
  t1: number;
  ev: Events;
  arrows: Arrows;
  bands: Band[];
  flags: Flag[];
  /** Short labels written beside service marks on the diagram ("#3", "unavailable"): event index → index into `strs`. */
  tags: { ev: number[]; s: number[] };
  /** Clock jumps are lane events (kind `jump`); this table of strings is shared by all columns but vv and val. */
  strs: string[];
  /** The replicas' version vectors and values, each distinct text once, as splices (text-table.ts; read with textOf). */
  texts: { vv: TextTable; val: TextTable };
};
