/**
 * The request ids one sequencer client gives its `next` calls, and the `done` floor each carries
 * (every id below it is finished, so the sequencer may forget it: core/sequencer/messages.ts).
 * The client id must be new for every process: the sequencer's dedup table outlives a client,
 * and a reused (client, request id) would be answered with the number it got before.
 */
export class NextIds {
  private next = 0;
  private readonly outstanding = new Set<number>();

  constructor(readonly client: string) {}

  begin(): { client: string; requestId: number; done: number } {
    const requestId = this.next++;
    this.outstanding.add(requestId);
    return { client: this.client, requestId, done: Math.min(...this.outstanding) };
  }

  end(requestId: number): void {
    this.outstanding.delete(requestId);
  }
}
