/**
 * connect(url): a remote node, with the same calls as an embedded one (api.ts). Each call is a
 * request frame; the node answers once the work is done (an update: once durable). A call whose
 * connection closes before the answer rejects with kind "unavailable".
 */
import { randomUUID } from "node:crypto";
import { WebSocket } from "ws";
import { DecodeError } from "../core/index.ts";
import { type NodeApi, RequestError, sqlAnswer } from "./api.ts";
import { NextIds } from "./next-ids.ts";
import { type Change, type ClientRequest, type ClientResponse, frameCodec, MAX_FRAME_BYTES } from "./protocol/index.ts";
import { objectKeysSchema, objectStateSchema, txnUpdatesSchema, writeAckSchema } from "./protocol/requests.ts";

/** Checked here rather than by the node, which closes a connection whose request does not parse: "bad-request", one line. */
function checked<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  v: unknown,
  what: string,
): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new RequestError("bad-request", `${what}${issue.path.length ? ` at ${issue.path.map(String).join(".")}` : ""}: ${issue.message}`);
}

export type Client = NodeApi & {
  readonly url: string;
  /** subscribe(), but resolves once the node accepted the watch and rejects when it refused it (an unknown collection). */
  watch(collection: string, fn: (change: Change) => void): Promise<void>;
  /** Resolves with the reason once the connection has closed (by either end). */
  readonly closed: Promise<string>;
};

/** Opens a connection to the node at `url`; rejects (a one-line message) if it cannot be reached. */
export async function connect(url: string, options: { timeoutMs?: number } = {}): Promise<Client> {
  const codec = frameCodec(undefined);
  let ws: WebSocket;
  try {
    ws = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: options.timeoutMs ?? 5000 });
  } catch (e) {
    throw new RequestError("bad-request", `not a WebSocket URL: ${JSON.stringify(url)} (${e instanceof Error ? e.message : String(e)})`);
  }
  ws.binaryType = "nodebuffer";
  await new Promise<void>((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", (e: NodeJS.ErrnoException) => reject(new RequestError("unavailable", `cannot reach ${url}: ${e.code ?? e.message}`)));
  });

  const waiting = new Map<number, (r: ClientResponse) => void>();
  const watchers = new Map<number, (c: Change) => void>();
  let nextRid = 1;
  let closedReason: string | undefined;
  let onClosed!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (onClosed = resolve));
  const ids = new NextIds(`client/${randomUUID()}`);

  ws.on("message", (data: Buffer) => {
    let frame;
    try {
      frame = codec.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return shut(`a malformed answer from ${url}: ${e.message}`);
    }
    if (frame.type === "response") waiting.get(frame.rid)?.(frame.body);
    else if (frame.type === "event") watchers.get(frame.rid)?.(frame.change);
    else if (frame.type === "refuse") shut(`refused by ${url}: ${frame.reason}`);
  });
  ws.on("error", () => {});
  ws.on("close", () => shut(`the connection to ${url} closed`));

  function shut(reason: string): void {
    closedReason ??= reason;
    onClosed(closedReason);
    if (ws.readyState === ws.OPEN) ws.close();
    for (const settle of waiting.values()) settle({ ok: false, kind: "unavailable", error: closedReason });
  }

  function request(body: ClientRequest, onEvent?: (c: Change) => void): Promise<unknown> {
    if (closedReason !== undefined) return Promise.reject(new RequestError("unavailable", closedReason));
    const rid = nextRid++;
    if (onEvent) watchers.set(rid, onEvent); // events may arrive before the watch's own answer
    return new Promise((resolve, reject) => {
      waiting.set(rid, (r) => {
        waiting.delete(rid);
        if (r.ok) resolve(r.value);
        else {
          watchers.delete(rid);
          reject(new RequestError(r.kind, r.error));
        }
      });
      ws.send(codec.encode({ type: "request", rid, body }));
    });
  }

  return {
    url,
    closed,
    update: async (collection, id, op, args) => void (await request({ type: "update", collection, id, op, args })),
    write: async (collection, id, op, args) => answerOf(writeAckSchema, await request({ type: "update", collection, id, op, args }), url, "update"),
    get: (collection, id) => request({ type: "get", collection, id }),
    state: async (collection, id) => answerOf(objectStateSchema, await request({ type: "state", collection, id }), url, "state"),
    txn: async (updates) => void (await request({ type: "txn", updates: checked(txnUpdatesSchema, updates, "txn: updates") })),
    getMany: async (keys) => (await request({ type: "getMany", keys: checked(objectKeysSchema, keys, "getMany: keys") })) as unknown[],
    list: async (collection) => (await request({ type: "list", collection })) as { id: string; value: unknown }[],
    subscribe(collection, fn) {
      let active = true;
      // A refused watch (an unknown collection) simply never calls fn; watch() reports it.
      void request({ type: "watch", collection }, (c) => active && fn(c)).catch(() => {});
      return () => void (active = false);
    },
    watch: async (collection, fn) => void (await request({ type: "watch", collection }, fn)),
    next: async (name) => {
      const req = ids.begin();
      try {
        return (await request({ type: "next", name, ...req })) as number;
      } finally {
        ids.end(req.requestId);
      }
    },
    sql: async (text, params = []) => sqlAnswer(await request({ type: "sql", text, params: [...params] }), url),
    close: async () => {
      closedReason ??= "closed by the client";
      if (ws.readyState === ws.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once("close", () => resolve());
        ws.close();
      });
    },
  };
}

/** A successful answer's value in the shape `schema` gives, or a "failed" RequestError naming the node and the request. */
function answerOf<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, url: string, what: string): T {
  const v = schema.safeParse(value);
  if (!v.success)
    throw new RequestError("failed", `${url} answered ${what} with ${JSON.stringify(value)?.slice(0, 200) ?? "nothing"}, not the expected shape (a node older than this client?)`);
  return v.data;
}
