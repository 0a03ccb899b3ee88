/**
 * The sequencer behind a NodeStore whose commit can fail (a full disk): a number whose write
 * failed is never given out — not to a retry of the same request, and not after a restart.
 */
import { describe, expect, it } from "vitest";
import type { Durable, SeqRecord, SeqSnapshot, SequencerStorage } from "../core/index.ts";
import { SequencerHost } from "./sequencer-host.ts";
import type { NodeStore } from "./storage/node-store.ts";

/** A sequencer log whose sync() only stages for the store's transaction: committed by a write that succeeds, dropped by one that fails (as SQLite rolls back). */
class TxLog implements SequencerStorage {
  private durable: Durable<SeqSnapshot, SeqRecord> = { snapshot: undefined, log: [] };
  private staged: ({ snap: SeqSnapshot } | { rec: SeqRecord })[] = [];
  private inTx: ({ snap: SeqSnapshot } | { rec: SeqRecord })[] = [];
  append(record: SeqRecord): void {
    this.staged.push({ rec: record });
  }
  snapshot(state: SeqSnapshot): void {
    this.staged.push({ snap: state });
  }
  sync(): void {
    this.inTx.push(...this.staged);
    this.staged = [];
  }
  commit(): void {
    for (const w of this.inTx) this.durable = "snap" in w ? { snapshot: w.snap, log: [] } : { ...this.durable, log: [...this.durable.log, w.rec] };
    this.inTx = [];
  }
  rollback(): void {
    this.inTx = [];
    this.staged = [];
  }
  load(): Durable<SeqSnapshot, SeqRecord> {
    return { snapshot: this.durable.snapshot, log: [...this.durable.log] };
  }
  get pending(): number {
    return this.staged.length;
  }
}

function flakyStore(log: TxLog): Pick<NodeStore, "sequencer" | "write"> & { failNext: boolean } {
  return {
    sequencer: log,
    failNext: false,
    write<T>(fn: () => T): Promise<T> {
      const result = fn();
      if (this.failNext) {
        this.failNext = false;
        log.rollback();
        return Promise.reject(new Error("disk full"));
      }
      log.commit();
      return Promise.resolve(result);
    },
  };
}

describe("SequencerHost over a store whose commit fails", () => {
  it("never hands out a number whose write failed: not to the retry, not after a restart", async () => {
    const log = new TxLog();
    const store = flakyStore(log);
    const host = new SequencerHost(store, ["invoice"]);
    expect(await host.next({ name: "invoice", client: "c", requestId: 0, done: 0 })).toBe(1);
    store.failNext = true;
    await expect(host.next({ name: "invoice", client: "c", requestId: 1, done: 1 })).rejects.toThrow("disk full");
    // The retry of the failed request gets a number that is durable now — 2, the one that failed was never given out.
    expect(await host.next({ name: "invoice", client: "c", requestId: 1, done: 1 })).toBe(2);
    const restarted = new SequencerHost(store, ["invoice"]);
    expect(await restarted.next({ name: "invoice", client: "d", requestId: 0, done: 0 })).toBe(3);
    expect(await restarted.next({ name: "invoice", client: "c", requestId: 1, done: 1 })).toBe(2);
  });
});
