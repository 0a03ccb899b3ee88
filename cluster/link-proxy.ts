/**
 * The proxy on the link between two nodes: `dialer` is started with `--peer` pointing here, and
 * every connection it makes is forwarded, message by message, to `listener`'s current address
 * (which changes when that node restarts). Each direction goes through LinkFaults as its own
 * directed link, so a one-way cut or a partition blocks exactly the messages it should.
 */
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { LinkFaults } from "./link-faults.ts";

export class LinkProxy {
  private readonly server: WebSocketServer;
  private readonly open = new Set<WebSocket>();
  /** The listening node's URL, or null while it is down (a dial then fails at once, as it would). */
  target: string | null = null;
  /** performance.now() of each time a link through this proxy came up: the listener's hello reached the dialer (measurements, tests). */
  readonly ups: number[] = [];

  private constructor(
    readonly dialer: string,
    readonly listener: string,
    private readonly faults: LinkFaults,
    server: WebSocketServer,
    readonly url: string,
  ) {
    this.server = server;
    server.on("connection", (down: WebSocket) => this.forward(down));
  }

  static async start(dialer: string, listener: string, faults: LinkFaults): Promise<LinkProxy> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return new LinkProxy(dialer, listener, faults, server, `ws://127.0.0.1:${port}`);
  }

  private forward(down: WebSocket): void {
    this.open.add(down);
    if (this.target === null) return void down.close(1013, "node down");
    const up = new WebSocket(this.target, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    this.open.add(up);
    const early: RawData[] = [];
    let firstDown = true;
    let firstUp = true;
    const toUp = (data: RawData) => {
      const first = firstDown;
      firstDown = false;
      this.faults.pass(this.dialer, this.listener, first, () => {
        if (up.readyState === WebSocket.OPEN) up.send(data);
      });
    };
    down.on("message", (data: RawData) => (up.readyState === WebSocket.OPEN ? toUp(data) : early.push(data)));
    up.on("open", () => {
      for (const d of early.splice(0)) toUp(d);
    });
    up.on("message", (data: RawData) => {
      const first = firstUp;
      firstUp = false;
      this.faults.pass(this.listener, this.dialer, first, () => {
        if (down.readyState !== WebSocket.OPEN) return;
        down.send(data);
        if (first) this.ups.push(performance.now());
      });
    });
    const closeBoth = () => {
      this.open.delete(up);
      this.open.delete(down);
      if (up.readyState !== WebSocket.CLOSED) up.terminate();
      if (down.readyState !== WebSocket.CLOSED) down.terminate();
    };
    up.on("close", closeBoth);
    down.on("close", closeBoth);
    up.on("error", closeBoth);
    down.on("error", closeBoth);
  }

  /** Cuts every connection through this proxy (its listener was killed: the dialer sees the link drop). */
  dropConnections(): void {
    for (const ws of this.open) ws.terminate();
    this.open.clear();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
