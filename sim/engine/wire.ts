/**
 * The replicas' side of the network: a replica message is an `Ev` filled here and handed to the
 * network component (network.ts), which owns latency, loss, duplication, reordering, FIFO,
 * partitions and hold. Kept apart from the sync modes so that op mode, delta/state mode and
 * digest sync all send through one door, and apart from the network so that the network stays
 * ignorant of replicas (the services send through the same network class, their own instance).
 *
 * Hot path: one allocation per message at most — delivered events come back here (`recycle`)
 * and carry the next message.
 */
import { Ev, EvKind, type MsgKind } from "./event.ts";
import type { Knowledge } from "./knowledge.ts";
import type { Network } from "./network.ts";
import type { Replica } from "./replica.ts";

const NewEv = Ev;
const DELIVER = EvKind.Deliver;

export class ReplicaWire {
  /** Delivered message events that `send` reuses (one allocation fewer per message). */
  private readonly spare: Ev[] = [];

  constructor(
    private readonly net: Network,
    private readonly replicas: readonly Replica[],
    private readonly stats: { metadataBytes: number },
  ) {}

  /** Sends a replica message (`bytes`: its encoded size, counted as metadata). */
  send(from: number, to: number, kind: MsgKind, payload: unknown, origin: number, oseq: number, k: Knowledge | null, bytes: number): void {
    this.stats.metadataBytes += bytes;
    const ev = this.spare.pop() ?? new NewEv(DELIVER, to);
    ev.kind = DELIVER;
    ev.node = to;
    ev.from = from;
    ev.mkind = kind;
    ev.payload = payload;
    ev.origin = origin;
    ev.oseq = oseq;
    ev.knowledge = k;
    ev.epoch = this.replicas[to]!.epoch;
    this.net.send(ev, bytes);
  }

  /** An applied message nothing refers to any more (only to its payload): it carries the next one. */
  recycle(ev: Ev): void {
    ev.payload = null;
    ev.knowledge = null;
    this.spare.push(ev);
  }
}
