/**
 * change-events: a type that exposes its library's change events (`events(state)` in the
 * contract — what an editor binding would listen to: Yjs's Y.Text observer deltas, Automerge's
 * patches) must tell the truth in them. Each replica keeps a mirror of its value, rebuilt only
 * from the events: after every change to the replica the events emitted since the last change
 * are drained and applied in order, and the mirror must equal `value()`. An event stream that
 * misses a delete, or inserts at the wrong index, passes every convergence check (the state is
 * right) and breaks every UI built on it; this is the check that sees it.
 *
 * Events are text deltas over a string value (Quill's and Yjs's format): `retain n` keeps n
 * characters, `insert s` inserts s, `delete n` removes n; what no op covers is kept.
 */
import type { TextDelta } from "../../core/contract.ts";
import { FirstViolation, type OnFirst } from "./first-violation.ts";
import type { CheckResult } from "../run-types.ts";
import { describe, type Replica } from "../engine/replica.ts";

/** `text` after `delta`, or why the delta does not apply to it. */
export function applyDelta(text: string, delta: TextDelta): string | { problem: string } {
  if (!Array.isArray(delta)) return { problem: `an event is ${delta === null ? "null" : typeof delta}, not a delta (an array of retain/insert/delete)` };
  let at = 0;
  let out = "";
  for (const op of delta) {
    const o = op as Record<string, unknown>;
    if (typeof o?.insert === "string") out += o.insert;
    else if (typeof o?.retain === "number" || typeof o?.delete === "number") {
      const n = (o.retain ?? o.delete) as number;
      if (!Number.isInteger(n) || n < 0 || at + n > text.length) return { problem: `${"retain" in o ? "retain" : "delete"} ${n} at ${at} of a ${text.length}-character text` };
      if ("retain" in o) out += text.slice(at, at + n);
      at += n;
    } else return { problem: `an event op is ${JSON.stringify(op)} (not retain, insert or delete)` };
  }
  return out + text.slice(at);
}

export class ChangeEvents {
  private readonly mirrors: string[];
  private applied = 0;
  private readonly violations: FirstViolation;

  constructor(
    private readonly events: (state: unknown) => TextDelta[],
    replicas: readonly Replica[],
    onFirst: OnFirst | null = null,
  ) {
    this.violations = new FirstViolation(onFirst);
    // What init emitted is the starting point, not a change.
    this.mirrors = replicas.map((r) => this.restart(r));
  }

  /** A replica whose state was rebuilt (a restart): its value is the new starting point. */
  reset(r: Replica): void {
    this.mirrors[r.index] = this.restart(r);
  }

  private restart(r: Replica): string {
    this.events(r.state);
    return String(r.value());
  }

  /** After `r` changed at time t through event `what` (see `describe`). */
  afterChange(r: Replica, t: number, what: number): void {
    const evs = this.events(r.state);
    let mirror = this.mirrors[r.index]!;
    for (const delta of evs ?? []) {
      this.applied++;
      const next = applyDelta(mirror, delta);
      if (typeof next !== "string") return this.violation(r, t, what, `an event does not apply: ${next.problem}`, "event does not apply");
      mirror = next;
    }
    this.mirrors[r.index] = mirror;
    const value = r.value();
    if (mirror !== value) this.violation(r, t, what, `its events make ${JSON.stringify(mirror)} but it shows ${JSON.stringify(value)}`, mirrorSignature(mirror, String(value)));
  }

  private violation(r: Replica, t: number, what: number, text: string, signature: string): void {
    // Checking goes on from what the replica shows.
    this.mirrors[r.index] = String(r.value());
    this.violations.record({ t, node: r.name }, () => ({ signature, text: `t=${t} after ${describe(r, what)} at ${r.name}: ${text}` }));
  }

  result(expected: boolean): CheckResult {
    const v = this.violations;
    if (v.count === 0)
      return { name: "change-events", ok: true, expected, detail: `${this.applied} change events applied in order reproduce every replica's value after every change` };
    return v.fail("change-events", expected, `${v.first} (${v.counted()} in all)`);
  }
}

/** The kind of difference, for the shrinker: the events' text is longer (a delete missed) or shorter, or other. */
function mirrorSignature(mirror: string, value: string): string {
  if (mirror.length > value.length) return "events keep text the value lost";
  if (mirror.length < value.length) return "events lose text the value has";
  return "events reorder or replace text";
}
