/**
 * Keeps one outgoing connection to a peer URL alive: dial, and when the connection fails or
 * closes, dial again after an exponential back-off (base × 2^attempt, capped) with full jitter,
 * so that nodes restarted together do not all redial in step. The back-off starts over once a
 * connection completed its handshake (`established()`).
 *
 * - Refused (`refused(reason)`: the peer has another schema or protocol version, or the URL is
 *   this node): the peer will refuse again until an operator restarts one side, so the dialer
 *   redials only every `refusedMs` (default a minute), and its connection logs the reason once,
 *   not at every redial. A handshake that completes ends that.
 * - Standing by (`standBy()`): the peer already has a link with this node, the one it dialed
 *   (peer-links.ts keeps one link per pair of nodes); no redial until `resume()`, called when
 *   that link closes.
 */
import { WebSocket } from "ws";
import { MAX_FRAME_BYTES } from "../protocol/index.ts";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./options.ts";

export { type BackoffOptions, DEFAULT_BACKOFF };

/** The wait before dial number `attempt` (0 = the first retry): uniform in [cap/2, cap] of base·2^attempt capped. */
export function backoffMs(attempt: number, o: Pick<BackoffOptions, "baseMs" | "capMs">, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class Dialer {
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private ws: WebSocket | undefined;
  private stopped = false;
  private standingBy = false;
  /** Why the peer refused this node, while it does. */
  private refusal: string | undefined;

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
    this.refusal = undefined;
  }

  get refusedMs(): number {
    return this.options.refusedMs;
  }

  /** The peer refused this node: redial slowly. Returns whether `reason` is news (to be logged). */
  refused(reason: string): boolean {
    const news = reason !== this.refusal;
    this.refusal = reason;
    return news;
  }

  /** Another link with the peer stands: no redial (a redial already scheduled is cancelled) until `resume()`. */
  standBy(): void {
    this.standingBy = true;
    clearTimeout(this.timer);
  }

  /** The link this dialer stood by for closed: dial again (after the base delay). */
  resume(): void {
    if (!this.standingBy) return;
    this.standingBy = false;
    this.attempt = 0;
    if (!this.ws) this.retry();
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
    if (this.stopped || this.standingBy) return;
    const wait = this.refusal === undefined ? backoffMs(this.attempt++, this.options) : backoffMs(0, { baseMs: this.options.refusedMs, capMs: this.options.refusedMs });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.dial(), wait);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.terminate();
  }
}
