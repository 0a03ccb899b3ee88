/**
 * openNode: one MemoConductor node in this process — a store replica over its data directory's
 * NodeStore (SQLite, node/storage), a WebSocket server for clients and peers, and a dialer per
 * `--peer` URL.
 *
 * Write-ahead: a local update is answered, and its delta sent to peers, only after
 * `store.write` resolved. Offline writes stay in the store; when a peer (re)connects the hello
 * exchange answers each side's digest with what the other lacks, and a digest round every
 * `digestMs` repairs anything lost on the way (a dropped batch, a peer that fell behind).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { CrdtError, type DeltaMessage, resolveBuiltin, type StoreCrdt } from "../core/index.ts";
import { Connection } from "./peer/connection.ts";
import { Dialer } from "./peer/dialer.ts";
import { type BackoffOptions, DEFAULT_BACKOFF, DEFAULT_LINK_OPTIONS, type LinkOptions } from "./peer/options.ts";
import type { NodeContext, PeerConnection } from "./peer/node-context.ts";
import { PeerLinks } from "./peer/peer-links.ts";
import { type ClientRequest, type ClientResponse, frameCodec, type Hello, MAX_FRAME_BYTES, schemaFingerprint } from "./protocol/index.ts";
import { objectStateSchema, writeAckSchema } from "./protocol/requests.ts";
import { NextIds } from "./next-ids.ts";
import { ReplicaHost } from "./replica-host.ts";
import { SequencerHost } from "./sequencer-host.ts";
import type { NodeStore, NodeStoreOptions, SyncPolicy } from "./storage/node-store.ts";
import { DB_FILE, openNodeStore } from "./storage/index.ts";
import { RequestError, sqlAnswer, type NodeApi } from "./api.ts";
import { SqlSchema } from "../sql/index.ts";
import { SqlHost } from "./sql-host.ts";
import { openSqlSelect } from "./sql-select.ts";
import { StoreOpenError } from "./storage/errors.ts";

export type NodeOptions = {
  /** The node's data directory. */
  dir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Peer URLs to dial and keep dialing (ws://host:port). */
  peers?: string[];
  /** The store's collections (a scenario's store options). Used when `dir` holds no store yet (default then: DEFAULT_SCHEMA); for an existing one it must equal the stored schema, else the open is refused. */
  schema?: { collections: Record<string, unknown> };
  /**
   * The store as SQL tables: CREATE TABLE statements (docs/sql.md), instead of `schema`. The store
   * is the tables' (`SqlSchema.storeSpec()`), and the tables are stored with a new directory, so
   * a restart needs no schema; for an existing directory they must equal the stored ones. A node
   * with tables answers `sql` requests. Rejects with SqlError (one line) on a bad statement.
   */
  sqlSchema?: string;
  /** When a write is acknowledged (default DEFAULT_SYNC: group commit, at most 5 ms of wait). */
  sync?: SyncPolicy;
  /** Sequence names this node serves. */
  sequencer?: string[];
  /** Added to Date.now() for the replica's clock (LWW fields): tests of clock skew; a function is read at every tick (cluster mode's clock jumps). */
  clockOffsetMs?: number | (() => number);
  /** The node id: chosen and stored when `dir` is new (default: a random one); an existing directory's must match. */
  nodeId?: string;
  /** Opens the node's store (default: openNodeStore, SQLite). Tests pass one that keeps the store to inject faults. */
  openStore?: (dir: string, options: NodeStoreOptions) => NodeStore | Promise<NodeStore>;
  /** Milliseconds between digest rounds with each peer (default 3000). */
  digestMs?: number;
  link?: Partial<LinkOptions>;
  backoff?: Partial<BackoffOptions>;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
  /**
   * Testing only, a deliberate bug (`--test-drop-every N`): every N-th local update is rolled
   * back, yet acknowledged as written; cluster mode's no-lost-writes check must catch it.
   */
  testDropEvery?: number;
  /** Testing only, a deliberate bug (`--test-no-txn-hold`): peers' transactions are applied as their parts arrive, not all or nothing (StoreReplica.testNoTxnHold). */
  testNoTxnHold?: boolean;
};

export type NodeStats = {
  /** Peers connected (handshake done). */
  peers: number;
  /** Updates held until their transactions are whole (prepared: received in part, not visible). */
  prepared: number;
  /** Live deltas the current peer links dropped for backpressure (each repaired by a digest round after the drain). */
  droppedForBackpressure: number;
  /** Objects merged from peers' sync answers since the node started, as joined deltas and whole: what catching up cost. */
  synced: { deltaObjects: number; wholeObjects: number };
};

export type Node = NodeApi & { readonly url: string; readonly port: number; readonly id: string; stats(): NodeStats; close(): Promise<void> };

export const DEFAULT_SCHEMA = { collections: { customers: "record" } };

/** Group commit with a small wait: one fsync serves every write of the batch, and none waits more than 5 ms for it. */
export const DEFAULT_SYNC: SyncPolicy = { mode: "group", maxWaitMs: 5 };

