/**
 * A node's physical clock: real (virtual) time × (1 + drift) + skew + the sum of its jumps
 * (NTP steps), rounded to a whole millisecond. It may read any integer, negative included.
 * LWW types read it through ctx.now(), which is how skew turns into lost writes.
 */
import type { ClockSpec } from "../scenario/types.ts";

export class NodeClock {
  private readonly rate: number;
  private skew: number;
  private jumped = 0;

  constructor(spec: ClockSpec = {}) {
    this.rate = 1 + (spec.drift ?? 0);
    this.skew = spec.skew ?? 0;
  }

  read(t: number): number {
    return Math.round(t * this.rate + this.skew) + this.jumped;
  }

  jump(by: number): void {
    this.jumped += by;
  }

  /** Sets the skew (the clock nemesis): the reading moves by the difference, like a jump. */
  setSkew(skew: number): void {
    this.skew = skew;
  }

  get currentSkew(): number {
    return this.skew;
  }
}
