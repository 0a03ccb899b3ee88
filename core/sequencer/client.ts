/**
 * A sequencer client: asks for numbers, retries with the same request id until an answer comes
 * or its deadline passes, then reports the request unavailable — never a guessed number.
 *
 * The client has no clock: every call takes `now` (the node's clock, ms) and `wakeAt()` tells
 * the adapter when to call `tick` next. Request ids must be unique over the client's whole life,
 * across its own restarts too (the sequencer deduplicates by them): a restarted client is given
 * a `firstRequestId` above every id it used before (e.g. incarnation × 2^32).
 */
import { SequencerError } from "./errors.ts";
import type { SeqEvent } from "./history.ts";
import { MAX_NAME_LENGTH, type NextRequest, type Outgoing, parseAssigned } from "./messages.ts";

export type SequencerClientOptions = {
  /** This client's id; also the address answers are sent to. */
  id: string;
  /** The node the sequencer runs on. */
  sequencer: string;
  /** Give up (report unavailable) this long after asking. */
  timeoutMs: number;
  /** Resend an unanswered request this often. */
  retryMs: number;
  firstRequestId?: number;
};

export type ClientStep = { out: Outgoing[]; events: SeqEvent[] };

type Pending = { name: string; deadline: number; retryAt: number };

export class SequencerClient {
  private nextId: number;
  private readonly pending = new Map<number, Pending>();

  constructor(readonly options: SequencerClientOptions) {
    this.nextId = options.firstRequestId ?? 0;
    if (!Number.isSafeInteger(this.nextId) || this.nextId < 0) throw new SequencerError(`firstRequestId must be a safe integer >= 0, got ${options.firstRequestId}`);
    if (!(options.timeoutMs > 0) || !(options.retryMs > 0)) throw new SequencerError(`timeoutMs and retryMs must be positive`);
  }

  /** Asks for the next number of `name`. */
  next(name: string, now: number): ClientStep & { requestId: number } {
    if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME_LENGTH)
      throw new SequencerError(`counter name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters, got ${JSON.stringify(name)}`);
    const requestId = this.nextId++;
    this.pending.set(requestId, { name, deadline: now + this.options.timeoutMs, retryAt: now + this.options.retryMs });
    return {
      requestId,
      out: [this.send(requestId, name)],
      events: [{ type: "invoke", client: this.options.id, requestId, name }],
    };
  }

  /** An answer from the sequencer. Late answers (after giving up) and duplicates are ignored. */
  handle(raw: unknown, _now?: number): ClientStep {
    const msg = parseAssigned(raw);
    if (msg.client !== this.options.id) throw new SequencerError(`seq.assigned for client ${msg.client} delivered to ${this.options.id}`);
    const p = this.pending.get(msg.requestId);
    if (p === undefined) return { out: [], events: [] };
    if (p.name !== msg.name) throw new SequencerError(`seq.assigned for request ${msg.requestId} names "${msg.name}", but it asked for "${p.name}"`);
    this.pending.delete(msg.requestId);
    return { out: [], events: [{ type: "ok", client: this.options.id, requestId: msg.requestId, name: msg.name, n: msg.n }] };
  }

  /** Resends what is due and gives up on what is past its deadline. */
  tick(now: number): ClientStep {
    const out: Outgoing[] = [];
    const events: SeqEvent[] = [];
    for (const [requestId, p] of this.pending) {
      if (now >= p.deadline) {
        this.pending.delete(requestId);
        events.push({ type: "unavailable", client: this.options.id, requestId, name: p.name });
      } else if (now >= p.retryAt) {
        p.retryAt = now + this.options.retryMs;
        out.push(this.send(requestId, p.name));
      }
    }
    return { out, events };
  }

  /** The earliest time `tick` has something to do, or undefined when nothing is pending. */
  wakeAt(): number | undefined {
    let t: number | undefined;
    for (const p of this.pending.values()) t = Math.min(t ?? Infinity, p.retryAt, p.deadline);
    return t;
  }

  get outstanding(): number {
    return this.pending.size;
  }

  private send(requestId: number, name: string): Outgoing {
    // Everything below the oldest outstanding id is finished: the sequencer may forget it.
    let done = this.nextId;
    for (const id of this.pending.keys()) done = Math.min(done, id);
    const msg: NextRequest = { type: "seq.next", client: this.options.id, requestId, name, done };
    return { to: this.options.sequencer, msg };
  }
}
