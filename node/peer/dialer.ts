/**
 * Keeps one outgoing connection to a peer URL alive: dial, and when the connection fails or
 * closes, dial again after an exponential back-off (base × 2^attempt, capped) with full jitter,
 * so that nodes restarted together do not all redial in step. The back-off starts over once a
 * connection completed its handshake (`established()`).
 */
import { WebSocket } from "ws";
import { MAX_FRAME_BYTES } from "../protocol/index.ts";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./options.ts";

export { type BackoffOptions, DEFAULT_BACKOFF };

/** The wait before dial number `attempt` (0 = the first retry): uniform in [cap/2, cap] of base·2^attempt capped. */
export function backoffMs(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class Dialer {
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private ws: WebSocket | undefined;
  private stopped = false;

  constructor(
    readonly url: string,
    private readonly onSocket: (ws: WebSocket) => void,
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  start(): void {
    this.dial();
  }

  /** The handshake over the current connection completed: the next failure retries from the base delay. */
  established(): void {
    this.attempt = 0;
  }

  private dial(): void {
    if (this.stopped) return;
    const ws = (this.ws = new WebSocket(this.url, { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }));
    ws.binaryType = "nodebuffer";
    // 'error' precedes 'close' on a failed dial; only 'close' schedules the retry.
    ws.on("error", () => {});
    ws.on("close", () => {
      if (this.ws === ws) this.ws = undefined;
      this.retry();
    });
    this.onSocket(ws);
  }

  private retry(): void {
    if (this.stopped) return;
    const wait = backoffMs(this.attempt++, this.options);
    this.timer = setTimeout(() => this.dial(), wait);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.terminate();
  }
}