export async function openNode(options: NodeOptions): Promise<Node> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  if (options.schema !== undefined && options.sqlSchema !== undefined)
    throw new Error("openNode: give schema (store collections) or sqlSchema (CREATE TABLE statements), not both");
  const tables = options.sqlSchema === undefined ? undefined : SqlSchema.parse(options.sqlSchema);
  // The schema is stored with a new directory; an existing one is opened with its own (a given one must equal it).
  // Tables are compared as SQL: their store spec is the stored one, which a directory made before
  // the enable-wins flag holds with an MV-register `_row` in its add-wins tables (SqlSchema.over).
  const exists = existsSync(join(options.dir, DB_FILE));
  const schema = tables ? (exists ? undefined : { collections: tables.storeSpec().collections }) : (options.schema ?? (exists ? undefined : DEFAULT_SCHEMA));
  const openStore = options.openStore ?? openNodeStore;
  const store = await openStore(options.dir, {
    ...(schema ? { schema } : {}),
    ...(tables ? { sqlSchema: tables.toSql() } : {}),
    ...(options.nodeId ? { nodeId: options.nodeId } : {}),
    sync: options.sync ?? DEFAULT_SYNC,
  });
  try {
    return await serve(store, options, log);
  } catch (e) {
    // The port is taken, say: the directory's lock goes with the store.
    await store.close();
    throw e;
  }
}

