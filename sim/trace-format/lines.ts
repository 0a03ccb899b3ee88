/**
 * The canonical trace lines of the per-message events (sim/run-types.ts's TraceEvent as one JSON
 * line each, key order fixed): the engine writes them (sim/engine/trace.ts, through a sink) and
 * the compact file's decoder (decode.ts) rebuilds them from its records, byte for byte, with
 * these same functions. `node`, `to`, `from` are node names already quoted as JSON strings; `vv`
 * and `value` are JSON texts.
 */
import type { DropReason } from "../run-types.ts";

/** Message kind names by MsgKind number (sim/engine/event.ts). */
export const KIND_NAME = ["delta", "state", "ae", "op", "ops", "digest"] as const;
/** Drop reasons by their code in the compact file (and the traceHash's words). */
export const DROP_REASONS: readonly DropReason[] = ["loss", "partition", "crash", "dedup", "step"];

export const updateLine = (t: number, node: string, op: string, argsJson: string, seq: number, vv: string, value: string): string =>
  `{"t":${t},"type":"update","node":${node},"op":${JSON.stringify(op)},"args":${argsJson},"id":[${node},${seq}],"vv":${vv},"value":${value}}`;

export const sendLine = (t: number, msg: number, from: string, to: string, kind: string, bytes: number): string =>
  `{"t":${t},"type":"send","msg":${msg},"from":${from},"to":${to},"kind":"${kind}","bytes":${bytes}}`;

export const deliverLine = (t: number, msg: number, to: string, from: string, vv: string, value: string): string =>
  `{"t":${t},"type":"deliver","msg":${msg},"to":${to},"from":${from},"vv":${vv},"value":${value}}`;

export const dropLine = (t: number, msg: number, reason: DropReason): string => `{"t":${t},"type":"drop","msg":${msg},"reason":"${reason}"}`;

export const duplicateLine = (t: number, msg: number, of: number): string => `{"t":${t},"type":"duplicate","msg":${msg},"of":${of}}`;

export const holdLine = (t: number, msg: number, release: boolean): string => `{"t":${t},"type":"${release ? "release" : "hold"}","msg":${msg}}`;
