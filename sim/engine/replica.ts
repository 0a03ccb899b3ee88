/**
 * One simulated node: its CRDT state (driven only through the contract), its knowledge of
 * applied updates, its clock and its up/down status. The value is computed lazily and cached
 * until the state changes, because checkers compare values far more rarely than states change.
 */
import type { Ctx, StateCrdt } from "../../core/contract.ts";
import { canonicalKey } from "../../core/util/json.ts";
import type { Rng } from "../rng.ts";
import type { OpNode } from "./causal.ts";
import type { NodeClock } from "./clock.ts";
import type { Knowledge } from "./knowledge.ts";
import type { TracedReplica } from "./trace.ts";

/** The current virtual time, shared by the engine and every node's ctx.now(). */
export type TimeSource = { now: number };

/** A comparable form of a value: numbers as themselves, anything else as canonical JSON. */
export type ValueKey = number | string;

export class Replica<S = any> implements TracedReplica {
  /** Updates issued here so far; the next update is `seq + 1`. */
  seq = 0;
  crashed = false;
  paused = false;
  /** Bumped at crash and restart: messages addressed to an older incarnation are lost. */
  epoch = 0;
  /** Messages that arrived while paused, applied in arrival order at resume. */
  inbox: unknown[] = [];
  /** Own updates durable so far (all of them unless storage.syncLagMs delays syncs). */
  durableSeq = 0;
  /** With a sync lag: own updates (seq, delta or effect) waiting for their sync to be sent. */
  deferred: { seq: number; payload: unknown }[] = [];
  /** With a sync lag: an anti-entropy round waits for the next sync. */
  aeDeferred = false;
  /** Op mode: the causal-broadcast state (op store, buffer); null otherwise. */
  op: OpNode | null = null;
  readonly ctx: Ctx;
  private dirty = true;
  private cachedValue: unknown = undefined;
  private cachedKey: ValueKey = "";

  constructor(
    readonly index: number,
    readonly name: string,
    public state: S,
    public knowledge: Knowledge,
    readonly clock: NodeClock,
    private readonly crdt: StateCrdt<S, unknown>,
    time: TimeSource,
    /** This node's plugin stream (STREAM.plugin): ctx.random() draws from it, nothing else does. */
    random: Rng,
  ) {
    this.ctx = Replica.ctxOf(name, clock, time, random);
  }

  /** A node's ctx: its own clock at the run's time, its plugin stream (made again for a fork, fork.ts). */
  static ctxOf(name: string, clock: NodeClock, time: TimeSource, random: Rng): Ctx {
    return { replica: name, now: () => clock.read(time.now), random: () => random.float() };
  }

  get up(): boolean {
    return !this.crashed && !this.paused;
  }

  /** Must be called after every change to `state`. */
  touch(): void {
    this.dirty = true;
  }

  private refresh(): void {
    const v = this.crdt.value(this.state);
    this.cachedValue = v;
    this.cachedKey = typeof v === "number" ? v : (canonicalKey(v) ?? "undefined");
    this.dirty = false;
  }

  value(): unknown {
    if (this.dirty) this.refresh();
    return this.cachedValue;
  }

  valueKey(): ValueKey {
    if (this.dirty) this.refresh();
    return this.cachedKey;
  }

  valueJson(): string {
    const k = this.valueKey();
    return typeof k === "number" ? JSON.stringify(k) : k;
  }
}

export function valueJsonOf(v: unknown): string {
  return canonicalKey(v) ?? "null";
}

/** An event as checkers name it: positive ids are delivered messages, negative ones `r`'s own update -id. */
export function describe(r: Replica, what: number): string {
  return what >= 0 ? `deliver msg ${what}` : `update ${r.name}:${-what}`;
}
