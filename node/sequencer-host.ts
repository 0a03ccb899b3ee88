/**
 * The named sequences a node serves (`--sequencer invoice`), with core's Sequencer over the
 * NodeStore's sequencer log. A number is answered only once its record is durable: the request
 * is handled and the log flushed inside one `store.write`, and the answer leaves when that write
 * resolved. A retry of the same (client, request id) gets the same number from the sequencer's
 * dedup table — also after a restart, since the table is rebuilt from the durable log.
 */
import { parseAssigned, Sequencer, type NextRequest } from "../core/index.ts";
import type { NodeStore } from "./storage/node-store.ts";

export class SequencerHost {
  private sequencer: Sequencer;

  constructor(
    private readonly store: Pick<NodeStore, "sequencer" | "write">,
    readonly names: readonly string[],
  ) {
    // groupCommit: the sequencer stages, and flush() (inside the same write) syncs and releases.
    this.sequencer = Sequencer.recover(store.sequencer, { groupCommit: true });
  }

  serves(name: string): boolean {
    return this.names.includes(name);
  }

  /** The number for this request; rejects with SequencerError on a malformed request or a reused id. */
  async next(req: Omit<NextRequest, "type">): Promise<number> {
    let out;
    try {
      out = await this.store.write(() => {
        const step = this.sequencer.handle({ type: "seq.next", ...req });
        return [...step.out, ...this.sequencer.flush().out];
      });
    } catch (e) {
      // The write did not become durable, but the sequencer's memory moved on (its counter, its
      // dedup table): rebuilt from what is durable, so a retry is not answered with a number
      // that a crash would hand out again.
      this.sequencer = Sequencer.recover(this.store.sequencer, { groupCommit: true });
      throw e;
    }
    const mine = out.map((o) => parseAssigned(o.msg)).find((a) => a.client === req.client && a.requestId === req.requestId);
    // Only a request below the client's own `done` floor goes unanswered: a client bug, not a fault.
    if (mine === undefined) throw new Error(`request ${req.client}#${req.requestId} is below the client's done floor; it was finished before`);
    return mine.n;
  }
}
