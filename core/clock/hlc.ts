/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014).
 *
 * A timestamp is `{ l, c }`: `l` is the largest physical reading (ms) this node has heard of,
 * its own or in a message, and `c` counts events since `l` last changed. Ordered by (l, c), a
 * timestamp is always larger than every timestamp its event causally follows — even when the
 * node's physical clock is behind or jumps backwards — while `l` stays close to physical time
 * (it never exceeds the largest physical reading seen anywhere).
 *
 * Pure: the physical reading is an argument (the simulator's skewed node clock, or a caller's
 * wall clock); nothing here reads time itself. The rules are free functions so that a CRDT can
 * apply them to a timestamp it stores in its state (the LWW-Register does); the class keeps the
 * last timestamp for a node that owns its clock.
 */
import type { Reader } from "../encoding/reader.ts";
import type { Writer } from "../encoding/writer.ts";
import { compareStrings } from "../util/json.ts";

export type Hlc = { readonly l: number; readonly c: number };

/** Orders timestamps by (l, c). Zero means equal: causally unrelated events may tie. */
export function compareHlc(a: Hlc, b: Hlc): number {
  return a.l !== b.l ? (a.l < b.l ? -1 : 1) : a.c !== b.c ? (a.c < b.c ? -1 : 1) : 0;
}

/**
 * Total order on (timestamp, replica id): ties on (l, c) go to the larger replica id, so every
 * replica picks the same winner whatever order it merges in.
 */
export function compareHlcThenReplica(a: Hlc, aReplica: string, b: Hlc, bReplica: string): number {
  return compareHlc(a, b) || compareStrings(aReplica, bReplica);
}

/**
 * Physical readings are integer ms in [-2^52, 2^52): the range a zigzag varint round-trips
 * (ms since 1970 stay far inside it for the next 140,000 years).
 */
export function isPhysicalReading(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= -(2 ** 52) && (x as number) < 2 ** 52;
}

function checkPhysical(physical: number): void {
  if (!isPhysicalReading(physical)) throw new RangeError(`physical clock reading must be an integer number of ms in [-2^52, 2^52), got ${physical}`);
}

/**
 * Local or send event: l' = max(l, pt); c' = c + 1 if l did not move, else 0. With no previous
 * timestamp (`last` undefined) the result is (pt, 0).
 */
export function hlcSend(last: Hlc | undefined, physical: number): Hlc {
  checkPhysical(physical);
  if (last === undefined || physical > last.l) return { l: physical, c: 0 };
  return { l: last.l, c: last.c + 1 };
}

/**
 * Receive event: l' = max(l, l_remote, pt); c' is one more than the largest c among the
 * timestamps whose l equals l' (0 when only the physical reading reached l').
 */
export function hlcReceive(last: Hlc | undefined, remote: Hlc, physical: number): Hlc {
  checkPhysical(physical);
  if (!isPhysicalReading(remote.l) || !Number.isSafeInteger(remote.c) || remote.c < 0)
    throw new RangeError(`remote timestamp must have integer l and c >= 0, got ${JSON.stringify(remote)}`);
  const local = last ?? { l: physical, c: -1 };
  const l = Math.max(local.l, remote.l, physical);
  let c = -1;
  if (local.l === l) c = Math.max(c, local.c);
  if (remote.l === l) c = Math.max(c, remote.c);
  return { l, c: c + 1 };
}

/** A node's hybrid logical clock: remembers its last timestamp so that every event gets a larger one. */
export class HybridLogicalClock {
  private last: Hlc | undefined;

  constructor(start?: Hlc) {
    this.last = start;
  }

  /** The last timestamp issued, or undefined before the first event. */
  get current(): Hlc | undefined {
    return this.last;
  }

  /** A local event; returns its timestamp. */
  now(physical: number): Hlc {
    return (this.last = hlcSend(this.last, physical));
  }

  /** Sending a message is a local event whose timestamp travels with the message. */
  send(physical: number): Hlc {
    return this.now(physical);
  }

  /** Receiving a message stamped `remote`; returns the receive event's timestamp. */
  receive(remote: Hlc, physical: number): Hlc {
    return (this.last = hlcReceive(this.last, remote, physical));
  }
}

/** l as a zigzag varint (node clocks may read negative), c as a varint. */
export function writeHlc(w: Writer, t: Hlc): void {
  w.int(t.l).uint(t.c);
}

export function readHlc(r: Reader): Hlc {
  const l = r.int();
  const c = r.uint();
  return { l, c };
}
