/**
 * One WebSocket on a node — accepted from a client or a peer, or dialed to a peer — and the
 * frames it carries.
 *
 * - A peer connection starts with hello both ways (the dialer speaks first). A hello of another
 *   schema fingerprint is refused with a message naming both; a frame of another protocol
 *   version is refused likewise. After the hello each side answers the other's digest (carried
 *   in the hello) with what the other lacks; then live deltas flow, and digest rounds repair.
 * - A refusal received by the dialer of the connection is logged once per reason (not at every
 *   redial) and slows its dialer down (dialer.ts); two links with the same node are made one
 *   (peer-links.ts).
 * - Client requests may arrive on any connection (a node forwards `next` to the peer serving
 *   the sequence over its peer connection).
 * - A frame that does not decode is logged as one line and the connection closed; nothing of it
 *   was applied. Replication frames are applied one after another in arrival order.
 */
import type { WebSocket } from "ws";
import { DecodeError, type SyncMessage } from "../../core/index.ts";
import { type ClientRequest, type ClientResponse, type Frame, type Hello, PROTOCOL_VERSION, ProtocolVersionError } from "../protocol/index.ts";
import type { Dialer } from "./dialer.ts";
import { Link } from "./link.ts";
import { DUPLICATE_LINK } from "./peer-links.ts";
import { syncChunks } from "./sync-chunks.ts";
import type { NodeContext } from "./node-context.ts";

/** Objects of a sync answer sent whole (the rest are joined deltas from the sender's log). */
const whole = (sync: SyncMessage): number => sync.parts.reduce((n, p) => n + p.objects.filter((o) => o.full).length, 0);

/** Stop reading a peer's socket while this many of its frames wait to be applied; read again at RESUME_AT. */
const PAUSE_AT = 64;
const RESUME_AT = 8;

/** How long a forwarded request waits for the serving peer's answer before it is "unavailable". */
export const FORWARD_TIMEOUT_MS = 10_000;

export class Connection {
  link: Link | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Replication frames received and not yet applied. */
  private queued = 0;
  /** Sync frames received and not yet applied (the node's repair digest waits for them: `applyingSync`). */
  private syncQueued = 0;
  private readonly unwatch: (() => void)[] = [];
  private readonly waiting = new Map<number, (r: ClientResponse) => void>();
  private nextRid = 1;
  private closed = false;
  /** Logged that a sync answer left part of a transaction held (once per connection). */
  private saidHeld = false;
  /** Closed by this node as a duplicate link (logged when it was decided). */
  private duplicate = false;

  constructor(
    readonly ws: WebSocket,
    private readonly ctx: NodeContext,
    /** Who is at the other end, for log lines (a URL for a dialed peer, an address otherwise). */
    private label: string,
    readonly dialer: Dialer | undefined = undefined,
  ) {
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on("close", (code) => this.onClose(code));
    ws.on("error", () => {});
    if (dialer) ws.on("open", () => this.send(ctx.hello()));
  }

  send(frame: Frame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(this.ctx.codec.encode(frame));
  }

