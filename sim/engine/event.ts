/**
 * The one event class of the agenda. Messages and timers share it (a fat object with numeric
 * fields) so the heap and the dispatch loop see a single hidden class, and a message costs one
 * allocation: the event is the message.
 */
import type { Knowledge } from "./knowledge.ts";
import type { Timed } from "./event-queue.ts";

// Plain numbers, not enums: hot modules copy them into local constants (an imported binding
// is a property lookup, sometimes a getter, on every access once transpiled).
export const EvKind = {
  Deliver: 0,
  Arrival: 1,
  AntiEntropy: 2,
  Step: 3,
  NemesisStart: 4,
  NemesisEnd: 5,
  /** A node's group commit (storage.syncLagMs): its staged writes become durable. */
  Sync: 6,
  ClockNemesis: 7,
  CrashNemesis: 8,
  NemesisRestart: 9,
  /** Service traffic (sim/services): a message to a service endpoint, and a service timer. Kept
   * off the CRDT delivery path: the main loop routes them to the services (Simulator.route). */
  ServiceDeliver: 10,
  ServiceTimer: 11,
} as const;
export type EvKind = (typeof EvKind)[keyof typeof EvKind];

/**
 * Message kinds: an update's delta, a full state after an update, an anti-entropy state; in op
 * mode one op, a batch of ops (anti-entropy retransmission) and a digest (version vector).
 */
export const MsgKind = { Delta: 0, State: 1, AntiEntropy: 2, Op: 3, Ops: 4, Digest: 5 } as const;
export type MsgKind = (typeof MsgKind)[keyof typeof MsgKind];

export class Ev implements Timed {
  t = 0;
  seq = 0;
  kind: EvKind = EvKind.Deliver;
  /** Recipient of a message; the node of a timer. */
  node = 0;
  from = 0;
  /** Message id (trace `msg`); nemesis generation for NemesisEnd; step index for Step. */
  id = 0;
  mkind: MsgKind = MsgKind.Delta;
  payload: unknown = null;
  /** The update a delta carries: origin node index and its per-origin seq. */
  origin = 0;
  oseq = 0;
  /** What a full state carries: its sender's knowledge at send time. */
  knowledge: Knowledge | null = null;
  /** The recipient's incarnation when the message was sent. */
  epoch = 0;

  constructor(kind: EvKind, node: number) {
    this.kind = kind;
    this.node = node;
  }
}
