/**
 * RAMP wire messages (plain JSON) and their validators.
 *
 * Client → server: `ramp.prepare` (install versions, not yet visible), `ramp.commit` (make them
 * the latest committed), `ramp.put` (naive mode: install and commit at once, no prepare) and
 * `ramp.get` (per key: the latest committed version, or with `ts` the exact version).
 * Server → client: `ramp.prepared`, `ramp.committed` (also answers a put) and `ramp.values`.
 * Every message names its sender (`client` / `server`) so a handler needs no envelope.
 */
import { type Json, jsonProblem } from "../util/json.ts";
import { RampError } from "./errors.ts";
import type { Ts } from "./timestamp.ts";

/** A version of one key: its value, its transaction's timestamp and every key that transaction wrote. */
export type Version = { key: string; value: Json; ts: Ts; keys: string[] };
export type Write = { key: string; value: Json };
export type ReadItem = { key: string; ts: Ts | null };

export type Prepare = { type: "ramp.prepare"; client: string; ts: Ts; writes: Write[]; keys: string[] };
export type Commit = { type: "ramp.commit"; client: string; ts: Ts; keys: string[] };
export type Put = { type: "ramp.put"; client: string; ts: Ts; writes: Write[]; keys: string[] };
export type Get = { type: "ramp.get"; client: string; read: number; attempt: number; reads: ReadItem[] };
export type Prepared = { type: "ramp.prepared"; server: string; ts: Ts };
export type Committed = { type: "ramp.committed"; server: string; ts: Ts };
/** `missing` answers a get-by-timestamp whose version was garbage-collected. */
export type Values = { type: "ramp.values"; server: string; read: number; attempt: number; versions: (Version | { key: string; missing: Ts })[] };

export type ServerRequest = Prepare | Commit | Put | Get;
export type ServerReply = Prepared | Committed | Values;
export type RampMessage = ServerRequest | ServerReply;
export type Outgoing = { to: string; msg: RampMessage };

export const MAX_KEY_LENGTH = 256;

type Obj = Record<string, unknown>;

function fail(what: string, reason: string): never {
  throw new RampError(`malformed ${what}: ${reason}`);
}

function obj(x: unknown, what: string): Obj {
  if (x === null || typeof x !== "object" || Array.isArray(x)) fail(what, "not an object");
  return x as Obj;
}

function fields(o: Obj, allowed: string[], what: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(what, `unknown field "${k}"`);
}

function str(v: unknown, field: string, what: string): string {
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_KEY_LENGTH)
    fail(what, `${field} must be a non-empty string of at most ${MAX_KEY_LENGTH} characters, got ${JSON.stringify(v)}`);
  return v;
}

function nat(v: unknown, field: string, what: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) fail(what, `${field} must be a safe integer >= 0, got ${JSON.stringify(v)}`);
  return v as number;
}

export function parseTs(v: unknown, field: string, what: string): Ts {
  const o = obj(v, `${what} ${field}`);
  fields(o, ["t", "c"], `${what} ${field}`);
  const t = nat(o.t, `${field}.t`, what);
  if (typeof o.c !== "string" || o.c.length > MAX_KEY_LENGTH) fail(what, `${field}.c must be a string, got ${JSON.stringify(o.c)}`);
  if ((t === 0) !== (o.c === "")) fail(what, `${field} must be the initial timestamp {t:0,c:""} or have t > 0 and a client id`);
  return { t, c: o.c };
}

function keyList(v: unknown, field: string, what: string): string[] {
  if (!Array.isArray(v)) fail(what, `${field} must be an array of keys`);
  const keys = v.map((k, i) => str(k, `${field}[${i}]`, what));
  if (new Set(keys).size !== keys.length) fail(what, `${field} has a duplicate key`);
  return keys;
}

function value(v: unknown, field: string, what: string): Json {
  const p = jsonProblem(v);
  if (p !== undefined) fail(what, `${field} is not a JSON value: ${p}`);
  return v as Json;
}

