/**
 * Canary (bug class: change events that do not match the state). The builtin RGA text with an
 * event stream for editors (`events` in the contract), computed by diffing the text before and
 * after each change — which forgets to report deletions. The text itself is right: every
 * replica converges, every law holds; an editor that follows the events shows text that was
 * deleted.
 * Caught by: change-events (no law: the laws judge states, not events).
 */
import type { StateCrdt, TextDelta } from "../../../core/contract.ts";
import { rga } from "../../../core/crdt/rga.ts";

const base = rga as StateCrdt<any, string>;
/** A replica's text and the events it has not yet handed out; a delta is a bare RGA delta. */
type S = { text: any; events: TextDelta[] | null };

/**
 * The change from `before` to `after` as one delta: what they share at both ends is retained.
 * `reportDeletes` false is the canary's bug; true is the honest stream the test compares it with.
 */
export function diff(before: string, after: string, reportDeletes: boolean): TextDelta {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  const delta: TextDelta = [];
  if (p > 0) delta.push({ retain: p });
  const deleted = before.length - p - s;
  // BUG (reportDeletes false): deletions go unreported.
  if (deleted > 0 && reportDeletes) delta.push({ delete: deleted });
  const inserted = after.slice(p, after.length - s);
  if (inserted.length > 0) delta.push({ insert: inserted });
  return delta;
}

/** The RGA text with an event stream; `reportDeletes` false is the canary. */
export function eventsText(name: string, reportDeletes: boolean): StateCrdt<S, string> {
  /** Runs `change` on the text and records what it did to it. */
  const recorded = (s: S, change: () => any): S => {
    const before = base.value(s.text);
    s.text = change();
    const after = base.value(s.text);
    if (after !== before) s.events!.push(diff(before, after, reportDeletes));
    return s;
  };
  const codec = base.codec!;
  return {
    kind: "state",
    name,
    ops: base.ops,
    sequence: {},
    init: (replica) => ({ text: base.init(replica), events: [] }),
    update(s, op, ctx) {
      let delta: any;
      recorded(s, () => {
        const out = base.update(s.text, op, ctx);
        delta = out.delta;
        return out.state;
      });
      return { state: s, delta: { text: delta, events: null } };
    },
    merge: (a, b) => (a.events ? recorded(a, () => base.merge(a.text, b.text)) : { text: base.merge(a.text, b.text), events: null }),
    value: (s) => base.value(s.text),
    clone: (s) => ({ text: base.clone!(s.text), events: s.events && [] }),
    events: (s) => s.events?.splice(0) ?? [],
    // The text's own encoding (the simulator sizes every message by it); events never travel.
    codec: {
      encode: (s) => codec.encode(s.text),
      decode: (b) => ({ text: codec.decode(b), events: null }),
      size: (s) => (codec.size ? codec.size(s.text) : codec.encode(s.text).length),
    },
  };
}

export default eventsText("canary-deleteless-events-text", false);