  /** Sends a client request over this (peer) connection; resolves with the answer, or "unavailable" if none comes. */
  request(body: ClientRequest): Promise<ClientResponse> {
    const rid = this.nextRid++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => settle({ ok: false, kind: "unavailable", error: `no answer from node ${this.link?.peerId ?? this.label} within ${FORWARD_TIMEOUT_MS} ms` }),
        FORWARD_TIMEOUT_MS,
      );
      const settle = (r: ClientResponse) => {
        clearTimeout(timer);
        this.waiting.delete(rid);
        resolve(r);
      };
      this.waiting.set(rid, settle);
      this.send({ type: "request", rid, body });
    });
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    let frame: Frame;
    try {
      if (!isBinary) throw new DecodeError("node frame", 0, "a text message (frames are binary)");
      frame = this.ctx.codec.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      if (e instanceof ProtocolVersionError)
        return this.refuse(`protocol version mismatch: ${this.label} speaks version ${e.version}, node ${this.ctx.host.id} speaks version ${PROTOCOL_VERSION}`);
      return this.fail(e.message);
    }
    this.dispatch(frame);
  }

  private dispatch(f: Frame): void {
    switch (f.type) {
      case "hello":
        return this.onHello(f);
      case "refuse":
        if (!this.dialer) this.ctx.log(`refused by ${this.label}: ${f.reason}`);
        else if (this.dialer.refused(f.reason)) this.ctx.log(`refused by ${this.label}: ${f.reason} (${this.redialing()})`);
        return this.close();
      case "request":
        void this.ctx.handle(f.body, this, f.rid).then((body) => this.send({ type: "response", rid: f.rid, body }));
        return;
      case "response":
        this.waiting.get(f.rid)?.(f.body);
        return;
      case "event":
        return this.fail("an event frame sent to a node");
      default:
        if (!this.link) return this.fail(`a ${f.type} frame before hello`);
        return this.serially(f);
    }
  }

  private onHello(h: Hello): void {
    if (this.link) return this.fail("a second hello");
    const me = this.ctx.hello();
    this.label = this.dialer ? `node ${h.nodeId} (${this.label})` : `node ${h.nodeId}`;
    if (h.schema !== me.schema)
      return this.refuse(`schema mismatch: node ${h.nodeId} has schema fingerprint ${h.schema}, node ${me.nodeId} has ${me.schema} (start both with the same --schema)`);
    if (h.nodeId === me.nodeId) return this.refuse(`node ${h.nodeId} connected to itself`);
    if (!this.dialer) this.send(me);
    this.link = new Link(this.ws, this.ctx.codec, h.nodeId, h.sequences, () => ({ type: "digest", ...this.ctx.host.digestAndPending(), reply: true }), this.ctx.linkOptions);
    this.dialer?.established();
    if (!this.ctx.addLink(this, h.nodeId)) return;
    this.ctx.log(`connected to ${this.label}${h.sequences.length ? ` (serves ${h.sequences.join(", ")})` : ""}`);
    this.answer(h.digest, h.pending).catch((e: unknown) => this.fail(`cannot answer the hello's digest: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Sends what the peer lacks (durable state: it waits for an open batch's commit), in frames of a bounded number of objects (sync-chunks.ts). */
  private async answer(digest: Hello["digest"], pending: Hello["pending"]): Promise<void> {
    const missing = await this.ctx.host.missing(digest, pending);
    if (this.closed) return;
    for (const sync of syncChunks(missing, this.ctx.linkOptions.syncObjectsPerFrame)) this.send({ type: "sync", sync });
  }

  /**
   * Replication frames, applied in arrival order; a failure to apply closes the connection (its
   * frame changed nothing). While more than PAUSE_AT frames wait for their writes the socket is
   * not read: TCP pushes back, the sender's buffer fills and it stops sending live deltas (link.ts).
   */
  private serially(f: Frame): void {
    if (++this.queued > PAUSE_AT && !this.ws.isPaused) this.ws.pause();
    if (f.type === "sync") this.syncQueued++;
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        if (f.type === "deltas") this.ctx.broadcast(await this.ctx.host.receive(f.deltas), this);
        else if (f.type === "sync") {
          const merged = await this.ctx.host.applySync(f.sync);
          if (merged > 0) this.ctx.log(`merged ${merged} object(s) from ${this.label}'s sync answer (${whole(f.sync)} whole)`);
          const held = this.ctx.host.replica.preparedCount;
          if (held > 0 && !this.saidHeld) {
            this.saidHeld = true;
            this.ctx.log(`holding updates of partial transactions from ${this.label}'s sync answer until the rest arrive (${held} now; said once per connection)`);
          }
        } else if (f.type === "digest") {
          await this.answer(f.digest, f.pending);
          if (f.reply) this.send({ type: "digest", ...this.ctx.host.digestAndPending(), reply: false });
        }
      } catch (e) {
        this.fail(`cannot apply a ${f.type} frame: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        if (f.type === "sync") this.syncQueued--;
        if (--this.queued <= RESUME_AT && this.ws.isPaused) this.ws.resume();
      }
    });
  }

  /** Whether a sync answer from the peer is still being applied (frames of it received, not yet applied). */
  get applyingSync(): boolean {
    return this.syncQueued > 0;
  }

  watch(stop: () => void): void {
    this.unwatch.push(stop);
  }

  private refuse(reason: string): void {
    // A peer this node dialed refuses likewise: redial slowly, say it once.
    if (!this.dialer) this.ctx.log(`refusing ${this.label}: ${reason}`);
    else if (this.dialer.refused(reason)) this.ctx.log(`refusing ${this.label}: ${reason} (${this.redialing()})`);
    this.send({ type: "refuse", reason });
    this.close();
  }

  private redialing(): string {
    return `redialing every ${Math.round(this.dialer!.refusedMs / 1000)} s until it is accepted; said again only if the reason changes`;
  }

  closeDuplicate(): void {
    this.duplicate = true;
    this.close(DUPLICATE_LINK);
  }

  private fail(reason: string): void {
    this.ctx.log(`closing the connection to ${this.label}: ${reason}`);
    this.close();
  }

  /** Closes the connection: 1002 (protocol error) unless the node is shutting down (1001). */
  close(code = 1002): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code);
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private onClose(code: number): void {
    this.closed = true;
    this.link?.stop();
    this.ctx.removeLink(this, code);
    for (const stop of this.unwatch.splice(0)) stop();
    for (const settle of this.waiting.values()) settle({ ok: false, kind: "unavailable", error: `the connection to ${this.label} closed before it answered` });
    if (!this.link || this.duplicate) return;
    if (code === DUPLICATE_LINK) this.ctx.log(`${this.label} closed its duplicate link with this node (the nodes dial each other); the other link stays`);
    else this.ctx.log(`disconnected from ${this.label}`);
  }
}