/** Writes must be non-empty, distinct keys, every one listed in the transaction's `keys`. */
function writes(o: Obj, what: string): { writes: Write[]; keys: string[] } {
  const keys = keyList(o.keys, "keys", what);
  if (!Array.isArray(o.writes) || o.writes.length === 0) fail(what, "writes must be a non-empty array");
  const ws = o.writes.map((w, i) => {
    const wo = obj(w, `${what} writes[${i}]`);
    fields(wo, ["key", "value"], `${what} writes[${i}]`);
    const key = str(wo.key, `writes[${i}].key`, what);
    if (!keys.includes(key)) fail(what, `writes[${i}].key "${key}" is not among the transaction's keys`);
    return { key, value: value(wo.value, `writes[${i}].value`, what) };
  });
  if (new Set(ws.map((w) => w.key)).size !== ws.length) fail(what, "writes has a duplicate key");
  return { writes: ws, keys };
}

function version(v: unknown, i: number, what: string): Version | { key: string; missing: Ts } {
  const o = obj(v, `${what} versions[${i}]`);
  const key = str(o.key, `versions[${i}].key`, what);
  if ("missing" in o) {
    fields(o, ["key", "missing"], what);
    return { key, missing: parseTs(o.missing, `versions[${i}].missing`, what) };
  }
  fields(o, ["key", "value", "ts", "keys"], `${what} versions[${i}]`);
  return { key, value: value(o.value, `versions[${i}].value`, what), ts: parseTs(o.ts, `versions[${i}].ts`, what), keys: keyList(o.keys, `versions[${i}].keys`, what) };
}

/** Validates a message a server receives; throws RampError naming the problem. */
export function parseServerRequest(x: unknown): ServerRequest {
  const o = obj(x, "RAMP request");
  const what = typeof o.type === "string" ? o.type : "RAMP request";
  switch (o.type) {
    case "ramp.prepare":
    case "ramp.put": {
      fields(o, ["type", "client", "ts", "writes", "keys"], what);
      const ts = parseTs(o.ts, "ts", what);
      if (ts.t === 0) fail(what, "ts must not be the initial timestamp");
      return { type: o.type, client: str(o.client, "client", what), ts, ...writes(o, what) };
    }
    case "ramp.commit": {
      fields(o, ["type", "client", "ts", "keys"], what);
      const ts = parseTs(o.ts, "ts", what);
      if (ts.t === 0) fail(what, "ts must not be the initial timestamp");
      const keys = keyList(o.keys, "keys", what);
      if (keys.length === 0) fail(what, "keys must not be empty");
      return { type: o.type, client: str(o.client, "client", what), ts, keys };
    }
    case "ramp.get": {
      fields(o, ["type", "client", "read", "attempt", "reads"], what);
      if (!Array.isArray(o.reads) || o.reads.length === 0) fail(what, "reads must be a non-empty array");
      const reads = o.reads.map((r, i) => {
        const ro = obj(r, `${what} reads[${i}]`);
        fields(ro, ["key", "ts"], `${what} reads[${i}]`);
        return { key: str(ro.key, `reads[${i}].key`, what), ts: ro.ts === null ? null : parseTs(ro.ts, `reads[${i}].ts`, what) };
      });
      return { type: o.type, client: str(o.client, "client", what), read: nat(o.read, "read", what), attempt: nat(o.attempt, "attempt", what), reads };
    }
    default:
      return fail("RAMP request", `unknown type ${JSON.stringify(o.type)}`);
  }
}

/** Validates a message a client receives; throws RampError naming the problem. */
export function parseServerReply(x: unknown): ServerReply {
  const o = obj(x, "RAMP reply");
  const what = typeof o.type === "string" ? o.type : "RAMP reply";
  switch (o.type) {
    case "ramp.prepared":
    case "ramp.committed":
      fields(o, ["type", "server", "ts"], what);
      return { type: o.type, server: str(o.server, "server", what), ts: parseTs(o.ts, "ts", what) };
    case "ramp.values": {
      fields(o, ["type", "server", "read", "attempt", "versions"], what);
      if (!Array.isArray(o.versions)) fail(what, "versions must be an array");
      const versions = o.versions.map((v, i) => version(v, i, what));
      return { type: o.type, server: str(o.server, "server", what), read: nat(o.read, "read", what), attempt: nat(o.attempt, "attempt", what), versions };
    }
    default:
      return fail("RAMP reply", `unknown type ${JSON.stringify(o.type)}`);
  }
}
