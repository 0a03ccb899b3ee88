/**
 * A tiny deterministic network for the protocol tests: a bag of in-flight envelopes that the
 * test (driven by fast-check's generated commands, never an unseeded random source) delivers, drops,
 * duplicates or reorders by index. Shared by the sequencer and RAMP tests.
 */
export type Envelope<M> = { from: string; to: string; msg: M };

export class TestNetwork<M> {
  inFlight: Envelope<M>[] = [];
  delivered = 0;

  send(from: string, out: readonly { to: string; msg: M }[]): void {
    // A JSON round trip: what crosses the network is data, never a shared object.
    for (const o of out) this.inFlight.push({ from, to: o.to, msg: JSON.parse(JSON.stringify(o.msg)) as M });
  }

  /** Removes and returns the envelope at `i` (mod size), or undefined when nothing is in flight. */
  take(i: number): Envelope<M> | undefined {
    if (this.inFlight.length === 0) return undefined;
    this.delivered++;
    return this.inFlight.splice(i % this.inFlight.length, 1)[0];
  }

  drop(i: number): void {
    if (this.inFlight.length > 0) this.inFlight.splice(i % this.inFlight.length, 1);
  }

  duplicate(i: number): void {
    if (this.inFlight.length > 0) this.inFlight.push(structuredClone(this.inFlight[i % this.inFlight.length]!));
  }

  /** Drops every envelope to or from `node` (a partition that cuts it off while it lasts). */
  dropFor(node: string): void {
    this.inFlight = this.inFlight.filter((e) => e.to !== node && e.from !== node);
  }
}