async function serve(store: NodeStore, options: NodeOptions, log: (line: string) => void): Promise<Node> {
  const crdt = resolveBuiltin({ type: "store", ...store.schema }) as unknown as StoreCrdt;
  const offset = options.clockOffsetMs ?? 0;
  const host = new ReplicaHost(store, crdt, typeof offset === "number" ? () => Date.now() + offset : () => Date.now() + offset());
  if (options.testDropEvery !== undefined && options.testDropEvery > 0) host.dropEvery = options.testDropEvery;
  if (options.testNoTxnHold) host.replica.testNoTxnHold = true;
  const sequencer = new SequencerHost(store, options.sequencer ?? []);
  const tables = storedTables(store);
  const ids = new NextIds(`${host.id}/${randomUUID()}`);
  const sql = tables && new SqlHost(tables, host, openSqlSelect(tables, host), (name) => nextNumber(name, (body) => next(body, false)));
  const fingerprint = schemaFingerprint(store.schema);
  const links = new PeerLinks(host.id, log);
  const connections = new Set<PeerConnection>();
  const linkOptions = { ...DEFAULT_LINK_OPTIONS, ...options.link };

  const ctx: NodeContext = {
    codec: frameCodec(host.replica.codecs),
    host,
    linkOptions,
    hello: (): Hello => ({ type: "hello", nodeId: host.id, schema: fingerprint, sequences: [...sequencer.names], ...host.digestAndPending() }),
    log,
    addLink: (c, peerId) => links.add(c, peerId),
    removeLink: (c, code) => {
      links.remove(c, code);
      connections.delete(c);
    },
    broadcast,
    handle,
  };

  function broadcast(deltas: DeltaMessage[], except?: PeerConnection): void {
    if (deltas.length === 0) return;
    for (const c of links) if (c !== except) c.link!.queueAll(deltas);
  }

  async function next(body: Extract<ClientRequest, { type: "next" }>, fromPeer: boolean): Promise<number> {
    if (sequencer.serves(body.name)) return sequencer.next({ name: body.name, client: body.client, requestId: body.requestId, done: body.done });
    // A request a peer forwarded is never forwarded again: no loops between nodes that each think the other serves it.
    const via = fromPeer ? undefined : [...links].find((c) => c.link!.sequences.includes(body.name));
    if (!via) throw new RequestError("unavailable", `unavailable: no reachable node serves sequence ${body.name}`);
    const r = await via.request(body);
    if (!r.ok) throw new RequestError(r.kind, r.error);
    if (typeof r.value !== "number") throw new RequestError("failed", `node ${via.link?.peerId} answered next ${body.name} without a number`);
    return r.value;
  }

  async function run(body: ClientRequest, from: PeerConnection | undefined, rid: number): Promise<unknown> {
    switch (body.type) {
      case "update": {
        const { delta, ack, dropped } = await host.write(body.collection, body.id, body.op, body.args);
        // A dropped write (the test-only testDropEvery bug) never left the node: nothing to send.
        if (!dropped) broadcast([delta]);
        return ack;
      }
      case "txn":
        broadcast(await host.txn(body.updates));
        return undefined;
      case "getMany":
        return host.getMany(body.keys);
      case "get":
        return host.get(body.collection, body.id);
      case "state":
        return host.state(body.collection, body.id);
      case "list":
        return host.list(body.collection);
      case "next":
        return next(body, from?.link !== undefined);
      case "watch":
        from?.watch(host.subscribe(body.collection, (id, value) => from.send({ type: "event", rid, change: { collection: body.collection, id, value } })));
        return undefined;
      case "sql": {
        if (!sql) throw new RequestError("bad-request", "this node has no SQL schema (start it with --schema FILE.sql)");
        const { answer, deltas } = await sql.run(body.text, body.params);
        broadcast([...deltas]);
        return answer.kind === "rows" ? { columns: answer.columns, rows: answer.rows } : { count: answer.count };
      }
    }
  }

  async function handle(body: ClientRequest, from: PeerConnection | undefined, rid: number): Promise<ClientResponse> {
    try {
      const value = await run(body, from, rid);
      return value === undefined ? { ok: true } : { ok: true, value };
    } catch (e) {
      if (e instanceof RequestError) return { ok: false, kind: e.kind, error: e.message };
      // The core validates before it changes anything: a CrdtError is the request's fault; anything else is the write's.
      return { ok: false, kind: e instanceof CrdtError ? "bad-request" : "failed", error: e instanceof Error ? e.message : String(e) };
    }
  }

  const server = new WebSocketServer({ host: options.host ?? "127.0.0.1", port: options.port ?? 0, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  server.on("connection", (ws: WebSocket, req) => {
    ws.binaryType = "nodebuffer";
    connections.add(new Connection(ws, ctx, `${req.socket.remoteAddress}:${req.socket.remotePort}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  server.on("error", (e) => log(`server error: ${e.message}`));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  const url = `ws://${options.host ?? "127.0.0.1"}:${port}`;

  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const dialers = (options.peers ?? []).map(
    (peer) =>
      new Dialer(
        peer,
        (ws) =>
          connections.add(
            new Connection(
              ws,
              ctx,
              peer,
              dialers.find((d) => d.url === peer),
            ),
          ),
        backoff,
      ),
  );
  for (const d of dialers) d.start();

  const digestTimer = setInterval(() => {
    // A link still applying a sync answer from its peer is skipped: asking now would have the
    // peer send again what is on its way (a catch-up of big transactions took a minute so).
    for (const c of links) if (!c.applyingSync) c.send({ type: "digest", ...host.digestAndPending(), reply: false });
  }, options.digestMs ?? 3000);

  /** A number of a sequence from this node's sequencer path, under this process's client id (the embedded API's `next`, SQL's NEXTVAL). */
  async function nextNumber(name: string, ask: (body: Extract<ClientRequest, { type: "next" }>) => Promise<number>): Promise<number> {
    const req = ids.begin();
    try {
      return await ask({ type: "next", name, ...req });
    } finally {
      ids.end(req.requestId);
    }
  }

  const call = async (body: ClientRequest): Promise<unknown> => {
    const r = await handle(body, undefined, 0);
    if (!r.ok) throw new RequestError(r.kind, r.error);
    return r.value;
  };
  let closing: Promise<void> | undefined;

  return {
    url,
    port,
    id: host.id,
    stats: () => ({
      peers: links.size,
      prepared: host.replica.preparedCount,
      droppedForBackpressure: [...links].reduce((n, c) => n + (c.link?.dropped ?? 0), 0),
      synced: { ...host.synced },
    }),
    update: async (collection, id, op, args) => void (await call({ type: "update", collection, id, op, args })),
    write: async (collection, id, op, args) => writeAckSchema.parse(await call({ type: "update", collection, id, op, args })),
    get: (collection, id) => call({ type: "get", collection, id }),
    state: async (collection, id) => objectStateSchema.parse(await call({ type: "state", collection, id })),
    txn: async (updates) => void (await call({ type: "txn", updates: [...updates] })),
    getMany: async (keys) => (await call({ type: "getMany", keys: [...keys] })) as unknown[],
    list: async (collection) => (await call({ type: "list", collection })) as { id: string; value: unknown }[],
    subscribe: (collection, fn) => host.subscribe(collection, (id, value) => fn({ collection, id, value })),
    next: (name) => nextNumber(name, async (body) => (await call(body)) as number),
    sql: async (text, params = []) => sqlAnswer(await call({ type: "sql", text, params: [...params] }), "this node"),
    close: () =>
      (closing ??= (async () => {
        clearInterval(digestTimer);
        for (const d of dialers) d.stop();
        for (const c of connections) c.close(1001);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
      })()),
  };
}

/** The tables stored in the directory, if it was made with a SQL schema. */
function storedTables(store: NodeStore): SqlSchema | undefined {
  if (store.sqlSchema === undefined) return undefined;
  try {
    // The `_row` types of the store as it was made (an older directory's add-wins rows: MV-registers).
    return SqlSchema.parse(store.sqlSchema).over(store.schema.collections);
  } catch (e) {
    throw new StoreOpenError(
      `the data directory of node ${store.nodeId} is corrupt: its meta row "sql_schema" does not parse (${e instanceof Error ? e.message : String(e)}); refusing to serve it`,
    );
  }
}
